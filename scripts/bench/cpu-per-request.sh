#!/usr/bin/env bash
# CPU time the server spends per request, for /healthz and for ingest, in one run: a figure a noisy,
# shared machine cannot skew much (wall-clock rates depend on what else runs; CPU per request does not).
# Usage: scripts/bench/cpu-per-request.sh [seconds] [connections]   (after swift build -c release)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}; conns=${2:-32}; port=${PORT:-8096}
dir=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
TEXTBACK_API_TOKEN=bench .build/release/textback serve --port "$port" --database "sqlite:$dir/bench.db" \
  --config scripts/bench/bench.yaml --log-level error ${SERVE_FLAGS:-} > "$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' /proc/$server/stat; }
measure() { # name, then the wrk arguments
  local name=$1; shift
  local before; before=$(cpu)
  local out; out=$(wrk -t1 -c"$conns" -d"${secs}s" --latency "$@")
  local after; after=$(cpu)
  local requests; requests=$(echo "$out" | awk '/requests in/ {print $1}')
  local rate; rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local p50; p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  local p99; p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  awk -v n="$name" -v r="$requests" -v c="$((after - before))" -v t="$ticks" -v rate="$rate" -v p50="$p50" -v p99="$p99" \
    'BEGIN { printf "%-34s %8s req/s  p50 %-8s p99 %-8s  server CPU %6.1f us/request\n", n, rate, p50, p99, c / t / r * 1e6 }'
}
measure "GET /healthz" "http://127.0.0.1:$port/healthz"
TB_ZONE=$(.build/release/textback-bench zone) TB_RUN=$RANDOM measure "POST /v1/events/call-completed" -s scripts/bench/ingest.lua "http://127.0.0.1:$port"
