-- +goose Up
-- Statements and balance histories sum an account's booked transactions
-- (the exportable condition) by date. transactions_history served both but
-- did not cover them on SQLite, which reads a partial index's condition
-- columns from the table: summing a 1,000,000-row statement period then
-- looked up every row. This index holds those columns too, so both queries
-- read the index alone; it replaces transactions_history, so ingestion keeps
-- the same number of indexes to maintain.
CREATE INDEX transactions_booked ON transactions (user_id, account_id, date, value_minor, coming, deleted_at, amount_origin)
    WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown';
DROP INDEX transactions_history;

-- +goose Down
CREATE INDEX transactions_history ON transactions (user_id, account_id, date, value_minor)
    WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown';
DROP INDEX transactions_booked;
