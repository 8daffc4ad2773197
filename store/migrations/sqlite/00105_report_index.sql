-- +goose Up
-- The reports (cash flow, spending by category and payee, budget progress)
-- sum a period of a person's live, known-amount transactions that are not
-- transfers. They read it through transactions_user_date and the table, or
-- worse, account by account: a year of 1,000,000 transactions took
-- seconds. This index is that period in date order with every column the
-- reports read (the rowid joins the split parts) and the columns of its own
-- condition, which SQLite would otherwise read from the table, so a report
-- reads the index alone.
CREATE INDEX transactions_report ON transactions
    (user_id, date, account_id, value_minor, category_id, payee, transfer, deleted_at, amount_origin)
    WHERE deleted_at IS NULL AND amount_origin <> 'unknown' AND transfer = FALSE;

-- +goose Down
DROP INDEX transactions_report;
