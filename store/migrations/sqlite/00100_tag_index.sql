-- +goose Up
-- The transactions page offers the tags in use as a filter. Few transactions
-- carry a tag, so a partial index over them lists a user's tags without
-- reading the rest of a long history; it holds deleted_at too, so SQLite
-- answers from the index alone.
CREATE INDEX transactions_tagged ON transactions (user_id, tags, deleted_at) WHERE tags <> '';

-- +goose Down
DROP INDEX transactions_tagged;
