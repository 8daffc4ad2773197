package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/freenahi/freenahi"
)

// settleImportBalance sets a manual account's balance after an import and
// returns it. The file's balance, if any, is recorded as the account's
// balance at the end of its day (a snapshot, which the balance history and
// net worth are anchored on). With a dated balance (this one or an earlier
// one) the current balance is the latest plus the account's transactions
// after its day; with none, the current balance (none counts as 0) grows
// by the added lines.
func (w *syncWriter) settleImportBalance(ctx context.Context, accountID int64, stated *freenahi.DatedBalance, added []*freenahi.Transaction) (int64, error) {
	if stated != nil {
		if err := w.recordDayBalance(ctx, accountID, *stated); err != nil {
			return 0, err
		}
	}
	balance, dated, err := w.balanceFromLatest(ctx, accountID)
	if err != nil || dated {
		return balance, err
	}
	var current *int64
	if err := w.tx.QueryRowContext(ctx, `SELECT balance_minor FROM accounts WHERE id = $1 AND user_id = $2`,
		accountID, w.userID).Scan(intPtr{&current}); err != nil {
		return 0, fmt.Errorf("read balance of account %d: %w", accountID, err)
	}
	if current != nil {
		balance = *current
	}
	for _, t := range added {
		if !t.Coming && t.Deleted == nil {
			balance += t.ValueMinor
		}
	}
	return balance, w.setBalance(ctx, accountID, balance)
}

// balanceFromLatest sets the account's current balance from its latest
// dated balance and the transactions after its day, when it has one
// (dated); an older dated balance corrected changes the history before
// it, not today's balance.
func (w *syncWriter) balanceFromLatest(ctx context.Context, accountID int64) (balance int64, dated bool, err error) {
	var at time.Time
	var latest int64
	err = w.tx.QueryRowContext(ctx, `SELECT at, balance_minor FROM balance_snapshots WHERE account_id = $1 AND user_id = $2
		ORDER BY at DESC LIMIT 1`, accountID, w.userID).Scan(timeVal{&at}, &latest)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("latest balance of account %d: %w", accountID, err)
	}
	after, err := w.sumAfter(ctx, accountID, freenahi.DateOf(at))
	if err != nil {
		return 0, false, err
	}
	return latest + after, true, w.setBalance(ctx, accountID, latest+after)
}

func (w *syncWriter) setBalance(ctx context.Context, accountID, balance int64) error {
	if _, err := w.tx.ExecContext(ctx, `UPDATE accounts SET balance_minor = $1, updated_at = $2 WHERE id = $3 AND user_id = $4`,
		balance, micros(w.now), accountID, w.userID); err != nil {
		return fmt.Errorf("set balance of account %d: %w", accountID, err)
	}
	return nil
}

// dayBalanceAt is when a balance at the end of a day is recorded: noon
// UTC falls on that day in every zone from UTC−11 to UTC+11, so the
// history reads it on its day in the person's zone.
func dayBalanceAt(d freenahi.Date) time.Time { return d.Time().Add(12 * time.Hour) }

// recordDayBalance records an account's balance at the end of a day.
func (w *syncWriter) recordDayBalance(ctx context.Context, accountID int64, b freenahi.DatedBalance) error {
	return w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: accountID, At: dayBalanceAt(b.Date), BalanceMinor: b.Minor})
}

// sumAfter sums the account's booked, live transactions dated after day,
// exactly (read as text: PostgreSQL's SUM of bigint is numeric).
func (w *syncWriter) sumAfter(ctx context.Context, accountID int64, day freenahi.Date) (int64, error) {
	var sum *string
	if err := w.tx.QueryRowContext(ctx, `SELECT CAST(SUM(value_minor) AS TEXT) FROM transactions
		WHERE user_id = $1 AND account_id = $2 AND date > $3 AND deleted_at IS NULL AND coming = $4`,
		w.userID, accountID, int64(day.Int()), false).Scan(strPtr{&sum}); err != nil {
		return 0, fmt.Errorf("sum account %d after %s: %w", accountID, day, err)
	}
	if sum == nil {
		return 0, nil
	}
	var n int64
	if _, err := fmt.Sscan(*sum, &n); err != nil {
		return 0, fmt.Errorf("sum account %d after %s: %q: %w", accountID, day, *sum, err)
	}
	return n, nil
}

// SetManualBalance records a manual account's balance on a day and sets
// its current balance from its latest dated balance.
func (s *Store) SetManualBalance(ctx context.Context, userID, accountID int64, b freenahi.DatedBalance) (int64, error) {
	balance, err := s.setManualBalance(ctx, userID, accountID, b)
	if err != nil {
		return 0, fmt.Errorf("set balance of account %d: %w", accountID, err)
	}
	return balance, nil
}

func (s *Store) setManualBalance(ctx context.Context, userID, accountID int64, b freenahi.DatedBalance) (int64, error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	w := &syncWriter{s: s, tx: textTx{tx}, userID: userID, now: s.now()}
	if _, err := w.manualAccount(ctx, accountID); err != nil {
		return 0, err
	}
	w.remember("accounts", accountID)
	if err := w.recordDayBalance(ctx, accountID, b); err != nil {
		return 0, err
	}
	balance, _, err := w.balanceFromLatest(ctx, accountID)
	if err != nil {
		return 0, err
	}
	return balance, tx.Commit()
}
