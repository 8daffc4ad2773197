package store

import (
	"context"
	"fmt"

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
