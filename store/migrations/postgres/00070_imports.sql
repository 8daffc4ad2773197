-- +goose Up
-- Manual accounts: accounts with no Powens connection, fed by imported bank
-- files. They hang from one placeholder connection per user (Powens id 0,
-- manual), which connection listings leave out, and have negative Powens
-- ids, which Powens never hands out.
ALTER TABLE connections ADD COLUMN manual BOOLEAN NOT NULL DEFAULT FALSE;

-- One row per imported line: the key the file gives it (bank id, or digest
-- of date, amount and wording with its occurrence), unique per account, so
-- importing a file twice adds its lines once. The line's transaction has
-- Powens id -(2^50) - id.
CREATE TABLE import_lines (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    import_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, import_key)
);
CREATE INDEX import_lines_user ON import_lines (user_id);

-- +goose Down
DROP TABLE import_lines;
ALTER TABLE connections DROP COLUMN manual;
