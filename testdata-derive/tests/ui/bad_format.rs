use testdata::TestData;

#[derive(TestData)]
struct Order {
    #[testdata(format = "ORD-{year}-{digitz:7}")]
    id: String,
}

fn main() {}
