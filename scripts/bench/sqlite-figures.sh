#!/usr/bin/env bash
# Every SQLite figure of BENCHMARKS.md's issue-6 table in one sitting, one after another (after
# swift build -c release): CPU per request for /healthz and ingest (without and with the job runner), end to
# end with and without ingest yielding to a late runner, kill -9 under load both ways, lateness idle and for
# 100,000 texts due at once.
# Usage: scripts/bench/sqlite-figures.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
e2e() { grep -vE "^\s*[0-9.]+ s  calls"; }
echo "### $(date -u +%H:%M) UTC, $(git log --oneline -1 | cut -c1-7), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## /healthz and ingest, serve --no-worker"; SERVE_FLAGS="--no-worker" scripts/bench/cpu-per-request.sh 10 32 | tail -2
echo "## /healthz and ingest, serve with its job runner"; scripts/bench/cpu-per-request.sh 10 32 | tail -2
echo "## end to end"; scripts/bench/end-to-end.sh 15 32 | e2e; sleep 2
echo "## end to end, --ingest-yield-after 0"; SERVE_FLAGS="--ingest-yield-after 0" scripts/bench/end-to-end.sh 15 32 | e2e; sleep 2
echo "## kill -9 halfway"; KILL=1 scripts/bench/end-to-end.sh 16 32 | e2e; sleep 2
echo "## kill -9 halfway, --ingest-yield-after 0"; KILL=1 SERVE_FLAGS="--ingest-yield-after 0" scripts/bench/end-to-end.sh 16 32 | e2e; sleep 2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
echo "## lateness, idle"
.build/release/textback-bench lateness --database "$dir/idle.db" --config scripts/bench/bench.yaml --calls 500 --spread-ms 20 | tail -3
echo "## lateness, 100,000 due at once"
.build/release/textback-bench lateness --database "$dir/burst.db" --config scripts/bench/bench.yaml --calls 100000 --spread-ms 0 --due-in 90 | tail -3
echo "### end $(date -u +%H:%M) UTC"
