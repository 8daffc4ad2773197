package store_test

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestTransfers_DetectUndoSync: a pair is detected, survives a sync, and
// undoing it on one side undoes both, for good.
func TestTransfers_DetectUndoSync(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		out := &freenahi.Transaction{AccountID: b.checking.ID, PowensID: 1, Date: date("2026-03-03"), Currency: eur, ValueMinor: -15000,
			Type: "transfer", OriginalWording: "VIR SEPA M DUPONT", Active: true}
		in := &freenahi.Transaction{AccountID: b.savings.ID, PowensID: 2, Date: date("2026-03-04"), Currency: eur, ValueMinor: 15000,
			Type: "transfer", OriginalWording: "VIR SEPA M DUPONT", Active: true}
		mustUpsert(t, s, u, out, in, cardTx(b.checking, 3, "CB CARREFOUR 04/03", -15000))
		n, err := s.DetectTransfers(ctx, u.ID)
		if err != nil || n != 1 {
			t.Fatalf("DetectTransfers=%d, %v; want 1", n, err)
		}
		a, c := txByPowensID(t, s, u.ID, 1), txByPowensID(t, s, u.ID, 2)
		if !a.Transfer || !c.Transfer || *a.TransferPair != c.ID || *c.TransferPair != a.ID {
			t.Fatalf("pair: %+v / %+v", a, c)
		}
		if txByPowensID(t, s, u.ID, 3).Transfer {
			t.Fatal("a card payment of the same amount on the same account was paired")
		}
		// A later sync of both keeps the pair.
		clk.Add(3600e9)
		mustUpsert(t, s, u, out, in)
		if a := txByPowensID(t, s, u.ID, 1); !a.Transfer || a.TransferPair == nil {
			t.Fatalf("a sync undid the pair: %+v", a)
		}
		// Undone on the savings side: both sides are unmarked and unpaired,
		// and neither detection nor a sync pairs them again.
		if _, err := s.EditTransaction(ctx, u.ID, c.ID, freenahi.TransactionEdit{Transfer: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.DetectTransfers(ctx, u.ID); n != 0 {
			t.Fatalf("an undone pair was detected again (%d)", n)
		}
		mustUpsert(t, s, u, out, in)
		for _, pid := range []int64{1, 2} {
			if got := txByPowensID(t, s, u.ID, pid); got.Transfer || got.TransferPair != nil || got.Edits&freenahi.EditedTransfer == 0 {
				t.Fatalf("side %d after undo: transfer=%v pair=%v edits=%b", pid, got.Transfer, got.TransferPair, got.Edits)
			}
		}
	})
}

// TestTransfers_UndoCountsBothSidesAgain: a move to the Livret A is paired,
// and its wordings also put both sides in the savings category, which the
// reports leave out too. Undone, both sides count again in income and
// spending, as the transaction page promises, and a later sync does not
// put them back in savings; a transfer category the person chose by hand
// stays. The figures are added up by hand.
func TestTransfers_UndoCountsBothSidesAgain(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		u := b.user
		out := &freenahi.Transaction{AccountID: b.checking.ID, PowensID: 1, Date: date("2026-03-03"), Currency: eur, ValueMinor: -50000,
			Type: "order", OriginalWording: "VIR SEPA VERS LIVRET A", Active: true}
		in := &freenahi.Transaction{AccountID: b.savings.ID, PowensID: 2, Date: date("2026-03-04"), Currency: eur, ValueMinor: 50000,
			Type: "transfer", OriginalWording: "VIR SEPA DE COMPTE CHEQUES", Active: true}
		mustUpsert(t, s, u, out, in, cardTx(b.checking, 3, "CB FNAC 01/03", -4250))
		if n, err := s.DetectTransfers(ctx, u.ID); err != nil || n != 1 {
			t.Fatalf("DetectTransfers=%d, %v; want 1", n, err)
		}
		savings := categoryByKey(t, s, u.ID, "savings").ID
		for _, pid := range []int64{1, 2} {
			if got := txByPowensID(t, s, u.ID, pid); got.CategoryID == nil || *got.CategoryID != savings {
				t.Fatalf("side %d is in category %v, want savings (%d): the premise of this test", pid, got.CategoryID, savings)
			}
		}
		// The whole month is read from the monthly sums, a part of it from
		// the transactions: both must agree with the hand-made figures.
		wantFlows := func(income, spending int64) {
			t.Helper()
			for _, p := range [][2]string{{"2026-03-01", "2026-03-31"}, {"2026-03-02", "2026-03-30"}} {
				flows, err := s.Cashflow(ctx, u.ID, date(p[0]), date(p[1]))
				want := freenahi.MonthFlow{Month: "2026-03", Currency: "EUR", Exponent: 2, IncomeMinor: income, SpendingMinor: spending}
				if err != nil || len(flows) != 1 || flows[0] != want {
					t.Fatalf("Cashflow %s…%s=%+v, %v; want %+v", p[0], p[1], flows, err, want)
				}
			}
		}
		wantFlows(0, 4250) // the card payment only

		paired := txByPowensID(t, s, u.ID, 2)
		if _, err := s.EditTransaction(ctx, u.ID, paired.ID, freenahi.TransactionEdit{Transfer: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		wantFlows(50000, 50000+4250)
		clk.Add(3600e9)
		mustUpsert(t, s, u, out, in)
		wantFlows(50000, 50000+4250)
		for _, pid := range []int64{1, 2} {
			got := txByPowensID(t, s, u.ID, pid)
			if got.Transfer || got.TransferPair != nil || got.CategoryID != nil {
				t.Fatalf("side %d after undo and a sync: transfer=%v pair=%v category=%v", pid, got.Transfer, got.TransferPair, got.CategoryID)
			}
		}

		// A second move, put in savings by the person before undoing the
		// pair: that category is the person's, and stays.
		out2, in2 := *out, *in
		out2.PowensID, out2.Date, in2.PowensID, in2.Date = 4, date("2026-03-17"), 5, date("2026-03-18")
		mustUpsert(t, s, u, &out2, &in2)
		if n, err := s.DetectTransfers(ctx, u.ID); err != nil || n != 1 {
			t.Fatalf("DetectTransfers=%d, %v; want 1", n, err)
		}
		chosen := txByPowensID(t, s, u.ID, 4)
		if _, err := s.EditTransaction(ctx, u.ID, chosen.ID, freenahi.TransactionEdit{CategoryID: &savings}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EditTransaction(ctx, u.ID, chosen.ID, freenahi.TransactionEdit{Transfer: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		if got := txByPowensID(t, s, u.ID, 4); got.CategoryID == nil || *got.CategoryID != savings || got.Transfer {
			t.Fatalf("the side put in savings by hand: category=%v transfer=%v", got.CategoryID, got.Transfer)
		}
		if got := txByPowensID(t, s, u.ID, 5); got.CategoryID != nil || got.Transfer {
			t.Fatalf("the other side: category=%v transfer=%v", got.CategoryID, got.Transfer)
		}
		// The credit of 500.00 counts; the debit stays in savings, left out.
		wantFlows(50000+50000, 50000+4250)
	})
}
