package webtest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// MustBulkTransactions inserts n transactions over ten years into the
// user's first account of the SQLite store at dbURL in one statement (the
// ingest path would take minutes), and returns the keyset cursor 90 % deep.
func MustBulkTransactions(b *testing.B, dbURL string, userID int64, n int) freenahi.Cursor {
	b.Helper()
	_, path := store.ParseURL(dbURL)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var account int64
	if err := db.QueryRow(`SELECT MIN(id) FROM accounts WHERE user_id = $1`, userID).Scan(&account); err != nil {
		b.Fatal(err)
	}
	_, err = db.ExecContext(context.Background(), `
		WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $3)
		INSERT INTO transactions (user_id, account_id, powens_id, date, value_minor, original_wording,
			simplified_wording, search_text, coming, active, created_at, updated_at)
		SELECT $1, $2, 10000000 + i,
			CAST(strftime('%Y%m%d', date('2025-01-01', '-' || (i % 3650) || ' days')) AS INTEGER),
			-(i % 9973), 'PRLV BULK ' || i, 'BULK ' || i, 'prlv bulk ' || i || ' bulk ' || i, i % 97 = 0, TRUE, 0, 0
		FROM seq`, userID, account, n)
	if err != nil {
		b.Fatal(err)
	}
	var c freenahi.Cursor
	var date int
	err = db.QueryRow(`SELECT date, id FROM transactions WHERE user_id = $1 ORDER BY date DESC, id DESC LIMIT 1 OFFSET $2`,
		userID, n*9/10).Scan(&date, &c.ID)
	if err != nil {
		b.Fatal(err)
	}
	c.Date = freenahi.DateFromInt(date)
	return c
}
