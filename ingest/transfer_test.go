package ingest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// transferBody is a hand-written CONNECTION_SYNCED body: a checking account
// sends 250.00 to a savings account of the same person, which receives it
// the next day, and a card purchase of the same amount that is no transfer.
func transferBody(extra string) []byte {
	return []byte(fmt.Sprintf(`{"user": {"id": 42}, "connection": {"id": 7, "id_user": 42, "id_connector": 40, "state": null,
 "last_update": "2025-03-02 08:00:00", "active": true, "accounts": [
 {"id": 700, "id_connection": 7, "id_user": 42, "name": "Compte chèques", "balance": 1000.00, "currency": {"id": "EUR"},
  "type": "checking", "transactions": [
   {"id": 7001, "id_account": 700, "date": "2025-03-01", "value": -250.00, "type": "transfer",
    "original_wording": "VIR SEPA VERS LIVRET A", "coming": false, "active": true},
   {"id": 7002, "id_account": 700, "date": "2025-03-01", "value": -250.00, "type": "card",
    "original_wording": "CB FNAC 01/03", "coming": false, "active": true}%s]},
 {"id": 701, "id_connection": 7, "id_user": 42, "name": "Livret A", "balance": 250.00, "currency": {"id": "EUR"},
  "type": "livret_a", "transactions": [
   {"id": 7011, "id_account": 701, "date": "2025-03-02", "value": 250.00, "type": "transfer",
    "original_wording": "VIR SEPA DEPUIS COMPTE CHEQUES", "coming": false, "active": true}]}]}}`, extra))
}

// TestWorker_DetectsTransfersAfterIngest states that the worker pairs the
// transfer after the event, that without a detector nothing is paired
// (the pairing is the worker's follow-up step, not the ingest transaction),
// and that a person's undo survives the next sync.
func TestWorker_DetectsTransfersAfterIngest(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "ana@example.com", 42)
		receive(t, s, "connection_synced", "d1", 42, transferBody(""))
		if n, err := (&ingest.Worker{Inbox: s, MaxAttempts: 1}).Drain(ctx); err != nil || n != 1 {
			t.Fatalf("drain without detector = %d, %v", n, err)
		}
		if st := dump(t, s, u.ID); txByPowensID(t, st, 7001).TransferPair != nil {
			t.Fatal("paired without the follow-up step")
		}

		w := &ingest.Worker{Inbox: s, Transfers: s, MaxAttempts: 1, Backoff: func(int) time.Duration { return 0 }}
		receive(t, s, "connection_synced", "d2", 42, transferBody(""))
		if n, err := w.Drain(ctx); err != nil || n != 1 {
			t.Fatalf("drain = %d, %v", n, err)
		}
		st := dump(t, s, u.ID)
		debit, credit, card := txByPowensID(t, st, 7001), txByPowensID(t, st, 7011), txByPowensID(t, st, 7002)
		if debit.TransferPair == nil || *debit.TransferPair != credit.ID || !debit.Transfer ||
			credit.TransferPair == nil || *credit.TransferPair != debit.ID || !credit.Transfer {
			t.Fatalf("debit %+v / credit %+v: want a pair", debit, credit)
		}
		if card.Transfer || card.TransferPair != nil {
			t.Fatal("a card purchase was paired")
		}

		// The person says it is no transfer; the next sync must not pair it again.
		no := false
		if _, err := s.EditTransaction(ctx, u.ID, debit.ID, freenahi.TransactionEdit{Transfer: &no}); err != nil {
			t.Fatal(err)
		}
		receive(t, s, "connection_synced", "d3", 42, transferBody(`,
   {"id": 7003, "id_account": 700, "date": "2025-03-02", "value": -3.10, "type": "card",
    "original_wording": "CB BOULANGERIE 02/03", "coming": false, "active": true}`))
		if n, err := w.Drain(ctx); err != nil || n != 1 {
			t.Fatalf("drain = %d, %v", n, err)
		}
		st = dump(t, s, u.ID)
		for _, id := range []int64{7001, 7011} {
			if tx := txByPowensID(t, st, id); tx.Transfer || tx.TransferPair != nil {
				t.Fatalf("transaction %d paired again after the person's undo", id)
			}
		}
	})
}

// TestWorker_RunDetectsTransfers: under Run, the detection runs in the
// background after the events, and the pair shows up.
func TestWorker_RunDetectsTransfers(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	u := mustUser(t, s, "ana@example.com", 42)
	w := &ingest.Worker{Inbox: s, Transfers: s, MaxAttempts: 1, PollInterval: 20 * time.Millisecond}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(runCtx); close(done) }()
	defer func() { cancel(); <-done }()
	receive(t, s, "connection_synced", "d1", 42, transferBody(""))
	w.Wake()
	testenv.WaitFor(t, time.Minute, "the transfer paired", func() bool {
		txs, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: u.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range txs {
			if tx.PowensID == 7001 && tx.TransferPair != nil {
				return true
			}
		}
		return false
	})
}
