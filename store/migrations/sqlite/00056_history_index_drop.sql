-- +goose Up
-- Histories read the day sums of transaction_days (migration 55) instead of
-- summing transactions: the partial index that covered that sum serves no
-- query any more, and every transaction written paid for it.
DROP INDEX transactions_history;

-- +goose Down
CREATE INDEX transactions_history ON transactions (user_id, account_id, date, value_minor)
    WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown';
