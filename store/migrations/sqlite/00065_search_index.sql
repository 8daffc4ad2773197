-- +goose Up
-- The full-text index of transactions.search_text was an FTS5 table here.
-- The SQLite built into mattn/go-sqlite3, the driver since, has no FTS5
-- (short of a build tag, which `go run` and `go test` as the README writes
-- them would not pass), so the index is created by migration 00140, as FTS4;
-- a database that ran this migration before has its FTS5 table replaced
-- there. Nothing is left to do here.
SELECT 1;

-- +goose Down
SELECT 1;
