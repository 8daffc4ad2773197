package store

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
)

var _ freenahi.TransactionEditor = (*Store)(nil)

// EditTransaction applies a person's edit to one of their transactions and
// marks each field it sets as edited by hand (user_edits), which the ingest
// upsert and the rules respect.
func (s *Store) EditTransaction(ctx context.Context, userID, id int64, e freenahi.TransactionEdit) (*freenahi.Transaction, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("edit transaction %d: %w", id, err)
	}
	defer tx.Rollback()
	// A person a transaction's account is shared with in full edits it as
	// its owner would (share.go).
	if userID, err = editorOwner(ctx, tx, userID, id, e); err != nil {
		return nil, fmt.Errorf("edit transaction %d: %w", id, err)
	}
	var r transactionRow
	if err := tx.QueryRowContext(ctx, transactionSelect+` WHERE t.user_id = $1 AND t.id = $2`, userID, id).Scan(r.dest()...); err != nil {
		return nil, fmt.Errorf("edit transaction %d: %w", id, notFound(err, freenahi.Errorf(freenahi.ENOTFOUND, "Transaction %d not found.", id)))
	}
	t := r.transaction()
	if e.Payee != nil {
		t.Payee, t.Edits = *e.Payee, t.Edits|freenahi.EditedPayee
	}
	if e.Note != nil {
		t.Note, t.Edits = *e.Note, t.Edits|freenahi.EditedNote
	}
	if e.Tags != nil {
		t.Tags, t.Edits = *e.Tags, t.Edits|freenahi.EditedTags
	}
	if e.Transfer != nil {
		t.Transfer, t.Edits = *e.Transfer, t.Edits|freenahi.EditedTransfer
		if err := s.settlePair(ctx, tx, t); err != nil {
			return nil, err
		}
	}
	if e.CategoryID != nil {
		if err := s.setManualCategory(ctx, tx, t, *e.CategoryID); err != nil {
			return nil, err
		}
	}
	if e.Splits != nil {
		if err := s.setSplits(ctx, tx, t, *e.Splits); err != nil {
			return nil, err
		}
	} else if t.Splits, err = findSplits(ctx, tx, userID, id); err != nil {
		return nil, err
	}
	now := micros(s.now())
	if _, err := tx.ExecContext(ctx, `UPDATE transactions SET payee = $1, note = $2, tags = $3, transfer = $4, category_id = $5,
		category_source = $6, user_edits = $7, updated_at = $8 WHERE id = $9 AND user_id = $10`,
		t.Payee, t.Note, joinTags(t.Tags), t.Transfer, nullInt(t.CategoryID), t.CategorySource, int(t.Edits), now, id, userID); err != nil {
		return nil, fmt.Errorf("edit transaction %d: %w", id, err)
	}
	if err := s.bumpPageVersion(ctx, tx, userID); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("edit transaction %d: %w", id, err)
	}
	t.UpdatedAt = fromMicros(now)
	return t, nil
}

// setManualCategory sets the category the person chose (0: none) and
// remembers it for the payee, so the payee's next transactions get it too.
func (s *Store) setManualCategory(ctx context.Context, tx execer, t *freenahi.Transaction, categoryID int64) error {
	t.Edits |= freenahi.EditedCategory
	t.CategorySource = freenahi.CategoryFromManual
	key := freenahi.PayeeKey(t.Payee)
	if categoryID == 0 {
		t.CategoryID = nil
		if key != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM payee_categories WHERE user_id = $1 AND payee_key = $2`, t.UserID, key); err != nil {
				return fmt.Errorf("forget payee category: %w", err)
			}
		}
		return nil
	}
	c, err := s.findCategory(ctx, tx, t.UserID, categoryID)
	if err != nil || c.MergedInto != nil {
		return freenahi.FieldErrorf("category_id", "is not one of your categories")
	}
	t.CategoryID = &c.ID
	if key == "" {
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO payee_categories (user_id, payee_key, category_id, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, payee_key) DO UPDATE SET category_id = excluded.category_id, updated_at = excluded.updated_at`,
		t.UserID, key, c.ID, micros(s.now()))
	if err != nil {
		return fmt.Errorf("learn payee category: %w", err)
	}
	return nil
}
