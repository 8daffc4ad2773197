-- +goose Up
-- Nothing to change: on PostgreSQL, migration 00250 changes how the
-- deferred report sums of an ingest event are applied. SQLite keeps its
-- sums its own way (00110); the number is kept in step with PostgreSQL's.
SELECT 1;

-- +goose Down
SELECT 1;
