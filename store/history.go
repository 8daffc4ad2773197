package store

import (
	"context"
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
	// instead of one per transaction.
	q := &query{}
	q.where("(d.user_id = $? OR "+sharedWith("d.account_id")+")", userID, userID)
	if accountID != nil {
		q.where("d.account_id = $?", *accountID)
	}
	if !from.IsZero() {
		q.where("d.date >= $?", int64(from.Int()))
	}
	rows, err := tx.QueryContext(ctx, `SELECT d.account_id, d.date, d.sum_minor FROM transaction_days d
		WHERE `+q.sql()+` ORDER BY d.account_id, d.date`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("read history of user %d: movements: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m freenahi.DayAmount
		if err := rows.Scan(&id, dateVal{&m.Date}, &m.Minor); err != nil {
			return nil, fmt.Errorf("read history of user %d: movements: scan: %w", userID, err)
		}
		h := get(id)
		h.Movements = append(h.Movements, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history of user %d: movements: %w", userID, err)
	}
	// Snapshots from the start of from (a day early, for zones east of UTC)
	// and, per account, the last one before, which carries into the window.
	q = &query{}
	q.where("(b.user_id = $? OR "+sharedWith("b.account_id")+")", userID, userID)
	if accountID != nil {
		q.where("b.account_id = $?", *accountID)
	}
	cond := q.sql()
	if !from.IsZero() {
		start := micros(from.AddDays(-1).Time())
		n := len(q.args) + 1
		cond += fmt.Sprintf(` AND (b.at >= $%d OR b.at = (SELECT MAX(p.at) FROM balance_snapshots p
			WHERE p.account_id = b.account_id AND p.at < $%d))`, n, n)
		q.args = append(q.args, start)
	}
	rows, err = tx.QueryContext(ctx, `SELECT b.account_id, b.at, b.balance_minor FROM balance_snapshots b
		WHERE `+cond+` ORDER BY b.account_id, b.at`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("read history of user %d: snapshots: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, minor int64
		var at time.Time
		if err := rows.Scan(&id, timeVal{&at}, &minor); err != nil {
			return nil, fmt.Errorf("read history of user %d: snapshots: scan: %w", userID, err)
		}
		h := get(id)
		day := freenahi.DateOf(at.In(zone))
		if n := len(h.Snapshots); n > 0 && h.Snapshots[n-1].Date == day {
			h.Snapshots[n-1].Minor = minor // the day's last wins
			continue
		}
		h.Snapshots = append(h.Snapshots, freenahi.DayAmount{Date: day, Minor: minor})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history of user %d: snapshots: %w", userID, err)
	}
	return out, nil
}

// HistoryVersions returns, per account of the user or shared with them
// (so that a cache of their histories sees the owner's changes), a number that changes
// whenever the account's history data changes (a transaction counted,
// edited, moved or deleted; a balance snapshot written); an account whose
// data never changed has none (take it as 0). Histories computed from data
// read after HistoryVersions said v stay exact while it still says v.
func (s *Store) HistoryVersions(ctx context.Context, userID int64) (map[int64]int64, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT account_id, version FROM history_versions
		WHERE user_id = $1 OR account_id IN (SELECT account_id FROM account_shares WHERE grantee_id = $1)`, userID)
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
