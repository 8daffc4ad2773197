-- +goose Up
-- The text search's index holds words instead of trigrams. Every row cost
-- the trigram index dozens of entries (one per three letters of its text),
-- which made ingest 63 % slower than without it (issue 13); a row holds
-- about eight words. The index keeps, per row, its search text's runs of
-- ASCII letters and digits (the text is already case- and accent-folded by
-- the store) as tsvector lexemes, built without PostgreSQL's text parser,
-- which cuts some runs ("9e88z" into "9e88" and "z"): a search asks it for
-- lexemes starting with each word, then the regular expression of
-- store/search.go decides, as before. The expression must stay the one of
-- pgSearchWords (store/search.go) for the planner to use the index.
--
-- A text of 2,048 bytes or more holds instead the one lexeme "-", which no
-- run can be and every search asks for too: below that size no run can be
-- too long for a lexeme (2,047 bytes), while a huge text could pass a
-- tsvector's 1 MB and fail the write. The regular expression decides for
-- those rows, which no bank sends.
DROP INDEX transactions_search;
CREATE INDEX transactions_search_words ON transactions USING gin ((CASE WHEN octet_length(search_text) < 2048
    THEN array_to_tsvector(array_remove(regexp_split_to_array(search_text, '[^0-9a-z]+'), '')) ELSE '-'::tsvector END));

-- +goose Down
DROP INDEX transactions_search_words;
-- +goose StatementBegin
DO $$
DECLARE
    ext_schema TEXT;
BEGIN
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX transactions_search ON transactions USING gin (search_text %I.gin_trgm_ops)', ext_schema);
END
$$;
-- +goose StatementEnd
