package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestSearchIndex_PendingListMerged checks, with PostgreSQL's own
// gin_clean_pending_list as the oracle (it answers how many pages it found
// pending), that an event's words wait in the GIN index's pending list
// rather than being merged by the event (migration 00270), that a search
// finds them there, and that the store merges them after the commit
// (search_pending.go), for an event and for an import.
func TestSearchIndex_PendingListMerged(t *testing.T) {
	pending := func(t *testing.T, s *store.Store) int64 {
		t.Helper()
		var pages int64
		if err := s.DB().QueryRowContext(ctx, `SELECT gin_clean_pending_list('transactions_search_words'::regclass)`).Scan(&pages); err != nil {
			t.Fatal(err)
		}
		return pages
	}
	// 20,000 rows of 6 words make about 2.5 MB of pending entries, within
	// PostgreSQL's default limit of 4 MB too, so that what the test tells
	// apart is the store's merge, not the limit; 40,000 pass that default.
	rows := func(account int64, first int64, n int) []*freenahi.Transaction {
		txs := make([]*freenahi.Transaction, n)
		for i := range txs {
			txs[i] = &freenahi.Transaction{AccountID: account, PowensID: first + int64(i), Currency: eur, Date: date("2026-01-02"),
				ValueMinor: -100, OriginalWording: fmt.Sprintf("CB PENDING%d SHOP %d 12/05", i%500, i), Type: "card", Active: true}
		}
		return txs
	}
	search := func(t *testing.T, s *store.Store, u *freenahi.User, q string) []int64 {
		t.Helper()
		found, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: u.ID, Query: q, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, tx := range found {
			ids = append(ids, tx.PowensID)
		}
		slices.Sort(ids)
		return ids
	}

	t.Run("without the merge, the words stay pending and are found", func(t *testing.T) {
		s := storetest.MustOpen(t, store.Postgres)
		s.StopSearchIndexMerges()
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, rows(ana.checking.ID, 1, 40_000)) })
		if got := search(t, s, ana.user, "pending499"); len(got) != 80 || got[0] != 500 {
			t.Fatalf("search of pending words found %d rows starting %v, want 80 starting at 500", len(got), got)
		}
		// The default limit (4 MB, 512 pages) would have made the event
		// merge the list itself, leaving fewer pages than that.
		if pages := pending(t, s); pages <= 512 {
			t.Fatalf("%d pages pending after an event of 40,000 rows, want more than 512: the event merged the list itself", pages)
		}
	})
	t.Run("after an event", func(t *testing.T) {
		s := storetest.MustOpen(t, store.Postgres)
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, rows(ana.checking.ID, 1, 20_000)) })
		s.WaitSearchIndex()
		if pages := pending(t, s); pages != 0 {
			t.Fatalf("%d pages still pending after the event's merge, want 0", pages)
		}
		if got := search(t, s, ana.user, "pending7"); len(got) != 40*11 {
			t.Fatalf("search after the merge found %d rows, want %d", len(got), 40*11)
		}
	})
	t.Run("after an import", func(t *testing.T) {
		s := storetest.MustOpen(t, store.Postgres)
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		lines := make([]freenahi.ImportLine, 20_000)
		for i := range lines {
			lines[i] = freenahi.ImportLine{Key: fmt.Sprintf("line-%d", i), Date: date("2026-01-02"), AmountMinor: -100,
				Wording: fmt.Sprintf("CB IMPORTED%d SHOP %d 12/05", i%500, i)}
		}
		if _, err := s.ImportTransactions(ctx, &freenahi.Import{UserID: ana.user.ID, NewAccount: &freenahi.Account{Name: "Old bank", Currency: eur}, Lines: lines}); err != nil {
			t.Fatal(err)
		}
		s.WaitSearchIndex()
		if pages := pending(t, s); pages != 0 {
			t.Fatalf("%d pages still pending after the import's merge, want 0", pages)
		}
	})
}
