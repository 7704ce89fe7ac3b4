//! `testdata generate` at scale, through the real binary: any `--jobs` gives the same bytes;
//! shards from separate processes (chosen by `--shard` or by a Kubernetes Indexed Job's
//! `JOB_COMPLETION_INDEX`) concatenate to one run; manifests verify and catch corruption;
//! `--resume` keeps intact files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn testdata(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_testdata"));
    command.args(args).env_remove("JOB_COMPLETION_INDEX").env_remove("TESTDATA_SHARD_COUNT");
    command.env_remove("TESTDATA_SHARD");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the testdata binary runs")
}

fn ok(out: Output) -> Vec<u8> {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_scale").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The files of `dir` with `ext`, by name (= record order), concatenated.
fn concatenated(dir: &Path, ext: &str) -> Vec<u8> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} files in {}", dir.display());
    files.iter().flat_map(|f| fs::read(f).unwrap()).collect()
}

fn manifests(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".manifest.json"))
        .collect();
    found.sort();
    found
}

fn verify(manifests: &[String]) -> Output {
    let mut args = vec!["verify"];
    args.extend(manifests.iter().map(String::as_str));
    testdata(&args, &[])
}

#[test]
fn any_number_of_jobs_gives_the_same_bytes() {
    for format in ["jsonl", "json", "csv", "sql"] {
        // 2500 records from 100: chunks of 1024 cut at odd places, and a CSV run not at 0.
        let base = ["generate", "-e", "order", "-n", "2600", "--offset", "100", "-s", "7", "-f", format];
        let one = ok(testdata(&[&base[..], &["--jobs", "1"]].concat(), &[]));
        let two = ok(testdata(&[&base[..], &["--jobs", "2"]].concat(), &[]));
        let three = ok(testdata(&[&base[..], &["--jobs", "3"]].concat(), &[]));
        assert!(one.len() > 100_000, "{format}: {} bytes", one.len());
        assert!(one == two && one == three, "{format}: output differs between --jobs 1, 2 and 3");
    }
    let json =
        ok(testdata(&["generate", "-e", "user", "-n", "2000", "-s", "3", "-f", "json", "-j", "2"], &[]));
    let parsed: serde_json::Value = serde_json::from_slice(&json).expect("one JSON array");
    assert_eq!(parsed.as_array().map(Vec::len), Some(2000));
}

#[test]
fn four_shards_from_separate_processes_concatenate_to_one_run() {
    for format in ["jsonl", "csv"] {
        let dir = fresh_dir(&format!("shards-{format}"));
        let whole = ok(testdata(&["generate", "-e", "order", "-n", "5001", "-s", "11", "-f", format], &[]));
        for k in 0..4 {
            let output = dir.join(format!("orders.{format}"));
            let shard = format!("{k}/4");
            let args =
                ["generate", "-e", "order", "-n", "5001", "-s", "11", "-f", format, "--shard", &shard, "-o"];
            ok(testdata(&[&args[..], &[output.to_str().unwrap()]].concat(), &[]));
        }
        let shards = concatenated(&dir, format);
        assert!(shards == whole, "{format}: the 4 shards concatenated differ from one run");
        if format == "csv" {
            let header = whole.split(|&b| b == b'\n').next().unwrap();
            let headers = shards.windows(header.len()).filter(|w| *w == header).count();
            assert_eq!(headers, 1, "the CSV header is only in shard 0");
        }
        let found = manifests(&dir);
        assert_eq!(found.len(), 4);
        let verified = verify(&found);
        assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
        assert!(String::from_utf8_lossy(&verified.stderr).contains("5001 records"));
        // The manifests' checksums are the files' checksums: corrupt one byte and verify fails.
        let victim = dir.join(format!("orders-s00002.{format}"));
        let mut bytes = fs::read(&victim).unwrap();
        bytes[10] ^= 1;
        fs::write(&victim, bytes).unwrap();
        let verified = verify(&found);
        let stderr = String::from_utf8_lossy(&verified.stderr);
        assert!(
            !verified.status.success() && stderr.contains("orders-s00002") && stderr.contains("SHA-256"),
            "{stderr}"
        );
        // A missing shard is a gap.
        let verified = verify(&found[..3]);
        assert!(String::from_utf8_lossy(&verified.stderr).contains("missing"), "a gap is reported");
    }
}

#[test]
fn an_indexed_job_of_processes_covers_one_run() {
    // What deploy/k8s/job-generate.yaml runs, here as 3 local processes at once: each reads its
    // shard from JOB_COMPLETION_INDEX and TESTDATA_SHARD_COUNT, and splits its files.
    let dir = fresh_dir("indexed-job");
    let output = dir.join("orders.jsonl");
    let args =
        ["generate", "-e", "order", "-n", "4000", "-s", "5", "-f", "jsonl", "--split-every", "700", "-o"];
    let children: Vec<_> = (0..3)
        .map(|k| {
            let mut command = Command::new(env!("CARGO_BIN_EXE_testdata"));
            command.args(args).arg(&output).env("JOB_COMPLETION_INDEX", k.to_string());
            command.env("TESTDATA_SHARD_COUNT", "3").env_remove("TESTDATA_SHARD");
            command.stderr(std::process::Stdio::piped()).spawn().expect("spawns")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let whole = ok(testdata(&["generate", "-e", "order", "-n", "4000", "-s", "5", "-f", "jsonl"], &[]));
    assert!(concatenated(&dir, "jsonl") == whole, "the union of the job's shards differs from one run");
    // 1333/1333/1334 records per shard, split every 700: two files each.
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 3 * 2 + 3);
    assert!(verify(&manifests(&dir)).status.success());

    let missing = testdata(&["generate", "-e", "order", "-n", "10"], &[("JOB_COMPLETION_INDEX", "1")]);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(!missing.status.success() && stderr.contains("TESTDATA_SHARD_COUNT"), "{stderr}");
}

#[test]
fn resume_keeps_intact_files_and_rewrites_the_rest() {
    let dir = fresh_dir("resume");
    let output = dir.join("users.csv");
    let args =
        ["generate", "-e", "user", "-n", "3000", "-s", "9", "-f", "csv", "--split-every", "1000", "-o"];
    let run = |resume: bool| {
        let mut all = [&args[..], &[output.to_str().unwrap()]].concat();
        if resume {
            all.push("--resume");
        }
        ok(testdata(&all, &[]))
    };
    run(false);
    let first = dir.join("users-p00000.csv");
    let second = dir.join("users-p00001.csv");
    let kept = fs::read(&first).unwrap();
    // A marker the generator would never write, in a file with an unchanged size and checksum
    // it would be rewritten; so: delete one file, damage another, leave the first alone.
    fs::remove_file(dir.join("users-p00002.csv")).unwrap();
    fs::write(&second, b"broken").unwrap();
    let before = fs::metadata(&first).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    run(true);
    assert_eq!(fs::metadata(&first).unwrap().modified().unwrap(), before, "an intact file is kept");
    assert_eq!(fs::read(&first).unwrap(), kept);
    let whole = ok(testdata(&["generate", "-e", "user", "-n", "3000", "-s", "9", "-f", "csv"], &[]));
    assert!(concatenated(&dir, "csv") == whole);
    assert!(verify(&manifests(&dir)).status.success());
    // Resuming with other settings is refused, not mixed.
    let other = testdata(
        &[
            "generate",
            "-e",
            "user",
            "-n",
            "3000",
            "-s",
            "10",
            "-f",
            "csv",
            "--split-every",
            "1000",
            "--resume",
            "-o",
            output.to_str().unwrap(),
        ],
        &[],
    );
    assert!(!other.status.success() && String::from_utf8_lossy(&other.stderr).contains("another run"));
}

#[test]
fn csv_header_every_puts_a_header_in_each_file() {
    let dir = fresh_dir("csv-every");
    let output = dir.join("carts.csv");
    let args = [
        "generate",
        "-e",
        "cart",
        "-n",
        "250",
        "-s",
        "1",
        "-f",
        "csv",
        "--split-every",
        "100",
        "--csv-header",
        "every",
        "-o",
    ];
    ok(testdata(&[&args[..], &[output.to_str().unwrap()]].concat(), &[]));
    let whole = ok(testdata(&["generate", "-e", "cart", "-n", "250", "-s", "1", "-f", "csv"], &[]));
    let header = whole.split_inclusive(|&b| b == b'\n').next().unwrap().to_vec();
    for part in 0..3 {
        let bytes = fs::read(dir.join(format!("carts-p{part:05}.csv"))).unwrap();
        assert!(bytes.starts_with(&header), "part {part} starts with the header");
    }
}

#[test]
fn parquet_reads_back_in_pyarrow_and_duckdb_with_the_values_of_jsonl() {
    let venv_ok = python_venv_ok();
    let dir = fresh_dir("parquet");
    for entity in ["order", "user", "cart", "payment", "shipment"] {
        let parquet = dir.join(format!("{entity}.parquet"));
        let jsonl = dir.join(format!("{entity}.jsonl"));
        let common = ["generate", "-e", entity, "-n", "3000", "-s", "21", "-o"];
        ok(testdata(&[&common[..], &[parquet.to_str().unwrap(), "-f", "parquet", "-j", "2"]].concat(), &[]));
        ok(testdata(&[&common[..], &[jsonl.to_str().unwrap(), "-f", "jsonl"]].concat(), &[]));
        let bytes = fs::read(&parquet).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "{entity}: a Parquet file");
        // The file is the same for one job.
        let one = dir.join(format!("{entity}-1.parquet"));
        ok(testdata(&[&common[..], &[one.to_str().unwrap(), "-f", "parquet", "-j", "1"]].concat(), &[]));
        assert!(fs::read(&one).unwrap() == bytes, "{entity}: --jobs changes the Parquet bytes");
        if !venv_ok {
            eprintln!(
                "SKIPPED reading back: python3 with venv is not installed (scripts/test-all.sh installs it)"
            );
            continue;
        }
        parquet_check(entity, &parquet, &jsonl);
    }
}

fn python_venv_ok() -> bool {
    Command::new("python3").args(["-c", "import venv, ensurepip"]).status().is_ok_and(|s| s.success())
}

/// `tests/python/parquet_check.py`: pyarrow and DuckDB read the Parquet file back with the
/// values of the JSONL file. One at a time: the first call creates the shared venv.
fn parquet_check(what: &str, parquet: &Path, jsonl: &Path) {
    static VENV: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = VENV.lock().unwrap_or_else(|e| e.into_inner());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/parquet_check.py");
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("py-parquet-venv");
    let out = Command::new("python3")
        .arg(script)
        .arg(parquet)
        .arg(jsonl)
        .arg("--venv")
        .arg(&venv)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("all checks passed"),
        "{what}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One shard written as JSONL, CSV, SQL and Parquet holds the same records: CSV through
/// Python's csv module, SQL executed by SQLite, Parquet read by pyarrow and DuckDB, each value
/// against the JSONL record.
#[test]
fn one_shard_in_every_format_holds_the_same_records() {
    let dir = fresh_dir("formats");
    for entity in ["order", "user", "review"] {
        let path = |ext: &str| dir.join(format!("{entity}.{ext}"));
        for format in ["jsonl", "csv", "sql", "parquet"] {
            let args = ["generate", "-e", entity, "-n", "4000", "-s", "9", "--shard", "2/4", "-f", format];
            fs::write(path(format), ok(testdata(&args, &[]))).unwrap();
        }
        let jsonl = fs::read_to_string(path("jsonl")).unwrap();
        assert_eq!(jsonl.lines().count(), 1000, "{entity}: shard 2 of 4 holds a quarter");
        assert!(
            jsonl.lines().next().unwrap().contains("\"_index\":2000"),
            "{entity}: the shard starts at 2000"
        );
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/formats_check.py");
        let out =
            Command::new("python3").arg(script).arg(path("jsonl")).arg(path("csv")).arg(path("sql")).output();
        let out = out.expect("python3 runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("all checks passed: 1000 records"),
            "{entity}: {stdout}"
        );
        if python_venv_ok() {
            parquet_check(entity, &path("parquet"), &path("jsonl"));
        } else {
            eprintln!(
                "SKIPPED Parquet: python3 with venv is not installed (scripts/test-all.sh installs it)"
            );
        }
    }
}

/// What `testdata generate` printed before it went parallel: every record through the
/// export writers, one at a time.
fn one_record_at_a_time(
    entity: &str,
    count: u64,
    offset: u64,
    seed: u64,
    format: testdata::export::Format,
) -> Vec<u8> {
    use std::sync::Arc;
    use testdata::export::{ExportOptions, Exporter};
    use testdata_server::plan::{Mode, Planner};
    use testdata_server::registry::Registry;
    use testdata_server::request::{GenerateSpec, SchemaSources};

    let planner = Planner::new(Arc::new(Registry::builtin().unwrap()), 16, 0.25);
    let spec = GenerateSpec {
        sources: SchemaSources { entity: entity.into(), ..SchemaSources::default() },
        count: count as i64,
        seed: Some(seed),
        offset,
        format,
        ..GenerateSpec::default()
    };
    let plan = planner.plan(&spec, Mode::Stream(u64::MAX)).unwrap();
    let options = ExportOptions {
        table: plan.schema_name.clone(),
        columns: Some(plan.compiled.columns.clone()),
        ..ExportOptions::default()
    };
    let mut out = Exporter::new(format, Vec::new(), options);
    for (i, record) in (offset..).zip(plan.records(offset..plan.total).unwrap()) {
        out.write_record(&plan.with_bookkeeping(record, i).unwrap()).unwrap();
    }
    out.finish().unwrap()
}

#[test]
fn the_parallel_output_equals_writing_one_record_at_a_time() {
    use testdata::export::{Dialect, Format};
    let formats = [
        ("json", Format::Json),
        ("jsonl", Format::Jsonl),
        ("csv", Format::Csv),
        ("sql", Format::Sql(Dialect::Postgres)),
        ("mysql", Format::Sql(Dialect::MySql)),
    ];
    for (name, format) in formats {
        for (count, offset) in [(2100, 0), (1500, 3)] {
            let (n, o) = (count.to_string(), offset.to_string());
            let cli = ok(testdata(
                &["generate", "-e", "order", "-n", &n, "--offset", &o, "-s", "4", "-f", name, "-j", "2"],
                &[],
            ));
            let reference = one_record_at_a_time("order", count, offset, 4, format);
            assert!(cli == reference, "{name} from {offset}: differs from writing one record at a time");
        }
    }
}
