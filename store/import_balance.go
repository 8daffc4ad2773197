package store

import (
	"context"
	"fmt"
	"time"

	"github.com/freenahi/freenahi"
)

// settleImportBalance sets a manual account's balance after an import and
// returns it. With the file's balance, that balance is recorded as the
// account's balance at the end of its day (a snapshot, which the balance
// history and net worth are anchored on) and the current balance is it
// plus the account's transactions after that day. Without one, the
// current balance (none counts as 0) grows by the added lines.
func (w *syncWriter) settleImportBalance(ctx context.Context, accountID int64, stated *freenahi.DatedBalance, added []*freenahi.Transaction) (int64, error) {
	var balance int64
	if stated != nil {
		if err := w.recordDayBalance(ctx, accountID, *stated); err != nil {
			return 0, err
		}
		after, err := w.sumAfter(ctx, accountID, stated.Date)
		if err != nil {
			return 0, err
		}
		balance = stated.Minor + after
	} else {
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
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE accounts SET balance_minor = $1, updated_at = $2 WHERE id = $3 AND user_id = $4`,
		balance, micros(w.now), accountID, w.userID); err != nil {
		return 0, fmt.Errorf("set balance of account %d: %w", accountID, err)
	}
	return balance, nil
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
