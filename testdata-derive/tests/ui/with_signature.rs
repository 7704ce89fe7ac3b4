use testdata::TestData;

#[derive(TestData)]
struct Item {
    #[testdata(with = make_quantity)]
    quantity: u32,
}

fn make_quantity() -> u32 {
    3
}

fn main() {}
