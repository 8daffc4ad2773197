package store_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// sortOracle orders seeded transactions as the test reads the sort
// orders, written apart from the store's SQL: date or signed minor amount,
// then id, each descending or ascending.
func sortOracle(txs []seeded, sort string) []int64 {
	txs = slices.Clone(txs)
	slices.SortFunc(txs, func(x, y seeded) int {
		var c int
		switch sort {
		case freenahi.SortDateDesc:
			c = cmp.Or(y.Date.Compare(x.Date), cmp.Compare(y.ID, x.ID))
		case freenahi.SortDateAsc:
			c = cmp.Or(x.Date.Compare(y.Date), cmp.Compare(x.ID, y.ID))
		case freenahi.SortAmountDesc:
			c = cmp.Or(cmp.Compare(y.ValueMinor, x.ValueMinor), cmp.Compare(y.ID, x.ID))
		case freenahi.SortAmountAsc:
			c = cmp.Or(cmp.Compare(x.ValueMinor, y.ValueMinor), cmp.Compare(x.ID, y.ID))
		}
		return c
	})
	ids := make([]int64, len(txs))
	for i, t := range txs {
		ids[i] = t.ID
	}
	return ids
}

// mustWalkPages reads every page forward, then every page backward from
// the last through Prev, and fails unless both walks cut the same pages.
func mustWalkPages(tb testing.TB, s *store.Store, f freenahi.TransactionFilter) []int64 {
	tb.Helper()
	var pages [][]int64
	var prevs []*freenahi.Cursor
	for {
		page, err := s.FindTransactionPage(ctx, f)
		if err != nil {
			tb.Fatalf("FindTransactionPage(%+v): %v", f, err)
		}
		if (f.After == nil) != (page.Prev == nil) {
			tb.Fatalf("page %d: prev cursor %v after cursor %v", len(pages), page.Prev, f.After)
		}
		pages, prevs = append(pages, idsOf(page.Transactions)), append(prevs, page.Prev)
		if page.Next == nil {
			break
		}
		f.After = page.Next
	}
	for i := len(pages) - 1; i > 0; i-- {
		b := f
		b.After, b.Before = nil, prevs[i]
		page, err := s.FindTransactionPage(ctx, b)
		if err != nil {
			tb.Fatalf("page before %d: %v", i, err)
		}
		if got := idsOf(page.Transactions); !slices.Equal(got, pages[i-1]) {
			tb.Fatalf("sort %s limit %d: the page before page %d is\n%v\nforward it was\n%v", f.Sort, f.Limit, i, got, pages[i-1])
		}
		if (i == 1) != (page.Prev == nil) || page.Next == nil {
			tb.Fatalf("page before %d: prev %v next %v", i, page.Prev, page.Next)
		}
	}
	return slices.Concat(pages...)
}

func TestTransactionService_Sort(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		mine := mustSeedTransactions(t, s, ana, 1)
		mustSeedTransactions(t, s, bob, 2)
		// Ties: eight payments of exactly 12.00 and four receipts of 5.00 on
		// one day, so that pages must break inside equal amounts and dates.
		var ties []*freenahi.Transaction
		for i := range 12 {
			minor := int64(-1200)
			if i%3 == 0 {
				minor = 500
			}
			ties = append(ties, &freenahi.Transaction{AccountID: ana.checking.ID, PowensID: 90_000 + int64(i), Currency: eur,
				Date: date("2026-01-07"), ValueMinor: minor, OriginalWording: "TIE", Type: "card", Active: true})
		}
		mustUpsert(t, s, ana.user, ties...)
		all := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, IncludeDeleted: true})
		byID := map[int64]*freenahi.Transaction{}
		for _, tx := range all {
			byID[tx.ID] = tx
		}
		for _, tx := range ties {
			for _, got := range all {
				if got.PowensID == tx.PowensID && got.AccountID == tx.AccountID {
					mine = append(mine, seeded{Transaction: got})
				}
			}
		}
		visible := filterSeeded(mine, func(t seeded) bool { return t.Deleted == nil })
		for _, sort := range freenahi.Sorts {
			want := sortOracle(visible, sort)
			for _, limit := range []int{1, 5, 7, len(want) - 1, len(want), len(want) + 1} {
				t.Run(fmt.Sprintf("%s/%d", sort, limit), func(t *testing.T) {
					got := mustWalkPages(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Limit: limit, Sort: sort})
					if !slices.Equal(got, want) {
						t.Fatalf("pages give\n%v\nwant\n%v", got, want)
					}
				})
			}
		}
		t.Run("FilteredSpendingByAmount", func(t *testing.T) {
			from, to := date("2026-01-03"), date("2026-01-12")
			keep := filterSeeded(visible, func(t seeded) bool {
				return t.AccountID == ana.checking.ID && t.ValueMinor < 0 && !t.Date.Before(from) && !to.Before(t.Date)
			})
			for _, sort := range freenahi.Sorts {
				got := mustWalkPages(t, s, freenahi.TransactionFilter{UserID: ana.user.ID, Limit: 4, Sort: sort,
					AccountID: &ana.checking.ID, Direction: freenahi.DirectionSpending, From: &from, To: &to})
				if want := sortOracle(keep, sort); !slices.Equal(got, want) {
					t.Fatalf("%s: pages give\n%v\nwant\n%v", sort, got, want)
				}
			}
		})
		t.Run("CursorOfAnotherSort", func(t *testing.T) {
			page, err := s.FindTransactionPage(ctx, freenahi.TransactionFilter{UserID: ana.user.ID, Limit: 3, Sort: freenahi.SortAmountAsc})
			if err != nil || page.Next == nil {
				t.Fatalf("first page: %v", err)
			}
			_, err = s.FindTransactionPage(ctx, freenahi.TransactionFilter{UserID: ana.user.ID, Limit: 3, After: page.Next})
			wantField(t, err, "cursor")
			_, err = s.FindTransactionPage(ctx, freenahi.TransactionFilter{UserID: ana.user.ID, Sort: "size"})
			wantField(t, err, "sort")
			_, err = s.FindTransactionPage(ctx, freenahi.TransactionFilter{UserID: ana.user.ID, Sort: freenahi.SortAmountAsc,
				After: page.Next, Before: page.Next})
			wantField(t, err, "before")
		})
		t.Run("OwnerScoped", func(t *testing.T) {
			// Bob's cursor position used by Bob reads only Bob's rows.
			page, err := s.FindTransactionPage(ctx, freenahi.TransactionFilter{UserID: bob.user.ID, Limit: freenahi.MaxPageLimit,
				Sort: freenahi.SortAmountDesc})
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range page.Transactions {
				if byID[tx.ID] != nil || tx.UserID != bob.user.ID {
					t.Fatalf("bob's listing holds transaction %d of user %d", tx.ID, tx.UserID)
				}
			}
		})
	})
}

// TestTransactionService_FindTags: the tags on one's own transactions,
// each once, sorted, written here by hand; another user's are not listed.
func TestTransactionService_FindTags(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		mustUpsert(t, s, ana.user, cardTx(ana.checking, 1, "CB SNCF", -4500), cardTx(ana.checking, 2, "CB HOTEL", -9000))
		mustUpsert(t, s, bob.user, cardTx(bob.checking, 1, "CB SNCF", -4500))
		tag := func(u *freenahi.User, powensID int64, tags ...string) {
			tx := txByPowensID(t, s, u.ID, powensID)
			if _, err := s.EditTransaction(ctx, u.ID, tx.ID, freenahi.TransactionEdit{Tags: &tags}); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.FindTags(ctx, ana.user.ID); err != nil || len(got) != 0 {
			t.Fatalf("no tag yet: %v %v", got, err)
		}
		tag(ana.user, 1, "Vacances", "train")
		tag(ana.user, 2, "Vacances")
		tag(bob.user, 1, "bob only")
		got, err := s.FindTags(ctx, ana.user.ID)
		if want := []string{"Vacances", "train"}; err != nil || !slices.Equal(got, want) {
			t.Fatalf("ana's tags %v (%v), want %v", got, err, want)
		}
	})
}
