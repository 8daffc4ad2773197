#!/usr/bin/env bash
# Side-by-side ingest benchmark (issue 15): freenahi's end-to-end figure (a
# signed CONNECTION_SYNCED posted to a real server, until processed) beside
# the raw insert rate of the same driver into a plain table of as many
# columns, measured in the same run, on SQLite and, when
# FREENAHI_TEST_POSTGRES_URL is set, PostgreSQL.
#
#   scripts/ingestbench.sh                          # 10 accounts × 5,000, 3 runs
#   scripts/ingestbench.sh -tx 50000 -runs 1        # a large first sync
#   scripts/ingestbench.sh -memory                  # peak RSS, 6 MB body
#   scripts/ingestbench.sh -memory -tx 50000        # peak RSS, 63 MB body
#   scripts/ingestbench.sh -memory -linked          # and POST-until-processed for a linked user
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/freenahi" ./cmd/freenahi
go build -o "$dir/ingestbench" ./scripts/ingestbench
echo "freenahi $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$dir/ingestbench" -bin "$dir/freenahi" -pg "${FREENAHI_TEST_POSTGRES_URL:-}" "$@"
