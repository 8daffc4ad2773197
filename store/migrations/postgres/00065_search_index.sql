-- +goose Up
-- Trigram index of transactions.search_text (already case- and
-- accent-folded by the store): a search for a rare word reads a few index
-- pages instead of every row of the user. PostgreSQL keeps it in step with
-- every write by itself. pg_trgm is a trusted extension (PostgreSQL 13+):
-- the database owner may create it. It goes to the public schema when there
-- is one, so that a schema dropped later (tests use one per run) never
-- takes the extension, and every other schema's index, with it.
-- +goose StatementBegin
DO $$
DECLARE
    ext_schema TEXT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
            CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
        ELSE
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        END IF;
    END IF;
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX transactions_search ON transactions USING gin (search_text %I.gin_trgm_ops)', ext_schema);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX transactions_search;
