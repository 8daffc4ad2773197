#!/usr/bin/env bash
# Load-tests a real freenahi server on a temporary SQLite database (or on
# PostgreSQL with BENCH_DATABASE_URL=postgres://…): webhook acknowledgement
# latency under 32 concurrent senders, then 1,000,000 stored transactions and
# the transactions API and the web UI's transactions page under 16 concurrent
# clients. Prints p50/p90/p99.
#
#   scripts/bench.sh            # ROWS=1000000 by default
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${PORT:-18090}
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT

go build -o "$dir/freenahi" ./cmd/freenahi
go build -o "$dir/loadtest" ./scripts/loadtest
export FREENAHI_DATA_DIR="$dir/data" FREENAHI_DATABASE_URL="${BENCH_DATABASE_URL:-sqlite:$dir/data/freenahi.db}"
export POWENS_WEBHOOK_SECRET=bench-secret SERVER_LOG_LEVEL=warn SERVER_PORT=$PORT
url=http://127.0.0.1:$PORT

echo bench-password-1 | "$dir/freenahi" user create --email bench@example.com --password-stdin >/dev/null
echo bench-token | "$dir/freenahi" user link-powens --email bench@example.com --powens-user-id 4242 --powens-token-stdin >/dev/null
# The acknowledgement runs create 10,000 one-account connections: they go to
# other users, so the pages measured later are those of a realistic user.
for n in 2 3; do
  "$dir/freenahi" user create --email bench$n@example.com >/dev/null
  echo bench-token-$n | "$dir/freenahi" user link-powens --email bench$n@example.com --powens-user-id 425$n --powens-token-stdin >/dev/null
done
token=$("$dir/freenahi" token create --email bench@example.com 2>/dev/null)
"$dir/freenahi" serve & server=$!
for _ in $(seq 1 50); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.2; done

"$dir/loadtest" webhooks -url "$url" -secret bench-secret -powens-user 4252 -c 32 -n 5000 -tx 100
"$dir/loadtest" webhooks -url "$url" -secret bench-secret -powens-user 4253 -c 32 -n 5000 -tx 100 -rate 1000
"$dir/loadtest" seed -url "$url" -secret bench-secret -powens-user 4242 -rows "$ROWS" -token "$token"
"$dir/loadtest" transactions -url "$url" -token "$token" -c 16 -n 20000 -deep-page 10000
"$dir/loadtest" pages -url "$url" -email bench@example.com -password bench-password-1 -token "$token" -c 16 -n 5000 -deep-page 10000
