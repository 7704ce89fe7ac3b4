use testdata::TestData;

#[derive(TestData)]
struct Item {
    #[testdata(len = 1..=5)]
    quantity: u32,
}

fn main() {}
