-- +goose Up
-- Statements sum an account's booked transactions (the exportable
-- condition) by date. The partial index that served this did not cover it
-- on SQLite, which reads a partial index's condition columns from the table:
-- summing a 1,000,000-row statement period then looked up every row. This
-- index holds those columns too, so the statement query reads the index
-- alone. (Balance histories read the day sums of migration 55; migration 56
-- dropped transactions_history, which is why this one drops it only if an
-- older build left it.)
CREATE INDEX transactions_booked ON transactions (user_id, account_id, date, value_minor, coming, deleted_at, amount_origin)
    WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown';
DROP INDEX IF EXISTS transactions_history;

-- +goose Down
DROP INDEX transactions_booked;
