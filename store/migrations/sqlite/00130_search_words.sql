-- +goose Up
-- PostgreSQL's text search index changed from trigrams to words (see the
-- PostgreSQL migration of this number); SQLite's FTS5 index (00065) already
-- holds words. Nothing changes here: the number is kept in step with
-- PostgreSQL's.
SELECT 1;

-- +goose Down
SELECT 1;
