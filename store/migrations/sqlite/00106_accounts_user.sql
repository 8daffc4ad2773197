-- +goose Up
-- A person's accounts are read on every page (FindAccounts: the person's,
-- by connection then id). With no index starting with user_id but the
-- unique (user_id, powens_id), SQLite chose to walk accounts_connection in
-- that order through every person's accounts. This index finds the
-- person's and already holds them in the order asked.
CREATE INDEX accounts_user ON accounts (user_id, connection_id, id);

-- +goose Down
DROP INDEX accounts_user;
