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
