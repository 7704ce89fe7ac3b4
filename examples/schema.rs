//! Generates records from a runtime schema and writes them in any export format.
//!
//! ```text
//! cargo run --example schema -- [SCHEMA.json] [--seed S] [--count N] [--format json|jsonl|csv|postgres|mysql|sqlite]
//! ```
//! Without a file, the bundled `cart` schema is used.

use std::io::{self, Write};

use testdata::Schema;
use testdata::export::{ExportOptions, Format, write_all};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut file, mut seed, mut count, mut format) = (None, "42".to_string(), 3u64, "json".to_string());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seed" => seed = args.next().ok_or("--seed needs a value")?,
            "--count" => count = args.next().ok_or("--count needs a value")?.parse()?,
            "--format" => format = args.next().ok_or("--format needs a value")?,
            other => file = Some(other.to_string()),
        }
    }
    let text = match file {
        Some(f) => std::fs::read_to_string(f)?,
        None => include_str!("../testdata/schemas/ecommerce/cart.json").to_string(),
    };
    let schema = Schema::from_json(&text)?;
    let format: Format = format.parse()?;
    let seed = testdata::Seed::parse(&seed);
    schema.check_count(0, count)?;
    let records = schema.iter(seed, 0).take(count as usize).collect::<Result<Vec<_>, _>>()?;
    let options = ExportOptions {
        table: schema.name().to_string(),
        create_table: true,
        pretty: true,
        ..Default::default()
    };
    let mut out = write_all(format, io::stdout().lock(), &options, records)?;
    writeln!(out)?;
    Ok(())
}
