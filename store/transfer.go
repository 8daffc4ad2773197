package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/freenahi/freenahi"
)

var _ freenahi.TransferDetector = (*Store)(nil)

// DetectTransfers pairs the user's transfers between their own accounts.
//
// It runs after every burst of events, over every transaction still open
// to pairing, so it reads only those and only what pairing needs, on the
// read pool: it read every column of every transaction inside a write
// transaction, which on SQLite held the one write lock for the whole read
// (0.7 s for 100,000 transactions, 1 s for 150,000) and made the next
// webhook's acknowledgement and event wait for it. Pairs are then written
// in a short write transaction, each only if both sides are still as read:
// a person's edit, a sync or another instance's detection may have come
// in between, and a pair is never written half.
func (s *Store) DetectTransfers(ctx context.Context, userID int64) (int, error) {
	open, err := s.transferCandidates(ctx, userID)
	if err != nil {
		return 0, fmt.Errorf("detect transfers: %w", err)
	}
	pairs := freenahi.PairTransfers(open)
	if len(pairs) == 0 {
		return 0, nil
	}
	if s.afterTransferRead != nil {
		s.afterTransferRead()
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("detect transfers: %w", err)
	}
	defer tx.Rollback()
	ids := make([]int64, 0, 2*len(pairs))
	for _, p := range pairs {
		ids = append(ids, open[p[0]].ID, open[p[1]].ID)
	}
	still, err := s.stillCandidates(ctx, tx, userID, ids)
	if err != nil {
		return 0, fmt.Errorf("detect transfers: %w", err)
	}
	made := 0
	for _, p := range pairs {
		a, b := open[p[0]], open[p[1]]
		if still[a.ID] != a || still[b.ID] != b {
			continue
		}
		for _, side := range [][2]int64{{a.ID, b.ID}, {b.ID, a.ID}} {
			if _, err := tx.ExecContext(ctx, `UPDATE transactions SET transfer = $1, transfer_pair_id = $2, updated_at = $3
				WHERE id = $4 AND user_id = $5`, true, side[1], micros(s.now()), side[0], userID); err != nil {
				return 0, fmt.Errorf("pair transfer %d: %w", side[0], err)
			}
		}
		made++
	}
	if made > 0 {
		if err := s.bumpPageVersion(ctx, tx, userID); err != nil {
			return 0, err
		}
	}
	return made, tx.Commit()
}

// transferOpen selects the transactions open to pairing: live, booked, of
// a known amount, not a card payment, not a transfer already, and whose
// transfer mark the person never set by hand. $1 is the user, $2
// freenahi.EditedTransfer.
const transferOpen = `t.user_id = $1 AND t.deleted_at IS NULL AND t.coming = FALSE AND t.transfer = FALSE
	AND t.transfer_pair_id IS NULL AND (t.user_edits & $2) = 0 AND t.amount_origin <> 'unknown'
	AND t.type NOT IN ('card', 'deferred_card')`

// candidateColumns are what scanCandidate reads, of transactions t joined
// to their accounts a.
const candidateColumns = `t.id, t.account_id, t.date, t.value_minor, a.currency`

// scanCandidate reads a row of candidateColumns; the amount is known, as
// transferOpen requires.
func scanCandidate(rows *sql.Rows) (freenahi.TransferCandidate, error) {
	c := freenahi.TransferCandidate{AmountKnown: true}
	err := rows.Scan(&c.ID, &c.AccountID, dateVal{&c.Date}, &c.ValueMinor, &c.Currency)
	return c, err
}

// transferCandidates reads the user's transactions open to pairing.
func (s *Store) transferCandidates(ctx context.Context, userID int64) ([]freenahi.TransferCandidate, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+candidateColumns+`
		FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE `+transferOpen,
		userID, int(freenahi.EditedTransfer))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []freenahi.TransferCandidate
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// stillCandidates reads again, inside tx, those of ids still open to
// pairing, as they are now; on PostgreSQL it locks them until tx ends, so
// that nothing changes them between this read and the pairing.
func (s *Store) stillCandidates(ctx context.Context, tx *sql.Tx, userID int64, ids []int64) (map[int64]freenahi.TransferCandidate, error) {
	lock := ""
	if s.engine == Postgres {
		lock = " FOR UPDATE OF t"
	}
	out := make(map[int64]freenahi.TransferCandidate, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		q := &query{args: []any{userID, int(freenahi.EditedTransfer)}}
		in := idList(q, chunk)
		rows, err := tx.QueryContext(ctx, `SELECT `+candidateColumns+`
			FROM transactions t JOIN accounts a ON a.id = t.account_id
			WHERE `+transferOpen+` AND t.id IN (`+in+`)`+lock, q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			c, err := scanCandidate(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[c.ID] = c
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return out, nil
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
