#!/usr/bin/env bash
# PostgreSQL scale-out figures on one machine (after `swift build -c release`):
#   1. ingest through 1 and then 2 `textback serve --no-worker` processes (wrk, S seconds each);
#   2. dispatch: the calls of step 1 wait (no worker runs while they come in), then 1, 2 or 4
#      `textback worker` processes drain them: texts/s from the first text to the last, 0 recipients twice;
#   3. lateness when idle: 200 calls posted 50 ms apart with 2 workers running, each text's delay past the
#      moment it fell due (the call's receipt + the automation's 1 s delay).
# A throwaway cluster (durable: fsync and synchronous_commit on) in a temporary folder, removed on exit.
# Usage: scripts/bench/postgres.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}; conns=${2:-32}
bin=$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | head -1)")
dir=$(mktemp -d); pids=()
as=(); if [[ "$(id -u)" == 0 ]]; then chown postgres "$dir"; as=(runuser -u postgres --); fi
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as[@]}" "$bin/initdb" -D "$dir/data" -U textback --auth=trust -E UTF8 >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=textback
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (fsync on, synchronous_commit on)"
export TEXTBACK_API_TOKEN=bench TB_ZONE=$(.build/release/textback-bench zone)
tb=.build/release/textback
cfg=scripts/bench/bench.yaml
q() { psql -d "$db" -Atc "$1"; }
serve() { # port → its pid in $srv. Not in a subshell, so cleanup knows the pid: a server left running from an
  # earlier run kept its port and answered /healthz for a database that was gone (the idle part then printed nothing).
  if curl -sf "http://127.0.0.1:$1/healthz" >/dev/null; then echo "port $1 is taken (a textback left from an earlier run?)" >&2; exit 1; fi
  $tb serve --no-worker --port "$1" --database "postgres://textback@127.0.0.1:$port/$db" --config $cfg --log-level error \
    --node "s$1" >> "$dir/serve.log" 2>&1 & srv=$!; pids+=("$srv")
  for _ in $(seq 400); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && break; sleep 0.025; done
  kill -0 "$srv" 2>/dev/null || { echo "textback serve on port $1 did not start; see its log" >&2; exit 1; }; }
load() { # seconds, ports… → summed requests/s
  local outs=() i=0
  for p in "${@:2}"; do TB_RUN="$db$p" TB_OFFSET=$((i * 3500000)) wrk -t1 -c"$conns" -d"$1s" --latency -s scripts/bench/ingest.lua "http://127.0.0.1:$p" > "$dir/wrk$i.txt" & outs+=($!); i=$((i+1)); done
  wait "${outs[@]}"
  cat "$dir"/wrk*.txt | awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}'
  echo -n "  (p50 $(grep ' 50%' "$dir/wrk0.txt" | awk '{print $2}'), p99 $(grep ' 99%' "$dir/wrk0.txt" | awk '{print $2}'))"
  rm -f "$dir"/wrk*.txt; }
drain() { # workers → texts/s
  local n=$1 calls ws=() start
  calls=$(q "SELECT COUNT(*) FROM calls"); sleep 1.2
  for i in $(seq "$n"); do $tb worker --database "postgres://textback@127.0.0.1:$port/$db" --config $cfg --log-level error --node "w$i" >> "$dir/worker.log" 2>&1 & ws+=($!); pids+=($!); done
  for _ in $(seq 6000); do [[ $(q "SELECT COUNT(*) FROM simulator_outbox") -ge $calls ]] && break; sleep 0.1; done
  kill "${ws[@]}" 2>/dev/null || true; wait "${ws[@]}" 2>/dev/null || true
  echo "$n worker(s): $calls calls; $(q "SELECT COUNT(*) FROM simulator_outbox") texts; $(q "SELECT round(COUNT(*) / ((MAX(sent_at) - MIN(sent_at)) / 1000.0)) FROM simulator_outbox") texts/s first to last; recipients texted twice: $(q "SELECT COUNT(*) FROM (SELECT to_number FROM simulator_outbox GROUP BY to_number HAVING COUNT(*) > 1) t")"; }
for w in 1 2 4; do
  db=bench_w$w; psql -d postgres -qc "CREATE DATABASE $db"; $tb migrate --database "postgres://textback@127.0.0.1:$port/$db" > /dev/null
  if [[ $w == 2 ]]; then
    serve 8201; a=$srv; serve 8202; b=$srv
    echo "ingest, 2 serve --no-worker: $(load "$secs" 8201 8202) calls/s"
    kill "$a" "$b"; wait "$a" "$b" 2>/dev/null || true
  else
    serve 8201; a=$srv; echo "ingest, 1 serve --no-worker: $(load "$secs" 8201) calls/s"; kill "$a"; wait "$a" 2>/dev/null || true
  fi
  drain "$w"
done
# Lateness when idle: 2 workers and 1 server running, calls trickling in.
db=bench_idle; psql -d postgres -qc "CREATE DATABASE $db"; $tb migrate --database "postgres://textback@127.0.0.1:$port/$db" > /dev/null
serve 8203
for i in 1 2; do $tb worker --database "postgres://textback@127.0.0.1:$port/$db" --config $cfg --log-level error --node "i$i" >> "$dir/worker.log" 2>&1 & pids+=($!); done
sleep 1
accepted=0
for i in $(seq 200); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' "http://127.0.0.1:8203/v1/events/call-completed" \
    -d "{\"call_id\":\"idle-$i\",\"direction\":\"inbound\",\"outcome\":\"no_answer\",\"from\":\"+1415626$(printf %04d "$i")\",\"to\":\"+15125550100\",\"contact\":{\"attributes\":{\"timezone\":\"$TB_ZONE\"}},\"variables\":{\"service\":\"repair\"}}") || true
  [[ $code == 202 ]] && accepted=$((accepted + 1))
  sleep 0.05
done
for _ in $(seq 100); do [[ $(q "SELECT COUNT(*) FROM simulator_outbox") -ge $accepted ]] && break; sleep 0.1; done
# Each text against its own call (text → message by idempotency key → run → call); times are epoch ms. The
# figures are NULL when no text went out, so the counts print on their own and the rest as '-'.
q "WITH l AS (SELECT o.sent_at - (c.received_at + 1000) AS ms FROM simulator_outbox o JOIN messages m ON m.idempotency_key = o.idempotency_key
              JOIN runs r ON r.id = m.run_id JOIN calls c ON c.id = r.call_id)
   SELECT 'lateness when idle (ms past due), ' || COUNT(*) || ' texts for $accepted of 200 calls accepted, 2 workers: p50 ' ||
     COALESCE(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::text, '-') || ', p90 ' ||
     COALESCE(round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms))::text, '-') || ', p99 ' ||
     COALESCE(round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::text, '-') || ', max ' || COALESCE(MAX(ms)::text, '-') FROM l"
# pgqueuer's own throughput benchmark on the same server, as the reference (PGQUEUER=path to its repository).
if [[ -n "${PGQUEUER:-}" ]]; then
  db=pgq; psql -d postgres -qc "CREATE DATABASE $db"; export PGDATABASE=$db
  pgq install >/dev/null
  for d in 1 2 4; do
    echo "pgqueuer tools/benchmark.py --dequeue $d (asyncpg, batch 10), 15 s:"
    python3 "$PGQUEUER/tools/benchmark.py" --time 15 --dequeue "$d" --dequeue-batch-size 10 2>/dev/null | grep -E "Rate|Steps|Queued" | tr -s ' '
  done
fi
