-- +goose Up
-- How a transaction's amount was obtained: '' from Powens' value,
-- 'gross_commission' or 'gross' when value was null (payment platforms), and
-- 'unknown' when no amount could be derived: such a transaction is shown but
-- left out of balances and exports.
ALTER TABLE transactions ADD COLUMN amount_origin TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE transactions DROP COLUMN amount_origin;
