#!/usr/bin/env bash
# Ingest rate against the same server's /healthz rate, in one run (BENCHMARKS.md "Ingest").
# Usage: scripts/bench/ingest-vs-healthz.sh [seconds] [connections]   (after swift build -c release)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}; conns=${2:-32}; port=${PORT:-8097}
dir=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
zone=$(.build/release/textback-bench zone 2>/dev/null || echo America/Los_Angeles)
TEXTBACK_API_TOKEN=bench .build/release/textback serve --port "$port" --database "sqlite:$dir/bench.db" \
  --config scripts/bench/bench.yaml --log-level error ${SERVE_FLAGS:-} > "$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
echo "== /healthz"; wrk -t1 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/healthz" | grep -E "Requests/sec|50%|99%"
echo "== POST /v1/events/call-completed"
TB_ZONE=$zone TB_RUN=$RANDOM wrk -t1 -c"$conns" -d"${secs}s" --latency -s scripts/bench/ingest.lua "http://127.0.0.1:$port" \
  | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
echo "server RSS: $(ps -o rss= -p $server) KiB"
