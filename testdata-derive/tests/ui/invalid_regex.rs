use testdata::TestData;

#[derive(TestData)]
struct Product {
    #[testdata(pattern = "[A-Z{3}")]
    code: String,
}

fn main() {}
