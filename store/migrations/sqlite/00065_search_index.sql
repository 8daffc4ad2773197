-- +goose Up
-- Full-text index of transactions.search_text (already case- and
-- accent-folded by the store), so that a search for a rare word reads a few
-- index pages instead of every row of the user. External content: the text
-- lives once, in transactions. detail='none' keeps only which rows hold a
-- word (no positions): a search asks for words starting with what was typed,
-- never for phrases, and ingest pays for the smallest index.
CREATE VIRTUAL TABLE transactions_search USING fts5(
    search_text, content = 'transactions', content_rowid = 'id', detail = 'none', columnsize = 0);

-- The index is kept in step by the database itself, whatever writes the row
-- (ingest, imports, edits, a restore, a user's deletion cascading).
-- +goose StatementBegin
CREATE TRIGGER transactions_search_insert AFTER INSERT ON transactions BEGIN
    INSERT INTO transactions_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER transactions_search_delete AFTER DELETE ON transactions BEGIN
    INSERT INTO transactions_search (transactions_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
-- +goose StatementEnd
-- A sync rewrites search_text with every upsert; only a changed text costs
-- index work.
-- +goose StatementBegin
CREATE TRIGGER transactions_search_update AFTER UPDATE OF search_text ON transactions
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO transactions_search (transactions_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO transactions_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
-- +goose StatementEnd

INSERT INTO transactions_search (transactions_search) VALUES ('rebuild');

-- +goose Down
DROP TRIGGER transactions_search_update;
DROP TRIGGER transactions_search_delete;
DROP TRIGGER transactions_search_insert;
DROP TABLE transactions_search;
