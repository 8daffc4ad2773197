package store_test

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestMigration_ReportFillfactor runs PostgreSQL migration 00160 on a
// database that already holds categorised transactions and their monthly
// sums: both sums tables leave room on their pages afterwards, and the sums
// stay those of the GROUP BY written in this package's tests while later
// syncs add to the same keys. SQLite's 00160 changes nothing.
func TestMigration_ReportFillfactor(t *testing.T) {
	s, _, url := MustOpenStoreURL(t, store.Postgres)
	b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
	sync := func(s *store.Store, first int64) {
		t.Helper()
		MustSync(t, s, b.user, func(w freenahi.SyncWriter) error {
			var txs []*freenahi.Transaction
			for i, wording := range []string{"CB CARREFOUR MARKET 12/03", "PRLV SEPA EDF", "CB SNCF INTERNET", "RETRAIT DAB BNP"} {
				txs = append(txs, &freenahi.Transaction{AccountID: b.checking.ID, PowensID: first + int64(i), Date: date("2026-03-02").AddDays(i),
					ValueMinor: -1000 - int64(i), OriginalWording: wording, Active: true})
			}
			return w.UpsertTransactions(ctx, txs)
		})
	}
	sync(s, 1)
	s.Close()
	db := rawDB(t, url)
	options := func() string {
		t.Helper()
		var got string
		if err := db.QueryRowContext(ctx, `SELECT string_agg(relname || ' ' || COALESCE(array_to_string(reloptions, ','), '-'), '; ' ORDER BY relname)
			FROM pg_class WHERE relname IN ('report_flows', 'report_parts')`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, q := range []string{`ALTER TABLE report_parts RESET (fillfactor)`, `ALTER TABLE report_flows RESET (fillfactor)`,
		`DELETE FROM goose_db_version WHERE version_id = 160`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if got, want := options(), "report_flows -; report_parts -"; got != want {
		t.Fatalf("before the migration: %q, want %q", got, want)
	}
	s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(t), Migrate: true})
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer s.Close()
	if got, want := options(), "report_flows fillfactor=70; report_parts fillfactor=70"; got != want {
		t.Fatalf("after the migration: %q, want %q", got, want)
	}
	var categorised int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM report_parts WHERE category_id <> 0 AND payee <> ''`).Scan(&categorised); err != nil {
		t.Fatal(err)
	}
	if categorised == 0 {
		t.Fatal("no categorised sums: the test would prove nothing of the keys categorisation adds")
	}
	checkReportSums(t, db, "after the migration")
	sync(s, 11) // the same months, categories and payees again
	checkReportSums(t, db, "after a sync adding to the same keys")
}
