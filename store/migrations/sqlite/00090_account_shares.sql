-- +goose Up
-- Households: an owner's account shared with another user of this freenahi,
-- read-only or full (see freenahi.ShareAccess). Deleting the account, its
-- owner or the grantee deletes the share.
CREATE TABLE account_shares (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    owner_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    grantee_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    access     TEXT NOT NULL CHECK (access IN ('read', 'full')),
    created_at BIGINT NOT NULL,
    CHECK (owner_id <> grantee_id)
);
CREATE UNIQUE INDEX account_shares_account_grantee ON account_shares (account_id, grantee_id);
CREATE INDEX account_shares_grantee ON account_shares (grantee_id);
CREATE INDEX account_shares_owner ON account_shares (owner_id);

-- +goose Down
DROP TABLE account_shares;
