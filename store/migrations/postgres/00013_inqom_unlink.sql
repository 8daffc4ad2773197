-- +goose Up
-- A mapping a person unlinks is kept, with its ledger, so that linking the
-- same account to the same dossier again resumes where it stopped instead
-- of sending the dossier everything a second time.
ALTER TABLE inqom_mappings ADD COLUMN unlinked_at BIGINT;

-- +goose Down
ALTER TABLE inqom_mappings DROP COLUMN unlinked_at;
