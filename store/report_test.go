package store_test

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestReports: income and spending per month and by category, with every
// kind of transfer left out; the figures are added up by hand below.
func TestReports(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		tx := func(pid int64, day, typ, wording string, minor int64) *freenahi.Transaction {
			return &freenahi.Transaction{AccountID: b.checking.ID, PowensID: pid, Date: date(day), Currency: eur,
				ValueMinor: minor, Type: typ, OriginalWording: wording, Active: true}
		}
		deleted := tx(8, "2026-03-09", "card", "CB CARREFOUR 09/03", -99999)
		deleted.Deleted = ptr(t0)
		mustUpsert(t, s, u,
			tx(1, "2026-02-27", "transfer", "VIR SEPA SALAIRE ACME SAS", 300000),
			tx(2, "2026-03-02", "card", "CB CARREFOUR 01/03", -4250),
			tx(3, "2026-03-05", "card", "CB MONOPRIX 04/03", -1000),
			tx(4, "2026-03-03", "transfer", "VIR SEPA VERS LIVRET A", -15000),         // savings: a transfer
			tx(5, "2026-03-31", "summary_card", "RELEVE CB DIFFERE XXXX4974", -50000), // card settlement: a transfer
			tx(6, "2026-03-10", "transfer", "VIR SEPA A MOI MEME", -20000),            // marked as transfer below
			tx(7, "2026-03-12", "order", "PRLV SEPA EDF", -7800),
			deleted,
			tx(9, "2026-04-01", "card", "CB CARREFOUR 01/04", -700), // outside the period
		)
		if _, err := s.EditTransaction(ctx, u.ID, txByPowensID(t, s, u.ID, 6).ID, freenahi.TransactionEdit{Transfer: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		flows, err := s.Cashflow(ctx, u.ID, date("2026-02-01"), date("2026-03-31"))
		if err != nil {
			t.Fatal(err)
		}
		want := []freenahi.MonthFlow{
			{Month: "2026-02", Currency: "EUR", Exponent: 2, IncomeMinor: 300000},
			{Month: "2026-03", Currency: "EUR", Exponent: 2, SpendingMinor: 4250 + 1000 + 7800},
		}
		if len(flows) != len(want) || flows[0] != want[0] || flows[1] != want[1] {
			t.Fatalf("Cashflow=%+v, want %+v", flows, want)
		}
		rep, err := s.Spending(ctx, u.ID, date("2026-03-01"), date("2026-03-31"))
		if err != nil {
			t.Fatal(err)
		}
		groceries, energy := categoryByKey(t, s, u.ID, "groceries"), categoryByKey(t, s, u.ID, "energy")
		if len(rep.ByCategory) != 2 || *rep.ByCategory[0].CategoryID != energy.ID || rep.ByCategory[0].SpendingMinor != 7800 ||
			*rep.ByCategory[1].CategoryID != groceries.ID || rep.ByCategory[1].SpendingMinor != 5250 || rep.ByCategory[1].Count != 2 {
			t.Fatalf("by category: %+v", rep.ByCategory)
		}
		if len(rep.ByPayee) != 3 || rep.ByPayee[0].Payee != "Edf" || rep.ByPayee[1].Payee != "Carrefour" || rep.ByPayee[1].SpendingMinor != 4250 {
			t.Fatalf("by payee: %+v", rep.ByPayee)
		}
		// Drill-down: the category's transactions are the ones counted.
		got := mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: u.ID, CategoryID: &groceries.ID,
			From: ptr(date("2026-03-01")), To: ptr(date("2026-03-31"))})
		if len(got) != 2 {
			t.Fatalf("drill-down to groceries: %d transactions, want 2", len(got))
		}
		_, err = s.Cashflow(ctx, u.ID, date("2026-03-31"), date("2026-03-01"))
		wantCode(t, err, freenahi.EINVALID, "a period upside down")
		other := MustCreateUser(t, s, "ben@example.com", 0)
		if flows, err := s.Cashflow(ctx, other.ID, date("2026-01-01"), date("2026-12-31")); err != nil || len(flows) != 0 {
			t.Fatalf("another user's cashflow: %+v, %v", flows, err)
		}
	})
}
