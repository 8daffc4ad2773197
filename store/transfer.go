package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/freenahi/freenahi"
)

var _ freenahi.TransferDetector = (*Store)(nil)

// DetectTransfers pairs the user's transfers between their own accounts.
func (s *Store) DetectTransfers(ctx context.Context, userID int64) (int, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("detect transfers: %w", err)
	}
	defer tx.Rollback()
	var open []*freenahi.Transaction
	err = s.eachTransaction(ctx, tx, userID, func(t *freenahi.Transaction) error {
		if t.TransferPair == nil && !t.Transfer && t.Edits&freenahi.EditedTransfer == 0 && !t.Coming {
			open = append(open, t)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("detect transfers: %w", err)
	}
	pairs := freenahi.PairTransfers(open)
	for _, p := range pairs {
		a, b := open[p[0]], open[p[1]]
		for _, side := range [][2]int64{{a.ID, b.ID}, {b.ID, a.ID}} {
			if _, err := tx.ExecContext(ctx, `UPDATE transactions SET transfer = $1, transfer_pair_id = $2, updated_at = $3
				WHERE id = $4 AND user_id = $5`, true, side[1], micros(s.now()), side[0], userID); err != nil {
				return 0, fmt.Errorf("pair transfer %d: %w", side[0], err)
			}
		}
	}
	if len(pairs) > 0 {
		if err := s.bumpPageVersion(ctx, tx, userID); err != nil {
			return 0, err
		}
	}
	return len(pairs), tx.Commit()
}

// settlePair applies a person's transfer mark to the other side of a
// detected pair too: undoing a pair unmarks and unpairs both, confirming
// marks both as the person's own.
func (s *Store) settlePair(ctx context.Context, tx execer, t *freenahi.Transaction) error {
	if t.TransferPair == nil {
		return nil
	}
	other := *t.TransferPair
	var pair any = other
	if !t.Transfer {
		t.TransferPair, pair = nil, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE transactions SET transfer = $1, transfer_pair_id = $2, user_edits = user_edits | $3,
		updated_at = $4 WHERE id = $5 AND user_id = $6`,
		t.Transfer, nullSelf(pair, t.ID), int(freenahi.EditedTransfer), micros(s.now()), other, t.UserID); err != nil {
		return fmt.Errorf("settle transfer pair %d: %w", other, err)
	}
	if !t.Transfer {
		if _, err := tx.ExecContext(ctx, `UPDATE transactions SET transfer_pair_id = NULL WHERE id = $1 AND user_id = $2`, t.ID, t.UserID); err != nil {
			return fmt.Errorf("settle transfer pair %d: %w", t.ID, err)
		}
		return s.leaveTransferCategories(ctx, tx, t, other)
	}
	return nil
}

// leaveTransferCategories takes both sides of an undone pair out of the
// transfer categories freenahi or a rule put them in. The wordings of a
// move between one's accounts usually also choose such a category ("VIR
// SEPA VERS LIVRET A" is savings), which the reports leave out as well:
// without this, undoing the pair would not make either side count again,
// as the transaction page promises. Each side's category is then marked as
// the person's (none), so that the next sync does not choose it again; a
// transfer category the person chose by hand stays theirs.
func (s *Store) leaveTransferCategories(ctx context.Context, tx execer, t *freenahi.Transaction, other int64) error {
	all, err := s.allCategories(ctx, tx, t.UserID)
	if err != nil {
		return fmt.Errorf("read categories: %w", err)
	}
	transfers := transferCategories(all)
	if len(transfers) == 0 {
		return nil
	}
	// This side is written by EditTransaction's own update, after this.
	if t.CategoryID != nil && slices.Contains(transfers, *t.CategoryID) && t.Edits&freenahi.EditedCategory == 0 {
		t.CategoryID, t.CategorySource, t.Edits = nil, "", t.Edits|freenahi.EditedCategory
	}
	q := &query{args: []any{int(freenahi.EditedCategory), micros(s.now()), other, t.UserID}}
	in := idList(q, transfers)
	if _, err := tx.ExecContext(ctx, `UPDATE transactions SET category_id = NULL, category_source = '', user_edits = user_edits | $1,
		updated_at = $2 WHERE id = $3 AND user_id = $4 AND (user_edits & $1) = 0 AND category_id IN (`+in+`)`, q.args...); err != nil {
		return fmt.Errorf("settle transfer pair %d: %w", other, err)
	}
	return nil
}

// nullSelf is the pair id the other side keeps: this side's id while the
// pair stands, NULL once undone.
func nullSelf(pair any, self int64) any {
	if pair == nil {
		return nil
	}
	return self
}
