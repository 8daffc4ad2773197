-- +goose Up
-- A push that finds a mapping held by another run asks that run to look
-- again before it lets go: the holder may have read the transactions before
-- the sync that woke the asker committed, and nothing else would push them
-- until the next periodic scan.
ALTER TABLE inqom_mappings ADD COLUMN rescan BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE inqom_mappings DROP COLUMN rescan;
