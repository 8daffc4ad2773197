package ingest_test

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// synced is a CONNECTION_SYNCED body of Powens user 42's connection 10 with
// the given accounts (JSON objects).
func synced(accounts string) []byte {
	return []byte(`{"user": {"id": 42}, "connection": {"id": 10, "id_user": 42, "accounts": [` + accounts + `]}}`)
}

// TestWorker_DeterministicFailuresDoNotBlock: with the worker's real
// retry policy (8 attempts, backoff from 5 s), an event PostgreSQL could not
// store as sent (a NUL in a wording) is stored, U+FFFD in place of the NUL
// on both engines, and an event that can never be stored (a malformed
// amount) fails at its first attempt. Either way the next event of the same
// user is processed in the same pass instead of waiting behind retries.
func TestWorker_DeterministicFailuresDoNotBlock(t *testing.T) {
	for _, tc := range []struct {
		name, account string
		status        freenahi.InboxStatus
	}{
		{"NUL", `{"id": 100, "name": "Compte\u0000joint", "currency": {"id": "EUR"}, "balance": 10, "transactions": [
			{"id": 1, "date": "2025-01-10", "value": -1.5, "original_wording": "CB\u0000CAFE", "wording": "Caf\u00e9\u0000",
			 "counterparty": {"label": "\u0000"}}]}`, freenahi.StatusProcessed},
		{"MalformedAmount", `{"id": 100, "currency": {"id": "EUR"}, "transactions": [
			{"id": 1, "date": "2025-01-10", "value": "-1.5\u0000"}]}`, freenahi.StatusFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, s *store.Store) {
				u := mustUser(t, s, "a@example.com", 42)
				first := receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, synced(tc.account))
				next := receive(t, s, freenahi.EventConnectionSynced, "wd:2", 42, synced(`{"id": 101, "currency": {"id": "EUR"},
					"transactions": [{"id": 2, "date": "2025-01-11", "value": 3, "original_wording": "VIR"}]}`))
				n, err := (&ingest.Worker{Inbox: s}).Drain(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n != 2 {
					t.Fatalf("one pass handled %d events, want both", n)
				}
				got, _ := s.FindEventByID(ctx, first.ID)
				if got.Status != tc.status || got.Attempts != 1 {
					t.Fatalf("first event: %s after %d attempts (%q), want %s after 1", got.Status, got.Attempts, got.LastError, tc.status)
				}
				if got, _ := s.FindEventByID(ctx, next.ID); got.Status != freenahi.StatusProcessed {
					t.Fatalf("next event of the same user: %s (%q)", got.Status, got.LastError)
				}
				st := dump(t, s, u.ID)
				txByPowensID(t, st, 2)
				if tc.status != freenahi.StatusProcessed {
					return
				}
				const r = "\uFFFD"
				if a := accountByPowensID(t, st, 100); a.Name != "Compte"+r+"joint" {
					t.Errorf("account name %q", a.Name)
				}
				tx := txByPowensID(t, st, 1)
				if tx.OriginalWording != "CB"+r+"CAFE" || tx.Wording != "Café"+r || tx.Counterparty == nil || tx.Counterparty.Label != r {
					t.Errorf("transaction text %q %q %+v", tx.OriginalWording, tx.Wording, tx.Counterparty)
				}
			})
		})
	}
}
