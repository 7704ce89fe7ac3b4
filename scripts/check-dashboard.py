#!/usr/bin/env python3
"""Checks deploy/grafana/dashboards/*.json: valid JSON, unique panel ids, panels inside the
24-column grid, every query's data source the dashboard's variable, and every PromQL expression
parsed by `promtool check rules` (Grafana's $__rate_interval and $job replaced by values).

Usage: check-dashboard.py [PROMTOOL]   (default: promtool on PATH)
Which metrics exist is checked against a running server by testdata-server/tests/edge.rs."""
import glob
import json
import os
import subprocess
import sys
import tempfile

promtool = sys.argv[1] if len(sys.argv) > 1 else "promtool"
problems = []
rules = []
for path in sorted(glob.glob("deploy/grafana/dashboards/*.json")):
    with open(path) as f:
        dash = json.load(f)
    ids = [p["id"] for p in dash["panels"]]
    if len(ids) != len(set(ids)):
        problems.append(f"{path}: duplicate panel ids")
    for p in dash["panels"]:
        g = p["gridPos"]
        if g["x"] + g["w"] > 24:
            problems.append(f"{path}: panel {p['title']!r} is wider than the grid")
        if p["type"] == "row":
            continue
        if not p.get("targets"):
            problems.append(f"{path}: panel {p['title']!r} has no query")
        for t in p.get("targets", []):
            if t.get("datasource", {}).get("uid") != "${datasource}":
                problems.append(f"{path}: panel {p['title']!r} does not use the $datasource variable")
            expr = t["expr"].replace("$__rate_interval", "5m").replace("$job", ".*")
            rules.append({"record": f"dashboard:panel{p['id']}:{t['refId']}", "expr": expr})
if not rules:
    problems.append("no dashboard queries found")
with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, f)  # JSON is YAML
try:
    out = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
    if out.returncode != 0:
        problems.append("promtool rejects a dashboard expression:\n" + out.stdout + out.stderr)
finally:
    os.unlink(f.name)
for p in problems:
    print(p)
print(f"{len(rules)} queries checked")
sys.exit(1 if problems else 0)
