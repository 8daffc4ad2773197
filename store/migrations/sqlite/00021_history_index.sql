-- +goose Up
-- Balance histories sum each account's booked transactions per day (the
-- condition statements use). This index covers that query, so it reads the
-- index in (account, date) order instead of every row of the table.
CREATE INDEX transactions_history ON transactions (user_id, account_id, date, value_minor)
    WHERE coming = FALSE AND deleted_at IS NULL AND amount_origin <> 'unknown';

-- +goose Down
DROP INDEX transactions_history;
