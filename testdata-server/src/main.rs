//! `testdata-server`: the gRPC service is not built yet (see the tracker); this binary
//! says so instead of pretending to serve.

fn main() {
    eprintln!("testdata-server: the gRPC service is not implemented yet; use the `testdata` library");
    std::process::exit(2);
}
