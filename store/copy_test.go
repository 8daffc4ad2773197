package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/google/go-cmp/cmp"
)

// SQLite → PostgreSQL: everything arrives, the same rows as the source read
// by plain SQL on each side; interrupted in the middle of the largest
// table, the target refuses to serve, and running the copy again resumes
// where it stopped instead of starting over.
func TestCopy_SQLiteToPostgresResumes(t *testing.T) {
	key := storetest.Key(t)
	srcURL := storetest.MigratedURL(t, store.SQLite)
	dstURL := storetest.URL(t, store.Postgres)
	src, err := store.Open(ctx, srcURL, store.Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	clk := &clock{now: t0}
	src.Now = func() time.Time { return clk.now }
	mustSeedAll(t, src, clk)
	// Enough transactions for a commit in the middle of the table.
	carol := MustSeedBank(t, src, MustCreateUser(t, src, "carol@example.com", 3))
	var many []*freenahi.Transaction
	for i := range 1_200 {
		many = append(many, &freenahi.Transaction{AccountID: carol.checking.ID, PowensID: int64(i + 1), Date: date("2026-01-01").AddDays(i % 60),
			ValueMinor: int64(i%1000 - 500), OriginalWording: "PRLV é " + strings.Repeat("x", i%7), Active: true, Coming: i%5 == 0, Currency: eur})
	}
	MustSync(t, src, carol.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, many) })
	want := dumpDB(t, srcURL)

	// First run: interrupted after the first commit of transactions.
	cctx, cancel := context.WithCancel(ctx)
	opts := store.RestoreOptions{Secrets: key, CommitRows: 500, Progress: func(table string, loaded, total int64) {
		if table == "transactions" && total < 0 {
			cancel()
		}
	}}
	if _, err := src.CopyTo(cctx, dstURL, "copy-1", opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted copy: err = %v, want context.Canceled", err)
	}
	var loaded int64
	if err := rawDB(t, dstURL).QueryRowContext(ctx, `SELECT count(*) FROM transactions`).Scan(&loaded); err != nil {
		t.Fatal(err)
	}
	if loaded == 0 || loaded >= int64(len(want["transactions"])) {
		t.Fatalf("after the interruption the target holds %d of %d transactions, want a part", loaded, len(want["transactions"]))
	}
	if _, err := store.Open(ctx, dstURL, store.Options{Secrets: key, Migrate: true}); err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("opening a half-copied database: err = %v, want a refusal", err)
	}

	// A copy of another source is refused on the half-copied target.
	if _, err := src.CopyTo(ctx, dstURL, "copy-2", store.RestoreOptions{Secrets: key}); err == nil || !strings.Contains(err.Error(), "unfinished restore of another archive") {
		t.Fatalf("another copy into the half-copied target: err = %v", err)
	}

	// Second run resumes.
	rep, err := src.CopyTo(ctx, dstURL, "copy-1", store.RestoreOptions{Secrets: key})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Resumed {
		t.Error("the second run did not resume")
	}
	for _, tr := range rep.Tables {
		if tr.Name == "transactions" && tr.Skipped != loaded {
			t.Errorf("transactions: %d rows skipped on resume, %d were loaded", tr.Skipped, loaded)
		}
	}
	if diff := cmp.Diff(want, dumpDB(t, dstURL)); diff != "" {
		t.Fatalf("copied rows differ (-sqlite +postgres):\n%s", diff)
	}
	if sumAll(rep.Restored) != int64(len(want["transactions"])) {
		t.Errorf("report counts %d transactions", sumAll(rep.Restored))
	}
	dst, err := store.Open(ctx, dstURL, store.Options{Secrets: key})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	txs, _, err := dst.FindTransactions(ctx, freenahi.TransactionFilter{UserID: carol.user.ID, AccountID: &carol.checking.ID, Limit: 1})
	if err != nil || len(txs) != 1 {
		t.Fatalf("reading the copy through the store: %v, %v", txs, err)
	}

	// Back the other way, PostgreSQL → SQLite, through the same format.
	back := storetest.URL(t, store.SQLite)
	if _, err := dst.CopyTo(ctx, back, "copy-back", store.RestoreOptions{Secrets: key}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, dumpDB(t, back)); diff != "" {
		t.Fatalf("rows copied back differ (-sqlite +sqlite via postgres):\n%s", diff)
	}
}
