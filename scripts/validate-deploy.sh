#!/usr/bin/env bash
# Validates deploy/ with registry tools (run by scripts/test-all.sh; prints "N passed, N failed"):
#   - yamllint (deploy/.yamllint.yaml) on every YAML file;
#   - kubernetes-validate --strict: each manifest against the Kubernetes API schema;
#   - scripts/check-configmap.py: every setting the server reads is in the ConfigMap or Secret;
#   - promtool: alert rules (check + unit tests), the Prometheus configuration and every query
#     of the Grafana dashboard (scripts/check-dashboard.py);
#   - checkov (security/best-practice policies) when CHECKOV=1 or --checkov: its install
#     (~300 MB of Python packages) takes minutes, so CI runs it only when asked.
# Tools go into a venv under target/ (PyPI only); promtool comes from Debian's `prometheus`.
set -uo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--checkov" ] && CHECKOV=1
venv=target/venv-tools/deploy
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" || { echo "validate-deploy: python3 -m venv failed (apt-get install python3-venv)" >&2; exit 1; }
fi
py="$venv/bin/python"
"$py" -c 'import yamllint, kubernetes_validate, yaml' 2>/dev/null \
  || "$venv/bin/pip" install -q --disable-pip-version-check yamllint kubernetes-validate pyyaml \
  || { echo "validate-deploy: pip install failed" >&2; exit 1; }

passed=0 failed=0
check() {
  local name=$1; shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; echo "$out" | sed 's/^/     /'
  fi
}
manifests=()
for f in deploy/k8s/*.yaml; do [ "$(basename "$f")" = kustomization.yaml ] || manifests+=("$f"); done

check yamllint "$venv/bin/yamllint" -c deploy/.yamllint.yaml --strict deploy/
check kubernetes-validate "$venv/bin/kubernetes-validate" --strict --quiet "${manifests[@]}"
check kustomization-lists-files "$py" -c '
import sys, yaml, os
k = yaml.safe_load(open("deploy/k8s/kustomization.yaml"))
missing = [r for r in k["resources"] if not os.path.isfile(os.path.join("deploy/k8s", r))]
sys.exit(f"kustomization.yaml lists missing files: {missing}" if missing else 0)'
check configmap-has-every-setting "$py" scripts/check-configmap.py
if command -v promtool >/dev/null 2>&1; then
  check "promtool check rules" promtool check rules deploy/prometheus/alerts.yaml
  check "promtool test rules" promtool test rules deploy/prometheus/alerts_test.yaml
  check "promtool check config" promtool check config deploy/prometheus/prometheus.yaml
  check "grafana dashboard (structure, PromQL)" "$py" scripts/check-dashboard.py
else
  failed=$((failed + 1)); echo "FAIL promtool is missing (apt-get install prometheus)"
fi
if [ "${CHECKOV:-0}" = 1 ]; then
  "$py" -c 'import checkov' 2>/dev/null || "$venv/bin/pip" install -q --disable-pip-version-check checkov
  # The skipped checks are annotated in the manifests with their reasons (checkov.io/skipN).
  check checkov "$venv/bin/checkov" --quiet --compact --skip-download --framework kubernetes -d deploy/k8s
fi
echo "validate-deploy: $passed passed, $failed failed"
[ "$failed" = 0 ]
