-- +goose Up
-- Full-text index of transactions.search_text (already case- and
-- accent-folded by the store), so that a search for a rare word reads a few
-- index pages instead of every row of the user: FTS4, the full-text engine
-- of the SQLite built into mattn/go-sqlite3 (its FTS5 needs a build tag).
-- External content: the text lives once, in transactions, and the index's
-- docid is the transaction's id. unicode61 cuts words as FTS5 did and as
-- internal/fold.Words does; matchinfo=fts3 keeps no per-row sizes (nothing
-- ranks results), as FTS5's columnsize=0 did.
--
-- A database an earlier freenahi migrated holds the FTS5 table of 00065,
-- which this SQLite cannot open, not even to DROP it ("no such module").
-- Its triggers and shadow tables are ordinary and go as usual; the
-- table's own row in the schema goes by hand (writable_schema), and RESET
-- reloads this connection's schema so that the name is free for FTS4 within
-- the same transaction. On a new database none of these exist.
DROP TRIGGER IF EXISTS transactions_search_update;
DROP TRIGGER IF EXISTS transactions_search_delete;
DROP TRIGGER IF EXISTS transactions_search_insert;
DROP TABLE IF EXISTS transactions_search_data;
DROP TABLE IF EXISTS transactions_search_idx;
DROP TABLE IF EXISTS transactions_search_config;
DROP TABLE IF EXISTS transactions_search_docsize;
DROP TABLE IF EXISTS transactions_search_content;
PRAGMA writable_schema = ON;
DELETE FROM sqlite_schema WHERE type = 'table' AND name = 'transactions_search' AND sql LIKE '%USING fts5%';
PRAGMA writable_schema = RESET;

CREATE VIRTUAL TABLE transactions_search USING fts4(
    search_text, content="transactions", tokenize=unicode61, matchinfo=fts3);

-- The index is kept in step by the database itself, whatever writes the row
-- (ingest, imports, edits, a restore, a user's deletion cascading). FTS4
-- finds the words to take out of the index by reading the row from
-- transactions, so they are taken out BEFORE the row changes or goes, and
-- the new words put in AFTER.
-- +goose StatementBegin
CREATE TRIGGER transactions_search_insert AFTER INSERT ON transactions BEGIN
    INSERT INTO transactions_search (docid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER transactions_search_delete BEFORE DELETE ON transactions BEGIN
    DELETE FROM transactions_search WHERE docid = old.id;
END;
-- +goose StatementEnd
-- A sync rewrites search_text with every upsert; only a changed text costs
-- index work.
-- +goose StatementBegin
CREATE TRIGGER transactions_search_unindex BEFORE UPDATE OF search_text ON transactions
WHEN old.search_text IS NOT new.search_text BEGIN
    DELETE FROM transactions_search WHERE docid = old.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER transactions_search_reindex AFTER UPDATE OF search_text ON transactions
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO transactions_search (docid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd

INSERT INTO transactions_search (transactions_search) VALUES ('rebuild');

-- +goose Down
DROP TRIGGER transactions_search_reindex;
DROP TRIGGER transactions_search_unindex;
DROP TRIGGER transactions_search_delete;
DROP TRIGGER transactions_search_insert;
DROP TABLE transactions_search;
