package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/freenahi/freenahi"
)

// leaseHeld is the condition that owner ($n) still leases the batch's mapping.
func leaseHeld(n int) string {
	return `EXISTS (SELECT 1 FROM inqom_mappings m WHERE m.id = export_batches.mapping_id AND m.lease_owner = $` + strconv.Itoa(n) + `)`
}

// StartExportAttempt records that an import of the batch is about to be
// sent, before the request leaves. A batch found with an attempt still in
// flight was being sent when its process died, after or before Inqom got
// it: its outcome is unknown, so it turns to review (and is resent byte
// for byte). It returns the batch's status and review flag after the change,
// or ECONFLICT when the batch is no longer sendable by owner.
func (s *Store) StartExportAttempt(ctx context.Context, batchID int64, owner string) (freenahi.BatchStatus, bool, error) {
	var status string
	var review bool
	err := s.wdb.QueryRowContext(ctx, `
		UPDATE export_batches SET
			status = CASE WHEN in_flight_since IS NOT NULL THEN 'review' ELSE status END,
			review = (review OR in_flight_since IS NOT NULL),
			attempts = attempts + 1, in_flight_since = $1
		WHERE id = $2 AND status IN ('pending', 'review') AND held = FALSE AND `+leaseHeld(3)+`
		RETURNING status, review`, micros(s.now()), batchID, owner).Scan(&status, boolVal{&review})
	if errors.Is(err, sql.ErrNoRows) {
		err = freenahi.Errorf(freenahi.ECONFLICT, "Export batch %d is not waiting to be sent by this worker.", batchID)
	}
	if err != nil {
		return "", false, fmt.Errorf("start sending export batch %d: %w", batchID, err)
	}
	return freenahi.BatchStatus(status), review, nil
}

// RecordExportOutcome records what an attempt came to and returns the
// batch's new status. A refusal of a batch under review is not a failure:
// Inqom may be refusing a second copy of a file it already applied, so the
// batch stays in review, held for a person to resolve.
func (s *Store) RecordExportOutcome(ctx context.Context, batchID int64, o freenahi.BatchOutcome) (freenahi.BatchStatus, error) {
	now := micros(s.now())
	var q string
	args := []any{batchID, o.AnswerStatus, clip(o.Answer), errorText(o.Error), o.Review}
	switch o.Kind {
	case freenahi.OutcomeSent:
		q = `status = 'sent', sent_at = $6, last_error = $4`
		args = append(args, now)
	case freenahi.OutcomeUnknown:
		q = `status = 'review', next_attempt_at = $6, last_error = $4`
		args = append(args, micros(o.NextAttempt))
	case freenahi.OutcomeRefused:
		q = `status = CASE WHEN review THEN 'review' ELSE 'failed' END, held = review, last_error = $4`
	case freenahi.OutcomeNotSent:
		q = `next_attempt_at = $6, last_error = $4`
		args = append(args, micros(o.NextAttempt))
	default:
		return "", fmt.Errorf("record outcome of export batch %d: unknown outcome kind %d", batchID, o.Kind)
	}
	var status string
	// An unknown outcome always flags the batch; an accepted one when the
	// client says an earlier attempt of the same call may have been applied.
	if o.Kind == freenahi.OutcomeUnknown {
		args[4] = true
	}
	err := s.wdb.QueryRowContext(ctx, `UPDATE export_batches SET `+q+`, in_flight_since = NULL, review = (review OR $5),
			answer_status = CASE WHEN $2 <> 0 THEN $2 ELSE answer_status END,
			answer = CASE WHEN $2 <> 0 THEN $3 ELSE answer END
		WHERE id = $1 AND status IN ('pending', 'review') RETURNING status`, args...).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		err = freenahi.Errorf(freenahi.ECONFLICT, "Export batch %d was resolved meanwhile.", batchID)
	}
	if err != nil {
		return "", fmt.Errorf("record outcome of export batch %d: %w", batchID, err)
	}
	return freenahi.BatchStatus(status), nil
}

// ResolveExportBatch applies a person's decision about a failed or review
// batch: sent (Inqom has it), retry (send the same bytes again), or release
// (it never reached Inqom: its transactions go to a later batch, and the
// mapping's closing point goes back to the batch before). It returns the
// batch without its file; ENOTFOUND when the batch is not the user's,
// ECONFLICT when it is not failed or in review, EINVALID for another resolution.
func (s *Store) ResolveExportBatch(ctx context.Context, userID, batchID int64, r freenahi.BatchResolution) (*freenahi.ExportBatch, error) {
	if err := s.resolveExportBatch(ctx, userID, batchID, r); err != nil {
		return nil, fmt.Errorf("resolve export batch %d: %w", batchID, err)
	}
	b, err := s.FindExportBatchFile(ctx, userID, batchID)
	if err != nil {
		return nil, fmt.Errorf("resolve export batch %d: %w", batchID, err)
	}
	b.Content = nil
	return b, nil
}

func (s *Store) resolveExportBatch(ctx context.Context, userID, batchID int64, r freenahi.BatchResolution) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var status string
	var mappingID int64
	err = tx.QueryRowContext(ctx, `SELECT status, mapping_id FROM export_batches WHERE id = $1 AND user_id = $2`,
		batchID, userID).Scan(&status, &mappingID)
	if err != nil {
		return notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Export batch %d not found.", batchID))
	}
	if status != string(freenahi.BatchFailed) && status != string(freenahi.BatchReview) {
		return freenahi.ErrNoDecision(batchID, freenahi.BatchStatus(status))
	}
	now := micros(s.now())
	switch r {
	case freenahi.ResolveSent:
		_, err = tx.ExecContext(ctx, `UPDATE export_batches SET status = 'sent', held = FALSE, in_flight_since = NULL,
			sent_at = COALESCE(sent_at, $1) WHERE id = $2`, now, batchID)
	case freenahi.ResolveRetry:
		_, err = tx.ExecContext(ctx, `UPDATE export_batches SET status = CASE WHEN review THEN 'review' ELSE 'pending' END,
			held = FALSE, next_attempt_at = $1 WHERE id = $2`, now, batchID)
	case freenahi.ResolveRelease:
		err = s.releaseBatch(ctx, tx, batchID, mappingID)
	default:
		return freenahi.FieldErrorf("action", "%q is not one of the decisions (retry, sent, release)", r)
	}
	if err != nil {
		return fmt.Errorf("mark %s: %w", r, err)
	}
	return tx.Commit()
}

// releaseBatch frees a batch's transactions and moves the mapping's closing
// point back to the latest live batch (none: the next batch recomputes it
// from the account's balance, as the first one did).
func (s *Store) releaseBatch(ctx context.Context, tx *sql.Tx, batchID, mappingID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE export_batches SET status = 'released', held = FALSE, in_flight_since = NULL
		WHERE id = $1`, batchID); err != nil {
		return fmt.Errorf("mark released: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE export_batch_items SET released = TRUE WHERE batch_id = $1`, batchID); err != nil {
		return fmt.Errorf("free items: %w", err)
	}
	var date, minor any
	err := tx.QueryRowContext(ctx, `SELECT closing_date, closing_minor FROM export_batches
		WHERE mapping_id = $1 AND status <> 'released' ORDER BY seq DESC LIMIT 1`, mappingID).Scan(&date, &minor)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("find the previous batch: %w", err)
	}
	if _, err = tx.ExecContext(ctx, `UPDATE inqom_mappings SET chain_date = $1, chain_minor = $2 WHERE id = $3`, date, minor, mappingID); err != nil {
		return fmt.Errorf("move the mapping's closing point: %w", err)
	}
	return nil
}

// FindInqomMappingStatus returns one of the user's mappings with a summary
// of its ledger and the exported transactions that changed since; ENOTFOUND
// if the mapping does not exist or belongs to another user.
func (s *Store) FindInqomMappingStatus(ctx context.Context, userID, id int64) (*freenahi.InqomMappingStatus, error) {
	st, err := s.findInqomMappingStatus(ctx, userID, id)
	if err != nil {
		return nil, fmt.Errorf("find status of Inqom mapping %d: %w", id, err)
	}
	return st, nil
}

func (s *Store) findInqomMappingStatus(ctx context.Context, userID, id int64) (*freenahi.InqomMappingStatus, error) {
	m, err := s.findMapping(ctx, `m.user_id = $1 AND m.id = $2`, userID, id)
	if err != nil {
		return nil, err
	}
	st := &freenahi.InqomMappingStatus{InqomMapping: *m, Batches: map[freenahi.BatchStatus]int{}}
	err = s.rdb.QueryRowContext(ctx, `SELECT currency, currency_exponent FROM accounts WHERE id = $1`, m.AccountID).
		Scan(&st.Currency.Code, &st.Currency.Exponent)
	if err != nil {
		return nil, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", m.AccountID))
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT status, COUNT(*) FROM export_batches WHERE mapping_id = $1 GROUP BY status`, id)
	if err != nil {
		return nil, fmt.Errorf("count batches: %w", err)
	}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("count batches: scan: %w", err)
		}
		st.Batches[freenahi.BatchStatus(status)] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count batches: %w", err)
	}
	err = s.rdb.QueryRowContext(ctx, `SELECT COALESCE(SUM(transactions), 0), MAX(sent_at) FROM export_batches
		WHERE mapping_id = $1 AND status = 'sent'`, id).Scan(&st.Exported, timePtr{&st.LastSent})
	if err != nil {
		return nil, fmt.Errorf("count exported transactions: %w", err)
	}
	err = s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM transactions t
		WHERE t.account_id = $1 AND t.date >= $2 AND `+exportable+`
		AND NOT EXISTS (SELECT 1 FROM export_batch_items i WHERE i.mapping_id = $3 AND i.transaction_id = t.id AND i.released = FALSE)`,
		m.AccountID, int64(m.StartDate.Int()), id).Scan(&st.Waiting)
	if err != nil {
		return nil, fmt.Errorf("count waiting transactions: %w", err)
	}
	if st.Changes, err = s.exportedChanges(ctx, id); err != nil {
		return nil, fmt.Errorf("find exported changes: %w", err)
	}
	return st, nil
}

// maxChanges bounds the changes a status lists.
const maxChanges = 100

// exportedChanges lists transactions of live batches that the bank deleted,
// turned back into coming, or re-dated or re-valued since they were frozen.
func (s *Store) exportedChanges(ctx context.Context, mappingID int64) ([]*freenahi.ExportedChange, error) {
	rows, err := s.rdb.QueryContext(ctx, `
		SELECT i.batch_id, i.transaction_id, t.powens_id, i.date, i.value_minor, t.date, t.value_minor, t.deleted_at
		FROM export_batch_items i JOIN transactions t ON t.id = i.transaction_id
		WHERE i.mapping_id = $1 AND i.released = FALSE
		AND (t.deleted_at IS NOT NULL OR t.coming = TRUE OR t.value_minor <> i.value_minor OR t.date <> i.date)
		ORDER BY i.batch_id, i.transaction_id LIMIT `+strconv.Itoa(maxChanges), mappingID)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	var out []*freenahi.ExportedChange
	for rows.Next() {
		c := &freenahi.ExportedChange{}
		if err := rows.Scan(&c.BatchID, &c.TransactionID, &c.PowensID, dateVal{&c.ExportedDate}, &c.ExportedMinor,
			dateVal{&c.Date}, &c.ValueMinor, timePtr{&c.Deleted}); err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
