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
UPDATE transactions SET powens_id = -transactions.id,
    deleted_at = COALESCE(transactions.deleted_at, (EXTRACT(EPOCH FROM now()) * 1000000)::BIGINT)
FROM (SELECT id, row_number() OVER (PARTITION BY user_id, powens_id ORDER BY event_id DESC, id DESC) AS n
      FROM transactions) ranked
WHERE ranked.id = transactions.id AND ranked.n > 1;
CREATE UNIQUE INDEX transactions_user_powens ON transactions (user_id, powens_id);
-- The per-account key is implied by the new one (an account has one user).
ALTER TABLE transactions DROP CONSTRAINT transactions_account_id_powens_id_key;

-- +goose Down
ALTER TABLE transactions ADD CONSTRAINT transactions_account_id_powens_id_key UNIQUE (account_id, powens_id);
DROP INDEX transactions_user_powens;
