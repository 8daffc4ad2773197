-- +goose Up
-- The reconcile pull per Powens user: when the last successful pull started
-- (the next one asks Powens for what changed since, with a margin), when the
-- next pull is due, and why the last one failed.
ALTER TABLE powens_users ADD COLUMN last_pull_at BIGINT;
ALTER TABLE powens_users ADD COLUMN next_pull_at BIGINT;
ALTER TABLE powens_users ADD COLUMN pull_error TEXT NOT NULL DEFAULT '';
CREATE INDEX powens_users_next_pull ON powens_users (next_pull_at);

-- +goose Down
DROP INDEX powens_users_next_pull;
ALTER TABLE powens_users DROP COLUMN pull_error;
ALTER TABLE powens_users DROP COLUMN next_pull_at;
ALTER TABLE powens_users DROP COLUMN last_pull_at;
