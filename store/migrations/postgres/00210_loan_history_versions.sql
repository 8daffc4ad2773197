-- +goose Up
-- A loan's past in its balance history is computed from its terms (rate,
-- start of repayment, number of payments: freenahi.LoanPast), so a change
-- of those terms changes the history as a new snapshot does: it bumps the
-- account's history version, which tells caches of histories to read again.
-- Its own function, not the snapshots' one of 00055: a migration test
-- takes 00055 out and puts it back, which a trigger here on its function
-- would forbid.
-- +goose StatementBegin
CREATE FUNCTION history_versions_loan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM history_version_bump(OLD.user_id, OLD.account_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM history_version_bump(NEW.user_id, NEW.account_id);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER history_versions_loan AFTER INSERT OR UPDATE OR DELETE ON loans
FOR EACH ROW EXECUTE FUNCTION history_versions_loan();

-- +goose Down
DROP TRIGGER history_versions_loan ON loans;
DROP FUNCTION history_versions_loan();
