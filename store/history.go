package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/freenahi/freenahi"
)

var _ freenahi.HistorySource = (*Store)(nil)

// ReadHistoryData reads, in one snapshot, what the balance histories of the
// user's accounts, and of those shared with them, are rebuilt from: the day sums of the transactions that
// statements count (the exportable condition, so a history and a statement
// of the same account never disagree) and the day's last balance snapshot.
func (s *Store) ReadHistoryData(ctx context.Context, userID int64, accountID *int64, from freenahi.Date, zone *time.Location) (map[int64]*freenahi.HistoryData, error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("read history of user %d: begin: %w", userID, err)
	}
	defer tx.Rollback()
	out := map[int64]*freenahi.HistoryData{}
	get := func(id int64) *freenahi.HistoryData {
		h := out[id]
		if h == nil {
			h = &freenahi.HistoryData{}
			out[id] = h
		}
		return h
	}
	// The day sums are kept by triggers (migration 00055) under the
	// exportable condition; reading them costs a row per account and day
	// instead of one per transaction. The person's own accounts and those
	// shared with them are read apart, each along an index:
	// "user_id = $1 OR account_id IN (shared)" could use none, so SQLite
	// scanned and sorted the day sums and snapshots of every person.
	for _, part := range historyParts {
		query, args := historyDaysSQL(part.days, part.daysOwner, userID, accountID, from)
		err := eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
			var id int64
			var m freenahi.DayAmount
			if err := rows.Scan(&id, dateVal{&m.Date}, &m.Minor); err != nil {
				return err
			}
			h := get(id)
			h.Movements = append(h.Movements, m)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read history of user %d: movements: %w", userID, err)
		}
	}
	for _, part := range historyParts {
		query, args := historySnapshotsSQL(part.snapshots, part.snapshotsOwner, userID, accountID, from)
		err := eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
			var id, minor int64
			var at time.Time
			if err := rows.Scan(&id, timeVal{&at}, &minor); err != nil {
				return err
			}
			h := get(id)
			day := freenahi.DateOf(at.In(zone))
			if n := len(h.Snapshots); n > 0 && h.Snapshots[n-1].Date == day {
				h.Snapshots[n-1].Minor = minor // the day's last wins
				return nil
			}
			h.Snapshots = append(h.Snapshots, freenahi.DayAmount{Date: day, Minor: minor})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read history of user %d: snapshots: %w", userID, err)
		}
	}
	// A loan's past before its first snapshot, computed from its terms,
	// walked back from that snapshot (the first ever, whatever from).
	for _, part := range historyParts {
		query, args := historyLoansSQL(part.loans, part.loansOwner, userID, accountID)
		err := eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
			l := &freenahi.Loan{}
			var at time.Time
			var first freenahi.DayAmount
			if err := rows.Scan(append(loanDest(l), timeVal{&at}, &first.Minor)...); err != nil {
				return err
			}
			first.Date = freenahi.DateOf(at.In(zone))
			if past := freenahi.LoanPast(l, first); past != nil {
				get(l.AccountID).Computed = past
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read history of user %d: loans: %w", userID, err)
		}
	}
	return out, nil
}

// historyParts are the two halves of a person's history data, each with
// the condition naming the person: their own accounts' rows, and those of
// the accounts shared with them (the shares joined to the owner's rows
// along their index). An account is in one half only.
var historyParts = []struct{ days, daysOwner, snapshots, snapshotsOwner, loans, loansOwner string }{
	{"transaction_days d", "d.user_id = $?", "balance_snapshots b", "b.user_id = $?", "loans l", "l.user_id = $?"},
	{"account_shares s JOIN transaction_days d ON d.user_id = s.owner_id AND d.account_id = s.account_id", "s.grantee_id = $?",
		"account_shares s JOIN balance_snapshots b ON b.account_id = s.account_id", "s.grantee_id = $?",
		"account_shares s JOIN loans l ON l.account_id = s.account_id", "s.grantee_id = $?"},
}

// historyLoansSQL is the query of one half of the loans, each with its
// account and its first balance snapshot (loans without one are left out).
func historyLoansSQL(from, owner string, userID int64, accountID *int64) (string, []any) {
	q := &query{}
	q.where(owner, userID)
	if accountID != nil {
		q.where("l.account_id = $?", *accountID)
	}
	return `SELECT ` + loanColumns + `, f.at, f.balance_minor FROM ` + from + `
		JOIN accounts a ON a.id = l.account_id
		JOIN balance_snapshots f ON f.id = (SELECT p.id FROM balance_snapshots p WHERE p.account_id = l.account_id ORDER BY p.at LIMIT 1)
		WHERE ` + q.sql(), q.args
}

// historyDaysSQL is the query of one half of the day sums, by account
// then day.
func historyDaysSQL(from, owner string, userID int64, accountID *int64, start freenahi.Date) (string, []any) {
	q := &query{}
	q.where(owner, userID)
	if accountID != nil {
		q.where("d.account_id = $?", *accountID)
	}
	if !start.IsZero() {
		q.where("d.date >= $?", int64(start.Int()))
	}
	return `SELECT d.account_id, d.date, d.sum_minor FROM ` + from + ` WHERE ` + q.sql() + ` ORDER BY d.account_id, d.date`, q.args
}

// historySnapshotsSQL is the query of one half of the balance snapshots
// from the start of start (a day early, for zones east of UTC) and, per
// account, the last one before, which carries into the window.
func historySnapshotsSQL(from, owner string, userID int64, accountID *int64, start freenahi.Date) (string, []any) {
	q := &query{}
	q.where(owner, userID)
	if accountID != nil {
		q.where("b.account_id = $?", *accountID)
	}
	cond := q.sql()
	if !start.IsZero() {
		n := len(q.args) + 1
		cond += fmt.Sprintf(` AND (b.at >= $%d OR b.at = (SELECT MAX(p.at) FROM balance_snapshots p
			WHERE p.account_id = b.account_id AND p.at < $%d))`, n, n)
		q.args = append(q.args, micros(start.AddDays(-1).Time()))
	}
	return `SELECT b.account_id, b.at, b.balance_minor FROM ` + from + ` WHERE ` + cond + ` ORDER BY b.account_id, b.at`, q.args
}

// eachRow runs a query in tx and calls fn on each row.
func eachRow(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("scan: %w", err)
		}
	}
	return rows.Err()
}

const historyVersionsSQL = `SELECT account_id, version FROM history_versions WHERE user_id = $1
	UNION ALL SELECT v.account_id, v.version FROM account_shares s
	JOIN history_versions v ON v.user_id = s.owner_id AND v.account_id = s.account_id WHERE s.grantee_id = $1`

// HistoryVersions returns, per account of the user or shared with them
// (so that a cache of their histories sees the owner's changes), a number that changes
// whenever the account's history data changes (a transaction counted,
// edited, moved or deleted; a balance snapshot written); an account whose
// data never changed has none (take it as 0). Histories computed from data
// read after HistoryVersions said v stay exact while it still says v.
func (s *Store) HistoryVersions(ctx context.Context, userID int64) (map[int64]int64, error) {
	// Each half along the primary key: with "user_id = $1 OR account_id IN
	// (shared)" SQLite scanned every person's versions on every request.
	rows, err := s.readQuery(ctx, historyVersionsSQL, userID)
	if err != nil {
		return nil, fmt.Errorf("history versions of user %d: %w", userID, err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("history versions of user %d: scan: %w", userID, err)
		}
		out[id] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history versions of user %d: %w", userID, err)
	}
	return out, nil
}
