-- +goose Up
-- A person's accounts are read on every page (FindAccounts: the person's,
-- by connection then id); this index finds them already in that order,
-- without sorting (the same index as SQLite's, which needed it more).
CREATE INDEX accounts_user ON accounts (user_id, connection_id, id);

-- +goose Down
DROP INDEX accounts_user;
