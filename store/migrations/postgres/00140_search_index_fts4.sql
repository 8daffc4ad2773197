-- +goose Up
-- SQLite's search index moved from FTS5 to FTS4 (the SQLite migration of the
-- same number); PostgreSQL's trigram index (00065) stays as it is.
SELECT 1;

-- +goose Down
SELECT 1;
