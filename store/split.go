package store

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
)

// findSplits reads the parts of one of the user's transactions, in order.
func findSplits(ctx context.Context, q execer, userID, txID int64) ([]freenahi.Split, error) {
	rows, err := q.QueryContext(ctx, `SELECT category_id, amount_minor FROM transaction_splits
		WHERE transaction_id = $1 AND user_id = $2 ORDER BY position`, txID, userID)
	if err != nil {
		return nil, fmt.Errorf("find splits of transaction %d: %w", txID, err)
	}
	defer rows.Close()
	var out []freenahi.Split
	for rows.Next() {
		var sp freenahi.Split
		if err := rows.Scan(&sp.CategoryID, &sp.AmountMinor); err != nil {
			return nil, fmt.Errorf("find splits of transaction %d: %w", txID, err)
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// setSplits replaces the parts of t with parts, checked against its amount
// and the user's live categories; no part removes the split.
func (s *Store) setSplits(ctx context.Context, tx execer, t *freenahi.Transaction, parts []freenahi.SplitPart) error {
	if len(parts) > 0 && !t.AmountKnown() {
		return freenahi.FieldErrorf("splits", "a transaction without an amount cannot be split")
	}
	splits, err := freenahi.SplitsOf(parts, t.ValueMinor, t.Currency.Exponent)
	if err != nil {
		return err
	}
	for i, sp := range splits {
		if c, err := s.findCategory(ctx, tx, t.UserID, sp.CategoryID); err != nil || c.MergedInto != nil {
			return freenahi.FieldErrorf(fmt.Sprintf("splits[%d].category_id", i), "is not one of your categories")
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM transaction_splits WHERE transaction_id = $1 AND user_id = $2`, t.ID, t.UserID); err != nil {
		return fmt.Errorf("replace splits: %w", err)
	}
	for i, sp := range splits {
		if _, err := tx.ExecContext(ctx, `INSERT INTO transaction_splits (transaction_id, position, user_id, category_id, amount_minor)
			VALUES ($1, $2, $3, $4, $5)`, t.ID, i, t.UserID, sp.CategoryID, sp.AmountMinor); err != nil {
			return fmt.Errorf("replace splits: %w", err)
		}
	}
	t.Splits = splits
	return nil
}
