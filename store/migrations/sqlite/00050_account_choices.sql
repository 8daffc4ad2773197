-- +goose Up
-- A person's own choices about an account, which a sync never touches: the
-- name they gave it (Powens' name stays in name), whether it is hidden or
-- archived (both leave it out of totals and net worth), and the group they
-- put it in ('' keeps the group of its type).
ALTER TABLE accounts ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN chosen_group TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE accounts DROP COLUMN chosen_group;
ALTER TABLE accounts DROP COLUMN archived;
ALTER TABLE accounts DROP COLUMN hidden;
ALTER TABLE accounts DROP COLUMN display_name;
