#!/usr/bin/env bash
# A local multi-process CityArray cluster on loopback, on PostgreSQL: N silo processes and M gateway processes,
# each on free ports, logs in a folder, one pidfile per process. The fault tests (tests/CityArray.Tests/Cluster)
# and the benchmarks drive it through the same commands.
#
#   export SECRET_KEY=<32+ random characters> ADMIN_USERNAME=admin ADMIN_PASSWORD=<12+ characters>
#   DATABASE_URL=postgresql://user:pass@127.0.0.1:5432/db deploy/local-cluster.sh start --silos 3 --gateways 2
#   deploy/local-cluster.sh status                # pids, ports, gateway URLs
#   deploy/local-cluster.sh kill-silo 2           # SIGKILL, as a crash
#   deploy/local-cluster.sh term-silo 2           # SIGTERM and wait (graceful)
#   deploy/local-cluster.sh start-silo 2          # (re)start silo 2 on its ports
#   deploy/local-cluster.sh kill-gateway 1 | term-gateway 1 | start-gateway 1
#   deploy/local-cluster.sh restart-silos [gap]   # kill every silo, wait gap seconds (default 5), start them again
#   deploy/local-cluster.sh wait-ready [seconds]  # until every running gateway answers /ready
#   deploy/local-cluster.sh stop                  # SIGTERM everything (SIGKILL after 30 s)
#
# Options (start): --silos N (3) --gateways M (2) --dir DIR (CLUSTER_DIR or ./.local-cluster)
#   --bin DIR: folder holding CityArray.Silo.dll and CityArray.Gateway.dll (default: builds Silo and Gateway
#   into DIR/bin). --no-wait: return without waiting for /ready.
# Every other command takes --dir too. The cluster and service ids are fresh per start unless ORLEANS_CLUSTER_ID /
# ORLEANS_SERVICE_ID are set; any other variable in the environment (SIGN_OFFLINE_AFTER_SECONDS, LOG_LEVEL, ...)
# reaches every process. DATABASE_URL falls back to CITYARRAY_TEST_POSTGRES_URL.
# Cluster mode is always secured: SECRET_KEY (32+ characters) must be set in the environment of start and of every
# later start-silo/start-gateway/restart-silos (a gateway refuses to start without it); ADMIN_USERNAME and
# ADMIN_PASSWORD create the bootstrap admin to sign in with (POST /api/auth/token; see docs/security.md). The script
# never stores them: export them in the shell that drives the cluster.
set -euo pipefail

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
[ $# -ge 1 ] || usage
command=$1; shift
dir=${CLUSTER_DIR:-./.local-cluster}; silos=3; gateways=2; bin=""; wait_ready=1; args=()
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --silos) silos=$2; shift 2 ;;
    --gateways) gateways=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --no-wait) wait_ready=0; shift ;;
    -h|--help) usage 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
state=$dir/cluster.env

# Cluster mode is always secured: refuse before touching any process rather than leave a half-started cluster.
case $command in
  start|start-silo|start-gateway|restart-silos)
    [ -n "${SECRET_KEY:-}" ] || { echo "SECRET_KEY is not set: cluster mode needs it (32+ characters, with ADMIN_USERNAME/ADMIN_PASSWORD to sign in; see docs/security.md)" >&2; exit 2; } ;;
esac

free_port() {
  # A port nobody listens on and that this script has not handed out yet (remembered in a file: this runs in a
  # subshell per call). Taken below Linux's ephemeral range (32768+), so an outgoing connection's local port (a
  # database or HTTP client anywhere on the machine) cannot take it before the process binds it.
  local p taken="$dir/.ports"
  touch "$taken"
  while :; do
    p=$(( 20000 + RANDOM % 12000 ))
    grep -qx "$p" "$taken" && continue
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p" >> "$taken"; echo "$p"; return; fi
  done
}

load() { [ -f "$state" ] || { echo "no cluster in $dir (run start first)" >&2; exit 1; }; set -a; . "$state"; set +a; }

pid_of() { local f=$dir/pids/$1.pid; [ -f "$f" ] && cat "$f" || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

launch() { # name dll env...
  local name=$1 dll=$2; shift 2
  if alive "$name"; then echo "$name already running (pid $(pid_of "$name"))"; return; fi
  env "$@" DATABASE_URL="$DATABASE_URL" ORLEANS_CLUSTER_ID="$CLUSTER_ID" ORLEANS_SERVICE_ID="$SERVICE_ID" \
    nohup dotnet "$BIN/$dll" >>"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/pids/$name.pid"
  echo "$name started (pid $!)"
}

start_silo() { local i=$1 sp gp mp; sp=$(eval echo "\$SILO_${i}_PORT"); gp=$(eval echo "\$SILO_${i}_GATEWAY_PORT"); mp=$(eval echo "\${SILO_${i}_METRICS_PORT:-0}")
  [ -n "$sp" ] || { echo "no silo $i" >&2; exit 1; }
  launch "silo-$i" CityArray.Silo.dll ORLEANS_SILO_PORT="$sp" ORLEANS_GATEWAY_PORT="$gp" ORLEANS_ADVERTISED_IP=127.0.0.1 SILO_METRICS_HOST=127.0.0.1 SILO_METRICS_PORT="$mp"; }
start_gateway() { local i=$1 p; p=$(eval echo "\$GATEWAY_${i}_PORT")
  [ -n "$p" ] || { echo "no gateway $i" >&2; exit 1; }
  launch "gateway-$i" CityArray.Gateway.dll HOST=127.0.0.1 PORT="$p"; }

signal() { # name signal wait?
  local name=$1 sig=$2 pid; pid=$(pid_of "$name")
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then echo "$name not running"; return; fi
  kill "-$sig" "$pid" 2>/dev/null || true
  if [ "$3" = wait ]; then
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name did not stop in 30 s: SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
  else
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  echo "$name stopped ($sig)"
}

wait_gateways() {
  local timeout=${1:-120} deadline i p pending
  deadline=$(( $(date +%s) + timeout ))
  while :; do
    pending=""
    for i in $(seq 1 "$GATEWAYS"); do
      alive "gateway-$i" || continue
      p=$(eval echo "\$GATEWAY_${i}_PORT")
      curl -fsS -m 5 "http://127.0.0.1:$p/ready" >/dev/null 2>&1 || pending="$pending gateway-$i"
    done
    [ -z "$pending" ] && { echo "ready"; return 0; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "not ready in ${timeout}s:$pending (logs: $dir/logs)" >&2; return 1; }
    sleep 0.5
  done
}

case $command in
  start)
    url=${DATABASE_URL:-${CITYARRAY_TEST_POSTGRES_URL:-}}
    case $url in postgres://*|postgresql://*) ;; *) echo "set DATABASE_URL=postgresql://user:pass@host:port/db" >&2; exit 2 ;; esac
    if [ -f "$state" ]; then load; for f in "$dir"/pids/*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && { echo "a cluster is running in $dir: stop it first" >&2; exit 1; }; done; fi
    mkdir -p "$dir/logs" "$dir/pids"; rm -f "$dir"/pids/*.pid
    if [ -z "$bin" ]; then
      root=$(cd "$(dirname "$0")/.." && pwd); bin=$dir/bin
      dotnet build "$root/Silo" -o "$bin" -v q -nologo >&2
      dotnet build "$root/Gateway" -o "$bin" -v q -nologo >&2
    fi
    bin=$(cd "$bin" && pwd)
    suffix=$(date +%s)$RANDOM
    {
      echo "DATABASE_URL='$url'"
      echo "CLUSTER_ID='${ORLEANS_CLUSTER_ID:-local-$suffix}'"
      echo "SERVICE_ID='${ORLEANS_SERVICE_ID:-local-$suffix}'"
      echo "BIN='$bin'"
      echo "SILOS=$silos"
      echo "GATEWAYS=$gateways"
      for i in $(seq 1 "$silos"); do echo "SILO_${i}_PORT=$(free_port)"; echo "SILO_${i}_GATEWAY_PORT=$(free_port)"; echo "SILO_${i}_METRICS_PORT=$(free_port)"; done
      for i in $(seq 1 "$gateways"); do p=$(free_port); echo "GATEWAY_${i}_PORT=$p"; echo "GATEWAY_${i}_URL=http://127.0.0.1:$p"; done
    } >"$state"
    load
    for i in $(seq 1 "$SILOS"); do start_silo "$i"; done
    for i in $(seq 1 "$GATEWAYS"); do start_gateway "$i"; done
    if [ "$wait_ready" = 1 ]; then wait_gateways 180; fi
    ;;
  status)
    load
    echo "cluster $CLUSTER_ID service $SERVICE_ID in $dir"
    for i in $(seq 1 "$SILOS"); do
      s=down; alive "silo-$i" && s="up pid $(pid_of "silo-$i")"
      echo "silo-$i    $s ports $(eval echo "\$SILO_${i}_PORT")/$(eval echo "\$SILO_${i}_GATEWAY_PORT")"
    done
    for i in $(seq 1 "$GATEWAYS"); do
      s=down; alive "gateway-$i" && s="up pid $(pid_of "gateway-$i")"
      echo "gateway-$i $s $(eval echo "\$GATEWAY_${i}_URL")"
    done
    ;;
  kill-silo) load; signal "silo-${args[0]}" KILL nowait ;;
  term-silo) load; signal "silo-${args[0]}" TERM wait ;;
  start-silo) load; start_silo "${args[0]}" ;;
  kill-gateway) load; signal "gateway-${args[0]}" KILL nowait ;;
  term-gateway) load; signal "gateway-${args[0]}" TERM wait ;;
  start-gateway) load; start_gateway "${args[0]}" ;;
  restart-silos)
    load
    for i in $(seq 1 "$SILOS"); do signal "silo-$i" KILL nowait; done
    sleep "${args[0]:-5}"
    for i in $(seq 1 "$SILOS"); do start_silo "$i"; done
    ;;
  wait-ready) load; wait_gateways "${args[0]:-120}" ;;
  stop)
    load
    for i in $(seq 1 "$GATEWAYS"); do signal "gateway-$i" TERM wait; done
    for i in $(seq 1 "$SILOS"); do signal "silo-$i" TERM wait; done
    ;;
  *) usage ;;
esac
