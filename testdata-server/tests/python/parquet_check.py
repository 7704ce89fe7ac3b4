#!/usr/bin/env python3
"""Reads Parquet files written by `testdata generate --format parquet` back with pyarrow and
DuckDB and checks every value against the JSON Lines output of the same records.

    parquet_check.py FILE.parquet FILE.jsonl [--venv DIR]

Bootstraps a venv (pyarrow, duckdb from PyPI) at --venv or $TESTDATA_PY_VENV. Prints
"all checks passed" on success; exits non-zero naming the first differing value otherwise.
"""
import os
import subprocess
import sys


def bootstrap(venv):
    python = os.path.join(venv, "bin", "python")
    if os.environ.get("TESTDATA_PARQUET_BOOTSTRAPPED") == "1":
        return
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    probe = subprocess.run([python, "-c", "import pyarrow, duckdb, pytz"], capture_output=True)
    if probe.returncode != 0:
        subprocess.check_call([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                               "pyarrow", "duckdb", "pytz"])
    env = dict(os.environ, TESTDATA_PARQUET_BOOTSTRAPPED="1")
    os.execve(python, [python, __file__] + sys.argv[1:], env)


def same(arrow_type, expected, got, path):
    import datetime
    import decimal
    import pyarrow as pa

    if expected is None or got is None:
        ok = expected is None and got is None
    elif pa.types.is_struct(arrow_type):
        for i in range(arrow_type.num_fields):
            field = arrow_type.field(i)
            same(field.type, expected.get(field.name), got.get(field.name), f"{path}.{field.name}")
        return
    elif pa.types.is_list(arrow_type):
        if len(expected) != len(got):
            fail(path, expected, got)
        for i, (e, g) in enumerate(zip(expected, got)):
            same(arrow_type.value_type, e, g, f"{path}[{i}]")
        return
    elif pa.types.is_decimal(arrow_type):
        ok = decimal.Decimal(str(expected)) == got and got.as_tuple().exponent == -arrow_type.scale
    elif pa.types.is_timestamp(arrow_type):
        ok = datetime.datetime.fromisoformat(expected.replace("Z", "+00:00")) == got
    elif pa.types.is_date(arrow_type):
        ok = datetime.date.fromisoformat(expected) == got
    elif pa.types.is_floating(arrow_type):
        ok = float(expected) == got
    else:
        ok = expected == got and type(expected) is type(got)
    if not ok:
        fail(path, expected, got)


def fail(path, expected, got):
    sys.exit(f"parquet_check: {path}: JSON has {expected!r}, Parquet has {got!r}")


def main():
    args = [a for a in sys.argv[1:]]
    if "--venv" in args:
        i = args.index("--venv")
        venv = args[i + 1]
        del args[i:i + 2]
    else:
        venv = os.environ.get("TESTDATA_PY_VENV", "/tmp/testdata-parquet-venv")
    bootstrap(venv)
    import json

    import duckdb
    import pyarrow.parquet as pq

    parquet_path, jsonl_path = args
    with open(jsonl_path) as f:
        records = [json.loads(line) for line in f]
    table = pq.read_table(parquet_path)
    rows = table.to_pylist()
    if len(rows) != len(records):
        sys.exit(f"parquet_check: {len(rows)} rows in Parquet, {len(records)} records in JSONL")
    for n, (record, row) in enumerate(zip(records, rows)):
        if set(record) - set(row):
            sys.exit(f"parquet_check: record {n}: keys {set(record) - set(row)} have no column")
        for field in table.schema:
            same(field.type, record.get(field.name), row[field.name], f"record {n}.{field.name}")
    # DuckDB reads the same file: row count, the index column, and one aggregate per numeric column.
    con = duckdb.connect()
    count, first, last = con.execute(
        "select count(*), min(_index), max(_index) from read_parquet(?)", [parquet_path]).fetchone()
    if (count, first, last) != (len(records), records[0]["_index"], records[-1]["_index"]):
        sys.exit(f"parquet_check: DuckDB sees {(count, first, last)}")
    import decimal
    for field in table.schema:
        if str(field.type).startswith("decimal"):
            got = con.execute(f'select sum("{field.name}") from read_parquet(?)', [parquet_path]).fetchone()[0]
            want = sum(decimal.Decimal(str(r[field.name])) for r in records if r.get(field.name) is not None)
            if got != want and not (got is None and want == 0):
                sys.exit(f"parquet_check: DuckDB sum({field.name}) = {got}, JSON gives {want}")
    print(f"all checks passed: {len(records)} records, {len(table.schema)} columns, "
          f"{pq.ParquetFile(parquet_path).num_row_groups} row group(s)")


if __name__ == "__main__":
    main()
