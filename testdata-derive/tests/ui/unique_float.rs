use testdata::TestData;

#[derive(TestData)]
struct Reading {
    #[testdata(unique)]
    value: f64,
}

fn main() {}
