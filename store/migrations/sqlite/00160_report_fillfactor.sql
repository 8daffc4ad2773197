-- +goose Up
-- PostgreSQL's report sums leave room on their pages for updated rows (see
-- the PostgreSQL migration of this number); SQLite has no such setting
-- (its report tables are WITHOUT ROWID b-trees, updated in place). The
-- number is kept in step with PostgreSQL's.
SELECT 1;

-- +goose Down
SELECT 1;
