-- +goose Up
-- The dashboard lists a person's newest coming debits. Coming transactions
-- are few, but found through transactions_user_date they cost a walk over
-- every transaction of the person when there are none; this index holds
-- only them, in the listing's order.
CREATE INDEX transactions_coming ON transactions (user_id, date DESC, id DESC)
    WHERE coming = TRUE AND deleted_at IS NULL;

-- +goose Down
DROP INDEX transactions_coming;
