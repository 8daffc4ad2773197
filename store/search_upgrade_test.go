package store_test

import (
	"compress/gzip"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// fts5Fixture is a database freenahi 5d467d3 (modernc.org/sqlite, search
// index in FTS5, schema at migration 00120) wrote through its store: users
// ana (Powens user 1) and bob (2) with MustSeedBank's accounts; ana's
// checking account holds five transactions, one of them rewritten by a
// second sync ("VIR SEPA LOYER DÉCEMBRE" became "… JANVIER"); bob's two
// were deleted with him. The FTS5 index passed its integrity check before
// the file was written (VACUUM INTO).
const fts5Fixture = "testdata/fts5_5d467d3.db.gz"

// TestSearch_UpgradeFromFTS5 opens with this freenahi (mattn/go-sqlite3,
// whose SQLite has no FTS5 module) a database an earlier freenahi built,
// migrates it, and searches it: the FTS5 table, which this SQLite cannot
// even drop, is gone, and FTS4 finds what the hand-written table says,
// before and after a sync changes a wording.
func TestSearch_UpgradeFromFTS5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "freenahi.db")
	gunzipFile(t, fts5Fixture, path)

	db, err := sql.Open(store.SQLiteDriver, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schemaSQL := func() string {
		var all []string
		rows, err := db.Query(`SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_schema WHERE name LIKE 'transactions_search%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			all = append(all, s)
		}
		return strings.Join(all, "\n")
	}
	if before := schemaSQL(); !strings.Contains(before, "USING fts5") {
		t.Fatalf("the fixture holds no FTS5 table, the test proves nothing:\n%s", before)
	}
	if _, err := db.Exec(`SELECT count(*) FROM transactions_search`); err == nil || !strings.Contains(err.Error(), "no such module: fts5") {
		t.Fatalf("reading the FTS5 table: %v, want no such module (else the driver has FTS5 and the test proves nothing)", err)
	}

	s, err := store.Open(ctx, "sqlite:"+path, store.Options{Secrets: storetest.Key(t), Migrate: true})
	if err != nil {
		t.Fatalf("open and migrate a database of freenahi 5d467d3: %v", err)
	}
	defer s.Close()
	s.Now = func() time.Time { return t0.AddDate(1, 0, 0) }

	after := schemaSQL()
	if strings.Contains(after, "fts5") || !strings.Contains(after, "USING fts4") {
		t.Fatalf("after migration the search index is\n%s\nwant FTS4 and no trace of FTS5", after)
	}
	var integrity string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity check: %q, %v", integrity, err)
	}
	if _, err := db.Exec(`INSERT INTO transactions_search (transactions_search) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("FTS4 integrity check: %v", err)
	}

	ana, err := s.FindUserByEmail(ctx, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	search := func(q string) []string {
		t.Helper()
		var got []string
		for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.ID, Query: q}) {
			got = append(got, tx.OriginalWording)
		}
		slices.Sort(got)
		return got
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"cheque", []string{"CHÈQUE N°1234", "REMISE CHEQUES"}},
		{"Chèque 1234", []string{"CHÈQUE N°1234"}},
		{"electricite france", []string{"PRLV ÉLECTRICITÉ DE FRANCE"}},
		{"carref 12", []string{"CB CARREFOUR 12/05"}},
		{"loyer janv", []string{"VIR SEPA LOYER JANVIER"}},
		{"decembre", nil}, // the wording the second sync replaced
		{"99", nil},       // bob's, deleted with him
		{"arrefour", nil},
	} {
		if got := search(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("after upgrade: search %q found %q, want %q", tc.q, got, tc.want)
		}
	}

	// The new triggers keep the index in step: a sync rewrites a wording.
	accounts, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: ana.ID})
	if err != nil {
		t.Fatal(err)
	}
	var checking int64
	for _, a := range accounts {
		if a.PowensID == 10 {
			checking = a.ID
		}
	}
	MustSync(t, s, ana, func(w freenahi.SyncWriter) error {
		return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: checking, PowensID: 4, Currency: eur,
			Date: date("2026-01-06"), ValueMinor: -400, OriginalWording: "CB MONOPRIX 12/05", Type: "card", Active: true}})
	})
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"carref", nil},
		{"monop 12", []string{"CB MONOPRIX 12/05"}},
	} {
		if got := search(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("after a sync: search %q found %q, want %q", tc.q, got, tc.want)
		}
	}
	if _, err := db.Exec(`INSERT INTO transactions_search (transactions_search) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("FTS4 integrity check after a sync: %v", err)
	}
}

func gunzipFile(tb testing.TB, src, dst string) {
	tb.Helper()
	in, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		tb.Fatal(err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
}
