#!/usr/bin/env bash
# Runs the whole benchmark suite (every scenario against its baseline in the same run) and writes
# bench/results/<profile>/{summary.json,results.md,*.svg}. Usage: bench/run-all.sh [full|quick|smoke] [loadgen options]
#   bench/run-all.sh quick --cluster   the PostgreSQL cluster profile (2 silos, 2 gateways through deploy/local-cluster.sh,
#                                      a fresh database per run) -> bench/results/cluster-<profile>/
# The SQL claim baseline (and the cluster profile) use $CITYARRAY_TEST_POSTGRES_URL (or start the local test PostgreSQL
# via .ci/pg-start.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
profile="${1:-full}"
[ $# -gt 0 ] && shift
out="bench/results/$profile"
for a in "$@"; do [ "$a" = --cluster ] && out="bench/results/cluster-$profile"; done
if [[ -z "${CITYARRAY_TEST_POSTGRES_URL:-}" && -f .ci/pg-start.sh ]]; then
  source .ci/pg-start.sh || echo "no PostgreSQL: the SQL claim baseline is skipped (and the cluster profile cannot run)"
fi
ulimit -n 20000 2>/dev/null || true
dotnet build -c Release bench/LoadGen/LoadGen.csproj -v quiet -nologo
dotnet bench/LoadGen/bin/Release/net10.0/CityArray.LoadGen.dll suite --profile "$profile" --out "$out" "$@"
