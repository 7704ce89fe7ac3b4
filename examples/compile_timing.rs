//! Times compiling a runtime schema of N string fields (issue 16: compile must be linear).
use std::time::Instant;
fn main() {
    for n in [1_000usize, 16_000, 40_000, 100_000] {
        let fields: Vec<String> = (0..n).map(|i| format!(r#"{{"name":"f{i}","type":"string"}}"#)).collect();
        let text = format!(r#"{{"name":"big","fields":[{}]}}"#, fields.join(","));
        let t = Instant::now();
        let s = testdata::Schema::from_json(&text).expect("compiles");
        let c = t.elapsed();
        let t = Instant::now();
        let _ = s.nth(1u64, 0).expect("generates");
        println!(
            "{n:>7} fields: compile {:>8.1} ms, one record {:>7.1} ms",
            c.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}
