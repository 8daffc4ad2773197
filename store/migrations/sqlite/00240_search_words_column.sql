-- +goose Up
-- Nothing to change: on PostgreSQL, migration 00240 gives the word index a
-- column of words the writer fills. SQLite's FTS4 index (00140) tokenizes
-- the search text itself; the number is kept in step with PostgreSQL's.
SELECT 1;

-- +goose Down
SELECT 1;
