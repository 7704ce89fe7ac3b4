use testdata::TestData;

#[derive(TestData)]
#[testdata(finish = fix_totals)]
struct Cart {
    subtotal: u64,
    total: u64,
}

fn fix_totals(cart: Cart) -> Cart {
    cart
}

fn main() {}
