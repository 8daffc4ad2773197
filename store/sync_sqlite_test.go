package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestSyncWriter_DeferredInsertTriggers drives SQLite's deferral of the
// insert triggers (sync_sqlite.go) through what can go wrong with it, in
// batches of four rows so that a few rows cross many batches: one event
// writes new rows of every kind the derived tables tell apart (coming,
// deleted, unknown amount, marked as transfer, split stored rows updated),
// updates stored rows, lists a row again in a later batch (moved to another
// account), records a balance and upserts accounts between its batches and
// changes an account's currency while that account's new rows wait; a
// second event fails after its batches and rolls back. After each, the day
// sums and the report sums must equal the GROUP BY definitions of their
// migrations written again in the tests, the full-text index must pass
// SQLite's own integrity check and find a word of a deferred row, every
// trigger must be back with its text, and the accounts written must have a
// new history version. PostgreSQL runs the same event as a reference.
func TestSyncWriter_DeferredInsertTriggers(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, _, url := MustOpenStoreURL(t, engine)
			db := rawDB(t, url)
			b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
			tx := func(a *freenahi.Account, powensID int64, day string, minor int64, wording string) *freenahi.Transaction {
				return &freenahi.Transaction{AccountID: a.ID, PowensID: powensID, Date: date(day), ValueMinor: minor,
					Active: true, Wording: wording}
			}
			// Stored before: two rows, one of them split by hand, and a
			// history version for each account the event writes.
			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error {
				for _, a := range []*freenahi.Account{b.checking, b.card, b.yen} {
					if err := w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: a.ID, At: t0.AddDate(0, -1, 0), BalanceMinor: 1}); err != nil {
						return err
					}
				}
				return w.UpsertTransactions(ctx, []*freenahi.Transaction{
					tx(b.checking, 1, "2026-01-05", -4500, "CB CARREFOUR 05/01"),
					tx(b.checking, 2, "2026-01-06", -12000, "PRLV EDF"),
				})
			})
			stored := txByPowensID(t, s, b.user.ID, 2)
			groceries := categoryByKey(t, s, b.user.ID, "groceries")
			if _, err := s.EditTransaction(ctx, b.user.ID, stored.ID, freenahi.TransactionEdit{Splits: &[]freenahi.SplitPart{
				{CategoryID: groceries.ID, Amount: freenahi.NewDecimal(-2000, 2)},
				{CategoryID: categoryByKey(t, s, b.user.ID, "energy").ID, Amount: freenahi.NewDecimal(-10000, 2)},
			}}); err != nil {
				t.Fatal(err)
			}
			triggers := readRows(t, db, schemaTriggers(engine))
			versions := readRows(t, db, `SELECT account_id, version FROM history_versions`)
			s.SetCopyRows(4)

			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error {
				coming, deleted, unknown, transfer := tx(b.checking, 12, "2026-02-03", -700, "CB BOULANGERIE"),
					tx(b.checking, 13, "2026-02-03", -800, "CB PHARMACIE"), tx(b.checking, 14, "2026-02-04", -900, "CB TABAC"),
					tx(b.checking, 15, "2026-02-04", 50000, "VIR LIVRET A")
				coming.Coming = true
				deleted.Deleted = ptr(t0)
				unknown.AmountOrigin = freenahi.AmountUnknown
				transfer.Transfer = true
				first := []*freenahi.Transaction{
					tx(b.checking, 1, "2026-01-05", -4600, "CB CARREFOUR MARKET 05/01"), // text and amount changed
					tx(b.checking, 2, "2026-01-07", -12000, "PRLV EDF"),                 // split, moved a day
					tx(b.checking, 10, "2026-02-01", -3000, "CB ZYTHOLOGIE 01/02"),
					tx(b.checking, 11, "2026-02-02", 250000, "VIR SALAIRE"),
					coming, deleted, unknown, transfer,
					tx(b.checking, 16, "2026-03-01", -1500, "CB SNCF"),
					tx(b.checking, 17, "2026-03-01", -1500, "CB SNCF"),
				}
				if err := w.UpsertTransactions(ctx, first); err != nil {
					return err
				}
				if err := w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: b.checking.ID, At: t0, BalanceMinor: 123}); err != nil {
					return err
				}
				if err := w.UpsertAccount(ctx, b.card); err != nil { // unchanged
					return err
				}
				card := []*freenahi.Transaction{
					tx(b.card, 20, "2026-02-10", -2500, "CB CINEMA"),
					tx(b.card, 21, "2026-02-11", -2600, "CB LIBRAIRIE"),
					tx(b.card, 22, "2026-02-12", -2700, "CB MUSEE"),
					tx(b.card, 10, "2026-02-01", -3000, "CB ZYTHOLOGIE 01/02"), // written above under checking
					tx(b.card, 23, "2026-02-13", -2800, "CB PISCINE"),
					tx(b.card, 24, "2026-04-13", -2900, "CB THEATRE"),
				}
				if err := w.UpsertTransactions(ctx, card); err != nil {
					return err
				}
				// The card's rows wait in a deferral when its currency changes.
				moved := *b.card
				moved.Currency = freenahi.Currency{Code: "USD", Exponent: 2}
				if err := w.UpsertAccount(ctx, &moved); err != nil {
					return err
				}
				yen := make([]*freenahi.Transaction, 9)
				for i := range yen {
					yen[i] = tx(b.yen, int64(30+i), fmt.Sprintf("2026-0%d-2%d", 1+i%3, i), int64(-100*(i+1)), "KONBINI")
				}
				return w.UpsertTransactions(ctx, yen)
			})
			checkDerived(t, engine, db, triggers, "after the event")
			if got := readRows(t, db, `SELECT DISTINCT currency FROM report_parts WHERE payee = '' OR payee <> '' ORDER BY 1`); !slices.Contains(got, "USD") {
				t.Fatalf("report currencies %v: the card's change to USD is not in the sums", got)
			}
			if got := readRows(t, db, `SELECT COUNT(*) FROM transactions WHERE transfer = TRUE`); !slices.Equal(got, []string{"1"}) {
				t.Fatalf("%v transactions marked as transfer, want 1: the test lost its transfer", got)
			}
			txs, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: b.user.ID, Query: "zythologie", Limit: 10})
			if err != nil || len(txs) != 1 || txs[0].PowensID != 10 || txs[0].AccountID != b.card.ID {
				t.Fatalf("search for a deferred row's word: %v, %v", txs, err)
			}
			after := readRows(t, db, `SELECT account_id, version FROM history_versions`)
			for _, a := range []*freenahi.Account{b.card, b.yen} { // the event records no balance of these
				if before, now := versionOf(versions, a.ID), versionOf(after, a.ID); now == before {
					t.Errorf("account %d: history version still %q after new rows", a.ID, now)
				}
			}

			// An event that fails after its batches leaves nothing of them.
			boom := errors.New("boom")
			err = trySync(t, s, b.user, func(w freenahi.SyncWriter) error {
				rows := make([]*freenahi.Transaction, 10)
				for i := range rows {
					rows[i] = tx(b.savings, int64(100+i), "2026-02-15", 1000, "VIR EPARGNE")
				}
				if err := w.UpsertTransactions(ctx, rows); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("failed event: %v, want boom", err)
			}
			checkDerived(t, engine, db, triggers, "after a failed event")
			if got := readRows(t, db, `SELECT COUNT(*) FROM transactions WHERE account_id = $1`, b.savings.ID); !slices.Equal(got, []string{"0"}) {
				t.Fatalf("the failed event left %v rows", got)
			}
		})
	}
}

// checkDerived fails unless the derived tables equal their definitions and
// the triggers are those of the migrations.
func checkDerived(t *testing.T, engine store.Engine, db *sql.DB, triggers []string, when string) {
	t.Helper()
	checkReportSums(t, db, when)
	if kept, want := readSums(t, db, `SELECT user_id, account_id, date, sum_minor, n FROM transaction_days`), groupBySums(t, db); !mapsEqual(kept, want) {
		t.Fatalf("%s: day sums\n%v\nwant\n%v", when, kept, want)
	}
	if got := readRows(t, db, schemaTriggers(engine)); !slices.Equal(got, triggers) {
		t.Fatalf("%s: triggers differ from the migrations':\n%s", when, strings.Join(got, "\n"))
	}
	if engine != store.SQLite {
		return
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO transactions_search (transactions_search) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("%s: full-text index: %v", when, err)
	}
	// The deferral takes out exactly the insert triggers it can do the
	// work of: one a later migration adds must be listed there.
	got := readRows(t, db, `SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'transactions'
		AND replace(replace(upper(sql), char(10), ' '), '  ', ' ') LIKE '% AFTER INSERT ON TRANSACTIONS%'`)
	if want := []string{"report_insert", "transaction_days_insert", "transactions_search_insert"}; !slices.Equal(got, want) {
		t.Fatalf("%s: insert triggers on transactions %v, want %v (each needs its catch-up in store/sync_sqlite.go)", when, got, want)
	}
}

// schemaTriggers reads every trigger with its definition.
func schemaTriggers(engine store.Engine) string {
	if engine == store.SQLite {
		return `SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'trigger'`
	}
	return `SELECT tgname || ': ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal`
}

// versionOf returns the version in rows ("account|version") of an account.
func versionOf(rows []string, accountID int64) string {
	for _, r := range rows {
		if a, v, _ := strings.Cut(r, "|"); a == fmt.Sprint(accountID) {
			return v
		}
	}
	return ""
}

// TestSyncWriter_DeferredReportSumsWithSplitOfNewRow: the deferral's
// catch-up sums report_flows from report_parts' groups of the new rows,
// which holds only when no split names a new row. transaction_splits has no
// foreign key, so a part can name an id a new row then takes; the catch-up
// must see it and sum report_flows from the transactions, as the trigger
// does. The sums must equal the migrations' definitions written again in
// the tests (checkReportSums).
func TestSyncWriter_DeferredReportSumsWithSplitOfNewRow(t *testing.T) {
	s, _, url := MustOpenStoreURL(t, store.SQLite)
	db := rawDB(t, url)
	b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
	groceries := categoryByKey(t, s, b.user.ID, "groceries")
	var next int64
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM transactions`).Scan(&next); err != nil {
		t.Fatal(err)
	}
	// A part left naming the id the third new row will take.
	if _, err := db.ExecContext(ctx, `INSERT INTO transaction_splits (transaction_id, position, user_id, category_id, amount_minor)
		VALUES ($1, 0, $2, $3, -100)`, next+2, b.user.ID, groceries.ID); err != nil {
		t.Fatal(err)
	}
	s.SetCopyRows(4)
	rows := make([]*freenahi.Transaction, 10)
	for i := range rows {
		rows[i] = &freenahi.Transaction{AccountID: b.checking.ID, PowensID: int64(1 + i), Date: date("2026-02-03"),
			ValueMinor: -1000, Active: true, OriginalWording: "PRLV EDF"}
	}
	MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, rows) })
	if got := readRows(t, db, `SELECT COUNT(*) FROM transactions t JOIN transaction_splits sp ON sp.transaction_id = t.id`); !slices.Equal(got, []string{"1"}) {
		t.Fatalf("%v new rows named by the part, want 1: the test does not split a new row", got)
	}
	checkReportSums(t, db, "after an event whose new row has a part")
}
