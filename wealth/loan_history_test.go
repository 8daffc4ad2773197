package wealth_test

import (
	"context"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestNetWorth_LoanBeforeFirstSync: a loan synced for the first time today
// counts in net worth every earlier day with its capital computed from its
// terms, so net worth does not fall by the whole debt on the day of the
// first sync. The loan is the 3-month one of freenahi's
// TestLoanPast_ByHand, worked by hand there: 1,000.00 lent on 2 January
// 2026 at 12 % a year, payments of 340.02 on 31 January, 28 February and
// 31 March; synced on 10 March, 336.66 owed. The checking account moves
// from 1 January. Both engines; then the loan's terms change and the
// cached history follows (the store's triggers bump its version).
func TestNetWorth_LoanBeforeFirstSync(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "ana@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 7, Token: "t"}); err != nil {
			t.Fatal(err)
		}
		synced := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		svc := &wealth.Service{Accounts: s, Source: s, Now: func() time.Time { return synced }}
		eur := freenahi.Currency{Code: "EUR", Exponent: 2}
		checkingBalance, owed := int64(250000), int64(-33666)
		checking := &freenahi.Account{PowensID: 1, PowensConnectionID: 1, Type: "checking", Name: "Compte", Currency: eur,
			BalanceMinor: &checkingBalance, Display: true}
		mortgage := &freenahi.Account{PowensID: 2, PowensConnectionID: 1, Type: "loan", Name: "Prêt", Currency: eur,
			BalanceMinor: &owed, Display: true}
		rate := freenahi.MustParseDecimal("12")
		loan := &freenahi.Loan{Type: "loan", Rate: &rate, StartRepaymentDate: freenahi.Date{Year: 2026, Month: 1, Day: 31},
			SubscriptionDate: freenahi.Date{Year: 2026, Month: 1, Day: 2}, NbPaymentsTotal: ptr(int64(3)), TotalAmountMinor: ptr(int64(100000))}
		webtest.MustSync(t, s, 7, func(ctx context.Context, w freenahi.SyncWriter) error {
			c := &freenahi.Connection{PowensID: 1, Active: true}
			if err := w.UpsertConnection(ctx, c); err != nil {
				return err
			}
			for _, a := range []*freenahi.Account{checking, mortgage} {
				a.ConnectionID = c.ID
				if err := w.UpsertAccount(ctx, a); err != nil {
					return err
				}
				if err := w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: a.ID, At: synced, BalanceMinor: *a.BalanceMinor}); err != nil {
					return err
				}
			}
			loan.AccountID = mortgage.ID
			if err := w.UpsertLoan(ctx, loan); err != nil {
				return err
			}
			return w.UpsertTransactions(ctx, []*freenahi.Transaction{
				{AccountID: checking.ID, PowensID: 1, Date: freenahi.Date{Year: 2026, Month: 1, Day: 1}, ValueMinor: 100000, Currency: eur, Active: true},
				{AccountID: checking.ID, PowensID: 2, Date: freenahi.Date{Year: 2026, Month: 2, Day: 15}, ValueMinor: -20000, Currency: eur, Active: true},
			})
		})
		day := func(m time.Month, d int) freenahi.Date { return freenahi.Date{Year: 2026, Month: m, Day: d} }
		// Checking by hand: 2,500.00 today, 2,700.00 before 15 February,
		// 1,700.00 before 1 January. The loan: nothing before 2 January,
		// then 1,000.00, 669.98 from 31 January, 336.66 from 28 February.
		want := map[freenahi.Date]int64{
			{Year: 2025, Month: 12, Day: 31}: 170000, // the checking's history starts the day before its first movement
			day(1, 1):                        270000, // no loan yet (lent on the 2nd)
			day(1, 2):                        270000 - 100000,
			day(1, 30):                       270000 - 100000,
			day(1, 31):                       270000 - 66998,
			day(2, 14):                       270000 - 66998,
			day(2, 15):                       250000 - 66998,
			day(2, 28):                       250000 - 33666,
			day(3, 9):                        250000 - 33666,
			day(3, 10):                       250000 - 33666,
		}
		check := func(t *testing.T, want map[freenahi.Date]int64) {
			t.Helper()
			nw, err := svc.NetWorth(ctx, freenahi.NetWorthQuery{UserID: u.ID, Interval: freenahi.IntervalDay})
			if err != nil {
				t.Fatal(err)
			}
			if nw.From != (freenahi.Date{Year: 2025, Month: 12, Day: 31}) {
				t.Fatalf("net worth starts on %s, want 2025-12-31 (the checking's first day, not the loan's)", nw.From)
			}
			got := map[freenahi.Date]int64{}
			for _, p := range nw.Series[0].Points {
				got[p.Date] = p.TotalMinor
			}
			for d, w := range want {
				if got[d] != w {
					t.Errorf("net worth on %s is %d, want %d", d, got[d], w)
				}
			}
		}
		check(t, want)

		// The loan's own history goes back to the day it was lent, each
		// day before the first sync labelled computed.
		h, err := svc.AccountHistory(ctx, u.ID, mortgage.ID, freenahi.Date{}, freenahi.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if first, last := h.Points[0], h.Points[len(h.Points)-1]; first.Date != day(1, 2) || first.BalanceMinor != -100000 ||
			first.Source != freenahi.SourceComputed || last.Source != freenahi.SourceSnapshot || last.BalanceMinor != owed {
			t.Fatalf("loan history from %+v to %+v", first, last)
		}
		for _, p := range h.Points[:len(h.Points)-1] {
			if p.Source != freenahi.SourceComputed {
				t.Fatalf("%s is %s, want computed", p.Date, p.Source)
			}
		}

		// Powens corrects the terms: no interest. Payments of 333.33
		// (1,000.00 / 3, rounded); before the last one 336.66 + 333.33 =
		// 669.99, before the first 1,003.32.
		zero := freenahi.MustParseDecimal("0")
		loan.Rate = &zero
		webtest.MustSync(t, s, 7, func(ctx context.Context, w freenahi.SyncWriter) error { return w.UpsertLoan(ctx, loan) })
		want[day(1, 2)], want[day(1, 30)] = 270000-100332, 270000-100332
		want[day(1, 31)], want[day(2, 14)], want[day(2, 15)] = 270000-66999, 270000-66999, 250000-66999
		check(t, want)
	})
}
