package ingest_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
)

// memWriter is a SyncWriter that keeps nothing and never fails, so that any
// error from Apply comes from the payload.
type memWriter struct{ transactions int }

func (w *memWriter) UserID() int64                                      { return 1 }
func (w *memWriter) ConnectionID(context.Context, int64) (int64, error) { return 1, nil }
func (w *memWriter) UpsertConnection(_ context.Context, c *freenahi.Connection) error {
	c.ID = 1
	return nil
}
func (w *memWriter) MarkConnectionDeleted(context.Context, int64, time.Time) error { return nil }
func (w *memWriter) UpsertAccount(_ context.Context, a *freenahi.Account) error    { a.ID = 1; return nil }
func (w *memWriter) AccountCurrency(_ context.Context, id int64) (freenahi.Currency, error) {
	return freenahi.Currency{}, freenahi.Errorf(freenahi.ENOTFOUND, "Account %d not found.", id)
}
func (w *memWriter) SetAccountDisabled(context.Context, int64, *time.Time) error { return nil }
func (w *memWriter) MarkVanishedTransactions(context.Context, int64, freenahi.Date, map[int64]bool, time.Time) (int, error) {
	return 0, nil
}
func (w *memWriter) UpsertTransactions(_ context.Context, txs []*freenahi.Transaction) error {
	w.transactions += len(txs)
	return nil
}
func (w *memWriter) UpsertInvestments(context.Context, []*freenahi.Investment) error { return nil }
func (w *memWriter) UpsertLoan(context.Context, *freenahi.Loan) error                { return nil }
func (w *memWriter) RecordBalance(context.Context, *freenahi.BalanceSnapshot) error  { return nil }
func (w *memWriter) UnlinkPowensUser(context.Context, time.Time) error               { return nil }

// FuzzApply feeds arbitrary bodies to the webhook payload decoder and
// mapper: it must never panic, and every refusal must be a payload error
// (EINVALID, which fails the event at once and keeps it for replay), never
// an internal one that would be retried for nothing.
//
//	go test ./ingest -run '^$' -fuzz FuzzApply
func FuzzApply(f *testing.F) {
	fixture, err := os.ReadFile("testdata/connection_synced.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(freenahi.EventConnectionSynced, fixture)
	f.Add(freenahi.EventConnectionSynced, []byte(`{"connection": {"id": 1, "accounts": [{"id": 2, "balance": "1e400", "transactions": [{"id": 3, "date": "2025-02-30", "value": 1}]}]}}`))
	f.Add(freenahi.EventConnectionSynced, []byte(`{"connection": {"id": 1, "accounts": [{"id": 2, "currency": {"id": "JPY"}, "transactions": [{"id": 3, "date": "2025-01-01", "value": 0.5}]}]}}`))
	f.Add(freenahi.EventAccountDisabled, []byte(`{"id": 5, "id_connection": 1, "disabled": "2025-01-01 00:00:00"}`))
	f.Add(freenahi.EventConnectionDeleted, []byte(`{"id": 1}`))
	f.Add(freenahi.EventUserDeleted, []byte(`{"id": 42}`))
	f.Fuzz(func(t *testing.T, event string, body []byte) {
		e := &freenahi.InboxEvent{ID: 1, Event: event, Body: body, ReceivedAt: time.Unix(1700000000, 0)}
		err := ingest.Apply(context.Background(), &memWriter{}, e)
		if err != nil && freenahi.ErrorCode(err) != freenahi.EINVALID {
			t.Fatalf("Apply(%q, %q) = %v (code %s), want nil or an EINVALID payload error", event, body, err, freenahi.ErrorCode(err))
		}
	})
}
