-- +goose Up
-- Each user's category tree, seeded from freenahi.DefaultCategories on first
-- use. key names a default category so the built-in rules find it after a
-- rename; a merged category keeps its row (merged_into_id) so rules that
-- name it land in the category that took it over.
CREATE TABLE categories (
    id             BIGSERIAL PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    parent_id      BIGINT REFERENCES categories (id) ON DELETE CASCADE,
    key            TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL,
    renamed        BOOLEAN NOT NULL DEFAULT FALSE,
    hidden         BOOLEAN NOT NULL DEFAULT FALSE,
    merged_into_id BIGINT REFERENCES categories (id) ON DELETE SET NULL,
    position       INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX categories_user_key ON categories (user_id, key) WHERE key <> '';
CREATE INDEX categories_user ON categories (user_id, position);

-- What the person taught by correcting a category: the payee (PayeeKey form)
-- gets that category at the next ingest.
CREATE TABLE payee_categories (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    payee_key   TEXT NOT NULL,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, payee_key)
);

-- The person's rules, conditions and actions as JSON (freenahi.RuleConditions, RuleActions).
CREATE TABLE rules (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    conditions TEXT NOT NULL,
    actions    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX rules_user ON rules (user_id, position);

-- A transaction's payee, category and the person's own fields. user_edits is
-- a bit set of freenahi.Edits: the ingest upsert keeps every field whose bit
-- is set, so a sync never overwrites a manual edit. tags are newline-separated.
ALTER TABLE transactions ADD COLUMN payee TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN category_id BIGINT;
ALTER TABLE transactions ADD COLUMN category_source TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN transfer BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE transactions ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN user_edits INTEGER NOT NULL DEFAULT 0;
-- No index on category_id: every ingest would pay for it, and reports and
-- the drill-down read a user's period through transactions_user_date.

-- +goose Down
ALTER TABLE transactions DROP COLUMN user_edits;
ALTER TABLE transactions DROP COLUMN note;
ALTER TABLE transactions DROP COLUMN transfer;
ALTER TABLE transactions DROP COLUMN tags;
ALTER TABLE transactions DROP COLUMN category_source;
ALTER TABLE transactions DROP COLUMN category_id;
ALTER TABLE transactions DROP COLUMN payee;
DROP TABLE rules;
DROP TABLE payee_categories;
DROP TABLE categories;
