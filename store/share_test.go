package store_test

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestShareService shares Ana's checking account with Bob read-only and her
// card in full, and checks against the seeded data (the oracle) what each of
// Ana, Bob and a stranger, Cleo, then reads and may change.
func TestShareService(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		anaTxs := mustSeedTransactions(t, s, ana, 1)
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		bobTxs := mustSeedTransactions(t, s, bob, 2)
		cleo := MustCreateUser(t, s, "cleo@example.com", 0)

		t.Run("Refusals", func(t *testing.T) {
			for _, tc := range []struct {
				in    freenahi.ShareInput
				code  string
				field string
			}{
				{freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.checking.ID, Email: "nobody@example.com", Access: freenahi.ShareRead}, freenahi.EINVALID, "email"},
				{freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.checking.ID, Email: "not an address", Access: freenahi.ShareRead}, freenahi.EINVALID, "email"},
				{freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.checking.ID, Email: "ANA@example.com", Access: freenahi.ShareRead}, freenahi.EINVALID, "email"},
				{freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.checking.ID, Email: "bob@example.com", Access: "admin"}, freenahi.EINVALID, "access"},
				{freenahi.ShareInput{OwnerID: bob.user.ID, AccountID: ana.checking.ID, Email: "cleo@example.com", Access: freenahi.ShareRead}, freenahi.ENOTFOUND, ""},
			} {
				_, err := s.ShareAccount(ctx, tc.in)
				if freenahi.ErrorCode(err) != tc.code || freenahi.ErrorField(err) != tc.field {
					t.Errorf("%+v: err=%v, want code %s field %q", tc.in, err, tc.code, tc.field)
				}
			}
		})

		read, err := s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.checking.ID, Email: " Bob@Example.com ", Access: freenahi.ShareRead})
		if err != nil {
			t.Fatal(err)
		}
		if read.GranteeID != bob.user.ID || read.OwnerEmail != "ana@example.com" || read.GranteeEmail != "bob@example.com" ||
			read.AccountName != "Compte courant" || read.Access != freenahi.ShareRead || !read.CreatedAt.Equal(t0) {
			t.Fatalf("share: %+v", read)
		}
		full, err := s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.card.ID, Email: "bob@example.com", Access: freenahi.ShareRead})
		if err != nil {
			t.Fatal(err)
		}
		// Sharing again changes the access of the same share.
		clk.now = t0.Add(time.Hour)
		again, err := s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.card.ID, Email: "bob@example.com", Access: freenahi.ShareFull})
		if err != nil || again.ID != full.ID || again.Access != freenahi.ShareFull || !again.CreatedAt.Equal(t0) {
			t.Fatalf("share again: %+v %v", again, err)
		}
		// A grantee cannot pass on what is shared with them.
		_, err = s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: bob.user.ID, AccountID: ana.checking.ID, Email: "cleo@example.com", Access: freenahi.ShareRead})
		wantCode(t, err, freenahi.ENOTFOUND, "re-share")

		t.Run("Lists", func(t *testing.T) {
			given, received, err := s.FindShares(ctx, ana.user.ID)
			if err != nil || len(given) != 2 || len(received) != 0 || given[0].ID != read.ID || given[1].ID != full.ID {
				t.Fatalf("ana's shares: %+v %+v %v", given, received, err)
			}
			given, received, err = s.FindShares(ctx, bob.user.ID)
			if err != nil || len(given) != 0 || len(received) != 2 {
				t.Fatalf("bob's shares: %+v %+v %v", given, received, err)
			}
			if got, err := s.FindAccountShares(ctx, ana.user.ID, ana.card.ID); err != nil || len(got) != 1 || got[0].Access != freenahi.ShareFull {
				t.Fatalf("card's shares: %+v %v", got, err)
			}
			_, err = s.FindAccountShares(ctx, bob.user.ID, ana.card.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "grantee lists the owner's shares")
		})

		t.Run("Accounts", func(t *testing.T) {
			own, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: bob.user.ID})
			if err != nil || len(own) != 6 {
				t.Fatalf("bob's own accounts: %d %v", len(own), err)
			}
			all, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: bob.user.ID, WithShared: true})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range all {
				ids = append(ids, a.ID)
				if (a.UserID == bob.user.ID) != (a.Shared == nil) {
					t.Errorf("account %d of user %d: Shared=%+v", a.ID, a.UserID, a.Shared)
				}
			}
			want := []int64{bob.checking.ID, bob.card.ID, bob.savings.ID, bob.loan.ID, bob.market.ID, bob.yen.ID, ana.checking.ID, ana.card.ID}
			slices.Sort(want[:6])
			slices.Sort(want[6:])
			if !slices.Equal(ids, want) {
				t.Fatalf("bob's accounts with shared: %v, want %v", ids, want)
			}
			if a := all[slices.Index(ids, ana.checking.ID)]; a.Shared.OwnerEmail != "ana@example.com" || a.Shared.Access != freenahi.ShareRead || !a.ReadOnly() {
				t.Fatalf("shared checking: %+v", a.Shared)
			}
			if a, err := s.FindVisibleAccount(ctx, bob.user.ID, ana.card.ID); err != nil || a.Shared == nil || a.ReadOnly() {
				t.Fatalf("visible card: %+v %v", a, err)
			}
			if a, err := s.FindVisibleAccount(ctx, ana.user.ID, ana.card.ID); err != nil || a.Shared != nil {
				t.Fatalf("owner's card: %+v %v", a, err)
			}
			_, err = s.FindVisibleAccount(ctx, cleo.ID, ana.card.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "stranger")
			_, err = s.FindVisibleAccount(ctx, bob.user.ID, ana.savings.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "unshared account")
			_, err = s.FindAccountByID(ctx, bob.user.ID, ana.card.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "owner-only lookup by grantee")
			// Cleo has no share: WithShared changes nothing for her.
			if got, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: cleo.ID, WithShared: true}); err != nil || len(got) != 0 {
				t.Fatalf("cleo: %+v %v", got, err)
			}
		})

		t.Run("Transactions", func(t *testing.T) {
			// The oracle: what the test wrote, by account.
			var want []int64
			for _, x := range slices.Concat(anaTxs, bobTxs) {
				if x.Deleted == nil && (x.UserID == bob.user.ID || x.AccountID == ana.checking.ID || x.AccountID == ana.card.ID) {
					want = append(want, x.ID)
				}
			}
			var got []int64
			pages := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: bob.user.ID, WithShared: true, Limit: 7})
			for i, x := range pages {
				got = append(got, x.ID)
				// Pages of 7 merged from three sources stay newest first.
				if i > 0 && (pages[i-1].Date.Before(x.Date) || pages[i-1].Date == x.Date && pages[i-1].ID <= x.ID) {
					t.Fatalf("row %d (%s, %d) after (%s, %d)", i, x.Date, x.ID, pages[i-1].Date, pages[i-1].ID)
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("bob with shared: %d transactions, want %d", len(got), len(want))
			}
			if n := len(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: bob.user.ID})); n != len(want)-countOn(anaTxs, ana.checking.ID, ana.card.ID) {
				t.Fatalf("bob without shared: %d", n)
			}
			if got := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: cleo.ID, WithShared: true}); len(got) != 0 {
				t.Fatalf("cleo reads %d transactions", len(got))
			}
			onChecking, onSavings := anaTxs[0].Transaction, firstOn(t, s, ana, ana.savings.ID)
			if tx, a, err := s.FindVisibleTransaction(ctx, bob.user.ID, onChecking.ID); err != nil || tx.ID != onChecking.ID || a.Shared == nil {
				t.Fatalf("visible transaction: %v", err)
			}
			_, _, err := s.FindVisibleTransaction(ctx, bob.user.ID, onSavings)
			wantCode(t, err, freenahi.ENOTFOUND, "transaction of an unshared account")
			_, _, err = s.FindVisibleTransaction(ctx, cleo.ID, onChecking.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "stranger reads a transaction")
		})

		t.Run("SortedPagesBothWays", func(t *testing.T) {
			// Every order, read forward to the end then back to the start,
			// pages of 7 merged from Bob's own and two shared accounts. The
			// oracle: the rows the test wrote, sorted here by the order's key
			// then id.
			var visible []*freenahi.Transaction
			for _, x := range slices.Concat(anaTxs, bobTxs) {
				if x.Deleted == nil && (x.UserID == bob.user.ID || x.AccountID == ana.checking.ID || x.AccountID == ana.card.ID) {
					visible = append(visible, x.Transaction)
				}
			}
			for _, order := range freenahi.Sorts {
				want := slices.Clone(visible)
				slices.SortFunc(want, func(a, b *freenahi.Transaction) int {
					var c int
					switch order {
					case freenahi.SortAmountAsc, freenahi.SortAmountDesc:
						c = cmp.Compare(a.ValueMinor, b.ValueMinor)
					default:
						c = a.Date.Compare(b.Date)
					}
					if c == 0 {
						c = cmp.Compare(a.ID, b.ID)
					}
					if order == freenahi.SortDateDesc || order == freenahi.SortAmountDesc {
						return -c
					}
					return c
				})
				f := freenahi.TransactionFilter{UserID: bob.user.ID, WithShared: true, Limit: 7, Sort: order}
				var forward [][]int64
				for {
					page, err := s.FindTransactionPage(ctx, f)
					if err != nil {
						t.Fatalf("%s: %v", order, err)
					}
					var ids []int64
					for _, x := range page.Transactions {
						ids = append(ids, x.ID)
					}
					forward = append(forward, ids)
					if page.Next == nil {
						break
					}
					f.After, f.Before = page.Next, nil
					if len(forward) > len(want) {
						t.Fatalf("%s: pages never end", order)
					}
				}
				var got, wantIDs []int64
				for _, ids := range forward {
					got = append(got, ids...)
				}
				for _, x := range want {
					wantIDs = append(wantIDs, x.ID)
				}
				if !slices.Equal(got, wantIDs) {
					t.Fatalf("%s forward: %v\nwant %v", order, got, wantIDs)
				}
				// Back from the last page, one page at a time: each previous
				// page is the one read before it going forward.
				last, err := s.FindTransactionPage(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				prev := last.Prev
				for i := len(forward) - 2; i >= 0; i-- {
					if prev == nil {
						t.Fatalf("%s: no previous page before page %d", order, i+1)
					}
					page, err := s.FindTransactionPage(ctx, freenahi.TransactionFilter{UserID: bob.user.ID, WithShared: true,
						Limit: 7, Sort: order, Before: prev})
					if err != nil {
						t.Fatal(err)
					}
					var ids []int64
					for _, x := range page.Transactions {
						ids = append(ids, x.ID)
					}
					if !slices.Equal(ids, forward[i]) {
						t.Fatalf("%s backward page %d: %v, want %v", order, i, ids, forward[i])
					}
					prev = page.Prev
				}
			}
		})

		t.Run("Edits", func(t *testing.T) {
			onChecking, onCard := firstOnSeeded(anaTxs, ana.checking.ID), firstOnSeeded(anaTxs, ana.card.ID)
			note := ptr("vu par Bob")
			_, err := s.EditTransaction(ctx, bob.user.ID, onChecking, freenahi.TransactionEdit{Note: note})
			wantCode(t, err, freenahi.EFORBIDDEN, "read share edits")
			_, err = s.EditTransaction(ctx, cleo.ID, onCard, freenahi.TransactionEdit{Note: note})
			wantCode(t, err, freenahi.ENOTFOUND, "stranger edits")
			got, err := s.EditTransaction(ctx, bob.user.ID, onCard, freenahi.TransactionEdit{Note: note, Tags: &[]string{"foyer"}})
			if err != nil || got.Note != *note || got.UserID != ana.user.ID {
				t.Fatalf("full share edits: %+v %v", got, err)
			}
			if tx, err := s.FindTransactionByID(ctx, ana.user.ID, onCard); err != nil || tx.Note != *note || !slices.Equal(tx.Tags, []string{"foyer"}) {
				t.Fatalf("owner reads the edit: %+v %v", tx, err)
			}
			cat := categoryByKey(t, s, ana.user.ID, "groceries")
			_, err = s.EditTransaction(ctx, bob.user.ID, onCard, freenahi.TransactionEdit{CategoryID: &cat.ID})
			wantCode(t, err, freenahi.EFORBIDDEN, "full share sets a category")
		})

		t.Run("History", func(t *testing.T) {
			v, err := s.HistoryVersions(ctx, bob.user.ID)
			if err != nil {
				t.Fatal(err)
			}
			owner, _ := s.HistoryVersions(ctx, ana.user.ID)
			if v[ana.checking.ID] == 0 || v[ana.checking.ID] != owner[ana.checking.ID] {
				t.Fatalf("bob's version of the shared checking: %d, ana's %d", v[ana.checking.ID], owner[ana.checking.ID])
			}
			if _, ok := v[ana.savings.ID]; ok {
				t.Fatal("bob has a version of an unshared account")
			}
			data, err := s.ReadHistoryData(ctx, bob.user.ID, nil, freenahi.Date{}, time.UTC)
			if err != nil || data[ana.checking.ID] == nil || data[ana.savings.ID] != nil {
				t.Fatalf("bob's history data: %v", err)
			}
			// The day sums of the shared checking are Ana's booked, counted
			// transactions summed by the test.
			sums := map[freenahi.Date]int64{}
			for _, x := range anaTxs {
				if x.AccountID == ana.checking.ID && x.Deleted == nil && !x.Coming {
					sums[x.Date] += x.ValueMinor
				}
			}
			for _, m := range data[ana.checking.ID].Movements {
				if sums[m.Date] != m.Minor {
					t.Errorf("%s: %d, want %d", m.Date, m.Minor, sums[m.Date])
				}
				delete(sums, m.Date)
			}
			if len(sums) != 0 {
				t.Errorf("days missing: %v", sums)
			}
		})

		t.Run("RevokeLeaveDelete", func(t *testing.T) {
			wantCode(t, s.RevokeShare(ctx, bob.user.ID, read.ID), freenahi.ENOTFOUND, "grantee revokes")
			wantCode(t, s.LeaveShare(ctx, ana.user.ID, read.ID), freenahi.ENOTFOUND, "owner leaves")
			if err := s.RevokeShare(ctx, ana.user.ID, read.ID); err != nil {
				t.Fatal(err)
			}
			_, err := s.FindVisibleAccount(ctx, bob.user.ID, ana.checking.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "revoked account")
			if err := s.LeaveShare(ctx, bob.user.ID, full.ID); err != nil {
				t.Fatal(err)
			}
			if _, received, _ := s.FindShares(ctx, bob.user.ID); len(received) != 0 {
				t.Fatalf("after leaving: %+v", received)
			}
			// Deleting the grantee deletes the shares they had.
			if _, err := s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.yen.ID, Email: "cleo@example.com", Access: freenahi.ShareRead}); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteUser(ctx, cleo.ID); err != nil {
				t.Fatal(err)
			}
			if given, _, _ := s.FindShares(ctx, ana.user.ID); len(given) != 0 {
				t.Fatalf("after deleting the grantee: %+v", given)
			}
			// Deleting the owner deletes the shares of their accounts.
			if _, err := s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: ana.user.ID, AccountID: ana.yen.ID, Email: "bob@example.com", Access: freenahi.ShareRead}); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteUser(ctx, ana.user.ID); err != nil {
				t.Fatal(err)
			}
			if _, received, _ := s.FindShares(ctx, bob.user.ID); len(received) != 0 {
				t.Fatalf("after deleting the owner: %+v", received)
			}
		})
	})
}

func countOn(txs []seeded, accounts ...int64) int {
	n := 0
	for _, x := range txs {
		if x.Deleted == nil && slices.Contains(accounts, x.AccountID) {
			n++
		}
	}
	return n
}

func firstOnSeeded(txs []seeded, account int64) int64 {
	for _, x := range txs {
		if x.AccountID == account {
			return x.ID
		}
	}
	panic("no transaction on the account")
}

// firstOn writes one transaction on an account the seed leaves empty.
func firstOn(tb testing.TB, s *store.Store, b *bank, account int64) int64 {
	tb.Helper()
	MustSync(tb, s, b.user, func(w freenahi.SyncWriter) error {
		return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: account, PowensID: 777001, Currency: eur,
			Date: date("2026-01-05"), ValueMinor: 2500, OriginalWording: "INTERETS", Type: "bank", Active: true}})
	})
	for _, x := range mustAllTransactions(tb, s, freenahi.TransactionFilter{UserID: b.user.ID}) {
		if x.AccountID == account {
			return x.ID
		}
	}
	tb.Fatal("not stored")
	return 0
}
