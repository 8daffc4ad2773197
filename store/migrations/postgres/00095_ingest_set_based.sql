-- +goose Up
-- Migration 95 lets SQLite's ingest keep the day sums and the search index
-- once per batch instead of by row triggers. PostgreSQL's day-sum triggers
-- are already per statement (migration 55) and its search index is an
-- ordinary index: nothing changes here. The number is taken on both engines
-- so that an archive or a copy between them names the same schema.
SELECT 1;

-- +goose Down
SELECT 1;
