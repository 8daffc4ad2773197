-- +goose Up
-- Nothing to change: on PostgreSQL, migration 00220 lets the ingest of one
-- event apply the monthly report sums once instead of once per statement.
-- SQLite keeps them by row triggers (00110), which no deferral would make
-- cheaper; the number is kept in step with PostgreSQL's.
SELECT 1;

-- +goose Down
SELECT 1;
