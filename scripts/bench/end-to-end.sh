#!/usr/bin/env bash
# End to end on one server: wrk posts missed calls for N seconds while the server's own job runner texts
# them (simulator outbox); then `textback-bench watch` follows until every stored call has its text.
# Prints the ingest rate, texts/s from the first text to the last, the backlog's peak, the longest pause
# between two texts and how many recipients got more than one text (must be 0).
# With KILL=1 the server is SIGKILLed halfway through the load and restarted at once under the same
# --node name (so it releases what its dead incarnation had claimed): the longest pause is the outage.
# Usage: [KILL=1] scripts/bench/end-to-end.sh [seconds] [connections]   (after swift build -c release)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-15}; conns=${2:-32}; port=${PORT:-8093}
dir=$(mktemp -d); server=
trap 'kill -9 $server 2>/dev/null || true; rm -rf "$dir"' EXIT
db="$dir/bench.db"
start() {
  TEXTBACK_API_TOKEN=bench .build/release/textback serve --port "$port" --database "sqlite:$db" \
    --config scripts/bench/bench.yaml --log-level error --node bench-node ${SERVE_FLAGS:-} >> "$dir/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 400); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.025; done
  echo "server did not start"; cat "$dir/serve.log"; exit 1
}
q() { sqlite3 "$db" "$1"; }
start
export TB_ZONE=$(.build/release/textback-bench zone) TB_RUN=$RANDOM
wrk -t1 -c"$conns" -d"${secs}s" --latency -s scripts/bench/ingest.lua "http://127.0.0.1:$port" > "$dir/wrk.txt" &
load=$!
if [[ "${KILL:-0}" == 1 ]]; then
  sleep "$((secs / 2))"
  echo "texts before kill -9: $(q 'SELECT COUNT(*) FROM simulator_outbox')"
  kill -9 "$server"; wait "$server" 2>/dev/null || true
  killed=$(date +%s.%N); start; up=$(date +%s.%N)
  echo "killed mid-load; restarted and answering /healthz after $(echo "$up - $killed" | bc) s"
fi
wait "$load" || true
texted=$(q 'SELECT COUNT(*) FROM simulator_outbox')
grep -E "requests in|Requests/sec|50%|99%|Non-2xx|Socket errors" "$dir/wrk.txt"
calls=$(q 'SELECT COUNT(*) FROM calls')
echo "calls stored: $calls; texted while the load ran: $texted"
.build/release/textback-bench watch --database "$db" --texts "$calls" --timeout 900 | tail -"${TAIL:-3}"
first_last=$(q 'SELECT (MAX(sent_at) - MIN(sent_at)) / 1000.0 FROM simulator_outbox')
echo "end to end: $calls texts from the first to the last in $first_last s: $(echo "$calls / $first_last" | bc) texts/s"
ticks=$(getconf CLK_TCK)
echo "server CPU per missed call, ingest and text (this incarnation): $(awk -v t="$ticks" -v c="$calls" '{printf "%.0f", ($14 + $15) / t / c * 1e6}' /proc/$server/stat) us"
echo "longest pause between two texts: $(q 'SELECT MAX(sent_at - prev) FROM (SELECT sent_at, LAG(sent_at) OVER (ORDER BY seq) AS prev FROM simulator_outbox)') ms"
echo "recipients texted more than once: $(q 'SELECT COUNT(*) FROM (SELECT to_number FROM simulator_outbox GROUP BY to_number HAVING COUNT(*) > 1)')"
echo "server RSS: $(ps -o rss= -p "$server") KiB"
