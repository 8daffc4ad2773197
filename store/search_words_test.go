package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestMigration_SearchWordsColumn runs PostgreSQL migration 00240 on a
// database whose transactions were written before it (no search_words
// column, the index of 00130): they keep NULL words, are indexed as before,
// and a search finds them and the rows a later sync writes, whose numbers
// the index holds cut to four digits, with the planner using the index.
func TestMigration_SearchWordsColumn(t *testing.T) {
	url, key := storetest.MigratedURL(t, store.Postgres), storetest.Key(t)
	s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
	sync := func(s *store.Store, first int64, wordings ...string) {
		t.Helper()
		var txs []*freenahi.Transaction
		for i, w := range wordings {
			txs = append(txs, &freenahi.Transaction{AccountID: ana.checking.ID, PowensID: first + int64(i), Currency: eur,
				Date: date("2026-01-02"), ValueMinor: -100, OriginalWording: w, Type: "card", Active: true})
		}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, txs) })
	}
	// Before the migration: 1-4.
	sync(s, 1, "VIR REF 2024031512345", "CHÈQUE N°1234", "CB ZANZIBAR 12/05", "CB "+strings.Repeat("x", 2100)+" 9876543")
	s.Close()
	db := rawDB(t, url)
	for _, q := range []string{`DROP INDEX transactions_search_words`, `ALTER TABLE transactions DROP COLUMN search_words`,
		`CREATE INDEX transactions_search_words ON transactions USING gin ((CASE WHEN octet_length(search_text) < 2048
			THEN array_to_tsvector(array_remove(regexp_split_to_array(search_text, '[^0-9a-z]+'), '')) ELSE '-'::tsvector END))`,
		`DELETE FROM goose_db_version WHERE version_id = 240`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s, err = store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer s.Close()
	var unset int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM transactions WHERE search_words IS NULL`).Scan(&unset); err != nil || unset != 4 {
		t.Fatalf("%d rows without words after the migration (%v), want the 4 written before it", unset, err)
	}
	// After it: 5-7, and 1 again with another reference.
	sync(s, 5, "VIR REF 2024031599999", "PRLV 20240315 EDF", "CB ZANZIBAR 1234567")
	sync(s, 1, "VIR REF 2024031512346")
	// Row 3 again, unchanged: its words alone do not make it changed, so it
	// is not rewritten and keeps NULL (indexed from its search text).
	sync(s, 3, "CB ZANZIBAR 12/05")
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM transactions WHERE powens_id IN (2, 3, 4) AND search_words IS NULL`).Scan(&unset); err != nil || unset != 3 {
		t.Fatalf("%d of rows 2-4 without words (%v), want 3: an unchanged row was rewritten for its words", unset, err)
	}
	var stored string
	if err := db.QueryRowContext(ctx, `SELECT search_words FROM transactions WHERE powens_id = 5`).Scan(&stored); err != nil || stored != "vir ref 2024" {
		t.Fatalf("search_words %q (%v), want %q", stored, err, "vir ref 2024")
	}
	for _, tc := range []struct {
		q    string
		want []int64 // Powens ids
	}{
		{"zanzibar", []int64{3, 7}},
		{"2024031512346", []int64{1}},
		{"2024031512345", nil}, // the reference the second sync replaced
		{"20240315", []int64{1, 5, 6}},
		{"2024031599", []int64{5}},
		{"1234", []int64{2, 7}},
		{"12345", []int64{7}},
		{"12", []int64{2, 3, 7}},
		{"987654", []int64{4}},
		{"9876543 cb", []int64{4}},
		{"edf 2024", []int64{6}},
	} {
		var got []int64
		for _, tx := range mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Query: tc.q}) {
			got = append(got, tx.PowensID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %q found %v, want %v", tc.q, got, tc.want)
		}
	}
	// The planner matches the reader's expression to the index's.
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	var plan []string
	rows, err := conn.QueryContext(ctx, `EXPLAIN SELECT t.id FROM transactions t WHERE `+store.PGSearchWords+` @@ 'zanz:*'::tsquery`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if p := strings.Join(plan, "\n"); !strings.Contains(p, "transactions_search_words") {
		t.Fatalf("the search does not use the word index:\n%s", p)
	}

	// The column stays out of archives, which restore into either engine:
	// SQLite, which has none, takes this one and finds the same rows.
	sqliteURL := storetest.MigratedURL(t, store.SQLite)
	if _, err := store.Restore(ctx, sqliteURL, fromBytes(mustBackup(t, s)), restoreOpts(key)); err != nil {
		t.Fatalf("restore PostgreSQL's archive into SQLite: %v", err)
	}
	restored, err := store.Open(ctx, sqliteURL, store.Options{Secrets: key})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if got := mustAllTransactions(t, restored, freenahi.TransactionFilter{UserID: ana.user.ID, Query: "2024031599"}); len(got) != 1 || got[0].PowensID != 5 {
		t.Fatalf("after a restore into SQLite, search found %d rows, want row 5", len(got))
	}
}
