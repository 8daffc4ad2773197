package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestAccountService_FindAccounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		// A second connection with one account, soon deleted.
		other := &freenahi.Account{PowensID: 20, PowensConnectionID: 5, Type: "savings", Name: "Épargne", Currency: eur}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
			c := &freenahi.Connection{PowensID: 5}
			if err := w.UpsertConnection(ctx, c); err != nil {
				return err
			}
			other.ConnectionID = c.ID
			return w.UpsertAccount(ctx, other)
		})
		ids := func(accounts []*freenahi.Account) []int64 {
			var out []int64
			for _, a := range accounts {
				out = append(out, a.ID)
			}
			return out
		}
		// Listed by connection, then id; the card was written first.
		all := []int64{ana.card.ID, ana.checking.ID, ana.savings.ID, ana.loan.ID, ana.market.ID, ana.yen.ID}
		for _, tc := range []struct {
			name   string
			filter freenahi.AccountFilter
			want   []int64
		}{
			{"All", freenahi.AccountFilter{}, append(slices.Clone(all), other.ID)},
			{"Type", freenahi.AccountFilter{Type: "checking"}, []int64{ana.checking.ID, ana.yen.ID}},
			{"GroupChecking", freenahi.AccountFilter{Group: freenahi.GroupChecking}, []int64{ana.card.ID, ana.checking.ID, ana.yen.ID}},
			{"GroupSavings", freenahi.AccountFilter{Group: freenahi.GroupSavings}, []int64{ana.savings.ID, other.ID}},
			{"GroupInvestments", freenahi.AccountFilter{Group: freenahi.GroupInvestments}, []int64{ana.market.ID}},
			{"GroupLoans", freenahi.AccountFilter{Group: freenahi.GroupLoans}, []int64{ana.loan.ID}},
			{"Connection", freenahi.AccountFilter{ConnectionID: &other.ConnectionID}, []int64{other.ID}},
			{"AnotherUsersConnection", freenahi.AccountFilter{ConnectionID: &bob.conn.ID}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.filter
				f.UserID = ana.user.ID
				got, err := s.FindAccounts(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), tc.want) {
					t.Fatalf("got %v, want %v", ids(got), tc.want)
				}
			})
		}
		t.Run("Fields", func(t *testing.T) {
			card, err := s.FindAccountByID(ctx, ana.user.ID, ana.card.ID)
			if err != nil {
				t.Fatal(err)
			}
			// The parent's id is resolved although the card came first.
			if card.ParentID == nil || *card.ParentID != ana.checking.ID || *card.PowensParentID != 10 || card.UserID != ana.user.ID ||
				card.Currency != eur || *card.BalanceMinor != -4000 || !card.Display || card.Name != "Carte" || card.Group() != freenahi.GroupChecking {
				t.Fatalf("card read back as %+v", card)
			}
			if yen, _ := s.FindAccountByID(ctx, ana.user.ID, ana.yen.ID); yen.Currency != jpy || *yen.BalanceMinor != 20000 {
				t.Fatalf("yen account read back as %+v", yen)
			}
		})
		t.Run("Deleted", func(t *testing.T) {
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.MarkConnectionDeleted(ctx, 5, clk.now) })
			got, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: ana.user.ID})
			if err != nil || !slices.Equal(ids(got), all) {
				t.Fatalf("without deleted: %v, %v; want %v", ids(got), err, all)
			}
			got, err = s.FindAccounts(ctx, freenahi.AccountFilter{UserID: ana.user.ID, IncludeDeleted: true})
			if err != nil || len(got) != 7 {
				t.Fatalf("with deleted: %v, %v", ids(got), err)
			}
			// A deleted account is still found by id: its history stays readable.
			if a, err := s.FindAccountByID(ctx, ana.user.ID, other.ID); err != nil || a.Deleted == nil {
				t.Fatalf("a deleted account by id: %+v, %v", a, err)
			}
		})
		t.Run("OwnerScoping", func(t *testing.T) {
			for _, a := range []*freenahi.Account{bob.checking, bob.card, bob.savings, bob.loan, bob.market, bob.yen} {
				_, err := s.FindAccountByID(ctx, ana.user.ID, a.ID)
				wantCode(t, err, freenahi.ENOTFOUND, "ana reading bob's account")
			}
			got, err := s.FindAccounts(ctx, freenahi.AccountFilter{UserID: bob.user.ID})
			if err != nil || len(got) != 6 {
				t.Fatalf("bob's accounts: %d, %v", len(got), err)
			}
			for _, a := range got {
				if a.UserID != bob.user.ID {
					t.Fatalf("bob's listing holds account %d of user %d", a.ID, a.UserID)
				}
			}
		})
	})
}

func TestAccountService_FindBalances(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		day := func(d string, h int) time.Time { return date(d).Time().Add(time.Duration(h) * time.Hour) }
		snapshots := []*freenahi.BalanceSnapshot{
			{AccountID: ana.checking.ID, At: day("2026-03-01", 23), BalanceMinor: 100},
			{AccountID: ana.checking.ID, At: day("2026-03-02", 0), BalanceMinor: 200, ComingMinor: ptr(int64(-5))},
			{AccountID: ana.checking.ID, At: day("2026-03-02", 23), BalanceMinor: 300},
			{AccountID: ana.checking.ID, At: day("2026-03-03", 8), BalanceMinor: 400},
			{AccountID: ana.savings.ID, At: day("2026-03-02", 9), BalanceMinor: 999},
		}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
			for _, b := range snapshots {
				if err := w.RecordBalance(ctx, b); err != nil {
					return err
				}
			}
			// The same instant again: one snapshot, the last values.
			return w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: ana.checking.ID, At: day("2026-03-03", 8), BalanceMinor: 450})
		})
		balances := func(from, to freenahi.Date) []int64 {
			t.Helper()
			got, err := s.FindBalances(ctx, ana.user.ID, ana.checking.ID, from, to)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, b := range got {
				if b.AccountID != ana.checking.ID || b.Currency != eur {
					t.Fatalf("snapshot %+v", b)
				}
				out = append(out, b.BalanceMinor)
			}
			return out
		}
		for _, tc := range []struct {
			name     string
			from, to freenahi.Date
			want     []int64
		}{
			{"Open", freenahi.Date{}, freenahi.Date{}, []int64{100, 200, 300, 450}},
			{"OneDayInclusive", date("2026-03-02"), date("2026-03-02"), []int64{200, 300}},
			{"From", date("2026-03-02"), freenahi.Date{}, []int64{200, 300, 450}},
			{"To", freenahi.Date{}, date("2026-03-01"), []int64{100}},
			{"Empty", date("2026-04-01"), freenahi.Date{}, nil},
		} {
			if got := balances(tc.from, tc.to); !slices.Equal(got, tc.want) {
				t.Errorf("%s: balances %v, want %v", tc.name, got, tc.want)
			}
		}
		got, _ := s.FindBalances(ctx, ana.user.ID, ana.checking.ID, date("2026-03-02"), date("2026-03-02"))
		if got[0].ComingMinor == nil || *got[0].ComingMinor != -5 || !got[0].At.Equal(day("2026-03-02", 0)) {
			t.Fatalf("snapshot read back as %+v", got[0])
		}
		_, err := s.FindBalances(ctx, ana.user.ID, bob.checking.ID, freenahi.Date{}, freenahi.Date{})
		wantCode(t, err, freenahi.ENOTFOUND, "ana reading bob's balances")
	})
}
