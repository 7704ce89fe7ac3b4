#!/usr/bin/env python3
"""Fails unless every setting the server reads from its environment is wired in deploy/k8s.

The settings are read from the source: every `env = "NAME"` of testdata-server/src/config.rs
and of testdata-server/src/limits.rs and pattern_store.rs (flattened into it)
(the server's flags) and every `get("NAME")` (and `positive`, `number`) of testdata/src/llm/config.rs (the LLM path).
Each must be a key of the ConfigMap (deploy/k8s/configmap.yaml) or of the Secret template
(deploy/k8s/secret.yaml), and the Deployment must load both with envFrom.
"""
import re
import sys
from pathlib import Path

import yaml

root = Path(__file__).resolve().parent.parent
sources = {
    "testdata-server/src/config.rs": r'env\s*=\s*"([A-Z][A-Z0-9_]*)"',
    "testdata-server/src/limits.rs": r'env\s*=\s*"([A-Z][A-Z0-9_]*)"',
    "testdata-server/src/pattern_store.rs": r'env\s*=\s*"([A-Z][A-Z0-9_]*)"',
    "testdata/src/llm/config.rs": r'\b(?:get|positive|number)\("([A-Z][A-Z0-9_]*)"',
}
settings = {}
for path, pattern in sources.items():
    found = set(re.findall(pattern, (root / path).read_text()))
    if not found:
        sys.exit(f"check-configmap: no settings found in {path}; has its layout changed?")
    for name in found:
        settings[name] = path

configmap = yaml.safe_load((root / "deploy/k8s/configmap.yaml").read_text())["data"]
secret = yaml.safe_load((root / "deploy/k8s/secret.yaml").read_text())["stringData"]
wired = set(configmap) | set(secret)
missing = sorted(n for n in settings if n not in wired)
unknown = sorted(n for n in wired if n not in settings)
deployment = yaml.safe_load((root / "deploy/k8s/deployment.yaml").read_text())
env_from = deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"]
loaded = {(k, v["name"]) for e in env_from for k, v in e.items()}
problems = []
if missing:
    problems += [f"{n} (read in {settings[n]}) is in neither configmap.yaml nor secret.yaml" for n in missing]
if unknown:
    problems += [f"{n} is wired in deploy/k8s but no longer read by the server" for n in unknown]
for ref in [("configMapRef", "testdata-server"), ("secretRef", "testdata-server")]:
    if ref not in loaded:
        problems.append(f"deployment.yaml does not load {ref[0]} {ref[1]} with envFrom")
for p in problems:
    print(f"check-configmap: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"check-configmap: all {len(settings)} settings are wired ({len(configmap)} in the ConfigMap, {len(secret)} in the Secret)")
