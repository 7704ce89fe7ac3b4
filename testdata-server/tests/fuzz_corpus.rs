//! Every checked-in fuzz input — the seed corpora under `fuzz/corpus/TARGET/` and the findings
//! under `fuzz/crashes/TARGET-*` — replayed through the same checks the fuzz targets run
//! (`fuzz/src/lib.rs`), on stable and in CI, so a fixed finding cannot come back unnoticed.

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

use std::path::{Path, PathBuf};

const TARGETS: [&str; 5] = ["schema", "pattern", "template", "request", "export"];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn replay(target: &str, path: &Path) {
    let check = checks::check_for(target).unwrap_or_else(|| panic!("{}: no target {target}", path.display()));
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        panic!("fuzz input {} fails the {target} check: {message}", path.display());
    }
}

#[test]
fn every_seed_corpus_input_passes_its_target_check() {
    for target in TARGETS {
        let inputs = files(&fuzz_dir().join("corpus").join(target));
        assert!(!inputs.is_empty(), "fuzz/corpus/{target} is empty");
        for path in inputs {
            replay(target, &path);
        }
    }
}

#[test]
fn every_fuzz_finding_stays_fixed() {
    let findings = files(&fuzz_dir().join("crashes"));
    assert!(!findings.is_empty(), "fuzz/crashes holds the findings, named TARGET-what");
    for path in findings {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let target = name.split('-').next().unwrap_or_default();
        replay(target, &path);
    }
}
