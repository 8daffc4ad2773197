-- +goose Up
-- The other side of a detected transfer between the person's own accounts.
-- While it is set, a sync keeps the row's transfer mark.
ALTER TABLE transactions ADD COLUMN transfer_pair_id BIGINT;

-- +goose Down
ALTER TABLE transactions DROP COLUMN transfer_pair_id;
