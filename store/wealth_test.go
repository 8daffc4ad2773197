package store_test

import (
	"slices"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestWealthService(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		mustSeedEverything(t, s, bob)
		position := func(a *freenahi.Account, powensID int64, label string) *freenahi.Investment {
			return &freenahi.Investment{AccountID: a.ID, PowensID: powensID, Label: label, Valuation: ptr(freenahi.MustParseDecimal("10"))}
		}
		sold := position(ana.market, 3, "Sold")
		sold.Deleted = ptr(clk.now)
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
			if err := w.UpsertInvestments(ctx, []*freenahi.Investment{
				position(ana.market, 1, "Zinc"), position(ana.market, 2, "Acme"), sold, position(ana.savings, 4, "Fonds euros"),
			}); err != nil {
				return err
			}
			for _, a := range []*freenahi.Account{ana.loan, ana.card} {
				if err := w.UpsertLoan(ctx, &freenahi.Loan{AccountID: a.ID, Type: "loan", TotalAmountMinor: ptr(int64(1000))}); err != nil {
					return err
				}
			}
			return nil
		})
		labels := func(invs []*freenahi.Investment) []string {
			var out []string
			for _, in := range invs {
				if in.UserID != ana.user.ID {
					t.Fatalf("ana's listing holds investment %d of user %d", in.ID, in.UserID)
				}
				out = append(out, in.Label)
			}
			return out
		}
		t.Run("FindInvestments", func(t *testing.T) {
			for _, tc := range []struct {
				name    string
				account *int64
				want    []string
			}{
				{"All", nil, []string{"Fonds euros", "Acme", "Zinc"}}, // by account, then label; the sold one hidden
				{"OneAccount", &ana.market.ID, []string{"Acme", "Zinc"}},
				{"AnotherUsersAccount", &bob.market.ID, nil},
			} {
				got, err := s.FindInvestments(ctx, ana.user.ID, tc.account)
				if err != nil || !slices.Equal(labels(got), tc.want) {
					t.Errorf("%s: %v, %v; want %v", tc.name, labels(got), err, tc.want)
				}
			}
		})
		t.Run("FindLoans", func(t *testing.T) {
			loans, err := s.FindLoans(ctx, ana.user.ID)
			if err != nil || len(loans) != 2 || loans[0].AccountID != ana.card.ID || loans[1].AccountID != ana.loan.ID {
				t.Fatalf("FindLoans: %d loans, %v", len(loans), err)
			}
			// The loans of deleted accounts are not listed.
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error { return w.MarkConnectionDeleted(ctx, ana.conn.PowensID, clk.now) })
			if loans, err := s.FindLoans(ctx, ana.user.ID); err != nil || len(loans) != 0 {
				t.Fatalf("after the connection's deletion: %d loans, %v", len(loans), err)
			}
			if loans, err := s.FindLoans(ctx, bob.user.ID); err != nil || len(loans) != 1 || loans[0].UserID != bob.user.ID {
				t.Fatalf("bob's loans: %d, %v", len(loans), err)
			}
		})
	})
}
