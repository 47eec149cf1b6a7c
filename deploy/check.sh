#!/usr/bin/env bash
# Offline checks for deploy/ (no Docker daemon or cluster needed):
#  - every YAML file parses (python3-yaml: apt-get install -y python3-yaml)
#  - kustomize renders deploy/k8s (kubectl kustomize)
#  - systemd units pass systemd-analyze verify (the template is checked as instance @1)
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import glob, yaml
for f in sorted(glob.glob("compose/*.yml") + glob.glob("k8s/*.yaml")):
    list(yaml.safe_load_all(open(f)))
    print("yaml ok:", f)
PY
kubectl kustomize k8s >/dev/null && echo "kustomize ok: k8s"
if command -v systemd-analyze >/dev/null; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cp systemd/cityarray-gateway.service "$tmp/"
  cp systemd/cityarray-silo@.service "$tmp/cityarray-silo@1.service"
  # Unknown keys are warnings on stderr: fail on any output.
  out=$(systemd-analyze verify "$tmp"/*.service 2>&1 | grep -v 'is not executable' || true)
  [ -z "$out" ] || { echo "$out"; exit 1; }
  echo "systemd ok: units"
fi
