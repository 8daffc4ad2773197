-- +goose Up
-- Powens transaction ids are unique per user, not per account: a transaction
-- Powens moves to another account (a card's deferred debit re-filed, an
-- account split) keeps its id, and must move with it instead of leaving a
-- copy behind that counts it twice. The key becomes (user_id, powens_id).
--
-- Copies already left behind: the one the latest event wrote stays; the
-- others are marked deleted (hidden, never exported again) and give up their
-- Powens id for the negative of their own id, which Powens never hands out.
-- They are kept, not removed, because a statement already sent may name them.
UPDATE transactions SET powens_id = -id,
    deleted_at = COALESCE(deleted_at, CAST(strftime('%s', 'now') AS INTEGER) * 1000000)
WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY user_id, powens_id ORDER BY event_id DESC, id DESC) AS n
                             FROM transactions) WHERE n > 1);
-- The table's UNIQUE (account_id, powens_id), implied by the new key, stays:
-- SQLite drops a table constraint only by rebuilding the table, which would
-- lose columns that later migrations (applied out of order) may have added.
CREATE UNIQUE INDEX transactions_user_powens ON transactions (user_id, powens_id);

-- +goose Down
DROP INDEX transactions_user_powens;
