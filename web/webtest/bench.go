package webtest

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// MustBulkTransactions inserts n transactions over ten years into the
// user's first account of the SQLite store at dbURL in one statement (the
// ingest path would take minutes), and returns the keyset cursor 90 % deep.
func MustBulkTransactions(b *testing.B, dbURL string, userID int64, n int) freenahi.Cursor {
	b.Helper()
	_, path := store.ParseURL(dbURL)
	db, err := sql.Open(store.SQLiteDriver, "file:"+path+"?_busy_timeout=10000")
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

// WealthBench is a store holding a person with 200 accounts (checking,
// savings, PEA, mortgage in turn; each mortgage with its terms, so that
// its past before its first snapshot is computed), a balance snapshot a month over three
// years, and transactions spread over the accounts and the three years to
// 2026-12-06; DB is a plain connection to its database, for references.
type WealthBench struct {
	Store  *store.Store
	UserID int64
	DB     *sql.DB
}

// MustWealthBench builds a WealthBench with rows transactions on engine,
// inserted in one statement (the ingest path would take minutes; the
// store's triggers keep what they derive as it runs).
func MustWealthBench(b *testing.B, engine store.Engine, rows int) *WealthBench {
	b.Helper()
	ctx := context.Background()
	url := storetest.URL(b, engine)
	s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(b), Migrate: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	u, err := s.CreateUser(ctx, "ana@example.com", "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 42, Token: "t"}); err != nil {
		b.Fatal(err)
	}
	types := []string{"checking", "livret_a", "pea", "mortgage"}
	MustSync(b, s, 42, func(ctx context.Context, w freenahi.SyncWriter) error {
		c := &freenahi.Connection{PowensID: 1}
		if err := w.UpsertConnection(ctx, c); err != nil {
			return err
		}
		rate := freenahi.MustParseDecimal("1.85")
		for i := range 200 {
			bal := int64(100000 * i)
			if types[i%4] == "mortgage" {
				bal = -bal - 10000000 // what is owed
			}
			a := &freenahi.Account{ConnectionID: c.ID, PowensID: int64(i + 1), PowensConnectionID: 1, Type: types[i%4],
				Name: fmt.Sprint("Account ", i), Currency: freenahi.Currency{Code: "EUR", Exponent: 2}, BalanceMinor: &bal}
			if err := w.UpsertAccount(ctx, a); err != nil {
				return err
			}
			if a.Type == "mortgage" {
				// Terms from 2019: its past before its first snapshot
				// (December 2023) is computed, 4 years of payments.
				total := int64(300)
				if err := w.UpsertLoan(ctx, &freenahi.Loan{AccountID: a.ID, Type: "mortgage", Rate: &rate,
					StartRepaymentDate: freenahi.Date{Year: 2019, Month: 12, Day: 5}, NbPaymentsTotal: &total}); err != nil {
					return err
				}
			}
			for m := range 36 { // a snapshot a month
				at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC).AddDate(0, -m, 0)
				if err := w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: a.ID, At: at, BalanceMinor: bal - int64(m)*1000}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	driver, target := store.SQLiteDriver, ""
	if e, t := store.ParseURL(url); e == store.Postgres {
		driver, target = "pgx", t
	} else {
		target = "file:" + t + "?_busy_timeout=10000"
	}
	db, err := sql.Open(driver, target)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	day := `CAST(strftime('%Y%m%d', date('2026-12-06', '-' || (i % 1096) || ' days')) AS INTEGER)`
	seq, from := `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $2) `, `FROM seq`
	if engine == store.Postgres {
		day = `CAST(to_char(DATE '2026-12-06' - CAST(i % 1096 AS INTEGER), 'YYYYMMDD') AS INTEGER)`
		seq, from = ``, `FROM generate_series(1, $2) AS i`
	}
	if _, err := db.Exec(seq+`INSERT INTO transactions (user_id, account_id, powens_id, date, value_minor, original_wording,
			simplified_wording, search_text, coming, active, created_at, updated_at)
		SELECT $1, (SELECT MIN(id) FROM accounts) + i % 200, 10000000 + i, `+day+`,
			-(i % 9973), 'BULK', 'BULK', 'bulk', FALSE, TRUE, 0, 0 `+from, u.ID, rows); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return &WealthBench{Store: s, UserID: u.ID, DB: db}
}
