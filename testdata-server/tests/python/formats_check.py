#!/usr/bin/env python3
"""Checks that the JSONL, CSV and SQL outputs of the same `testdata generate` slice hold the same
records: CSV read with Python's csv module, SQL executed by SQLite (Python's sqlite3), each value
compared with the JSONL record flattened the way the flat formats flatten it (nested objects as
dotted columns, arrays and objects inside arrays as JSON text). Standard library only.

    formats_check.py FILE.jsonl FILE.csv FILE.sql

Prints "all checks passed" and the record count; exits non-zero naming the first difference.
"""
import csv
import json
import sqlite3
import sys


def flatten(record, prefix=""):
    out = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def lookup(record, column):
    """The JSON value a flat column holds: `a.b` is `record["a"]["b"]`, null when `a` is."""
    value = record
    for part in column.split("."):
        if value is None:
            return None
        value = value.get(part)
    return value


def same(expected, got):
    """A JSON value against a CSV/SQL cell (text from CSV; SQLite's own types from SQL)."""
    if expected is None:
        return got is None or got == ""
    if isinstance(expected, bool):
        return str(got).lower() in ("true", "1") if expected else str(got).lower() in ("false", "0")
    if isinstance(expected, (int, float)):
        try:
            return float(got) == float(expected)
        except (TypeError, ValueError):
            return False
    if isinstance(expected, (list, dict)):
        try:
            return json.loads(got) == expected
        except (TypeError, ValueError):
            return False
    return got == expected


def fail(what):
    print(f"FAIL: {what}")
    sys.exit(1)


def main(jsonl_path, csv_path, sql_path):
    with open(jsonl_path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if not records:
        fail("the JSONL file has no records")
    with open(sql_path, encoding="utf-8") as f:
        sql = f.read()
    # The column names, from the first INSERT (a shard after the first has no CSV header).
    head = sql.split('INSERT INTO "', 1)[1]
    table = head.split('"', 1)[0]
    columns = [c.strip().strip('"') for c in head.split(" (", 1)[1].split(") VALUES", 1)[0].split(",")]
    with open(csv_path, newline="", encoding="utf-8") as f:
        lines = list(csv.reader(f))
    if lines and lines[0] == columns:
        lines = lines[1:]
    if any(len(line) != len(columns) for line in lines):
        fail(f"a CSV line does not have the {len(columns)} columns of the SQL")
    rows = [dict(zip(columns, line)) for line in lines]
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE TABLE "{table}" ({", ".join(json.dumps(c) for c in columns)})')
    db.executescript(sql)
    cursor = db.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    sql_columns = [d[0] for d in cursor.description]
    sql_rows = [dict(zip(sql_columns, r)) for r in cursor.fetchall()]
    for name, got in (("CSV", rows), ("SQL", sql_rows)):
        if len(got) != len(records):
            fail(f"{name} has {len(got)} records, JSONL {len(records)}")
    for i, (record, row, sql_row) in enumerate(zip(records, rows, sql_rows)):
        missing = [k for k, v in flatten(record).items() if v is not None and k not in row]
        if missing:
            fail(f"record {i}: no column for {missing}")
        for column in row:
            expected = lookup(record, column)
            if not same(expected, row[column]):
                fail(f"record {i} {column}: JSONL {expected!r}, CSV {row[column]!r}")
            if not same(expected, sql_row.get(column)):
                fail(f"record {i} {column}: JSONL {expected!r}, SQL {sql_row.get(column)!r}")
    print(f"all checks passed: {len(records)} records, {len(columns)} columns")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    main(*sys.argv[1:])
