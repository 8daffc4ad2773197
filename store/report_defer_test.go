package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/freenahi/freenahi"
)

// TestReportSums_OneEventManyStatements writes, in one event, what makes
// PostgreSQL's deferred report sums (migration 00220) apply before the end
// of the event or not at all: transactions of several accounts in several
// statements, some of them changed, moved to another account and deleted
// by a later statement, an account's currency changed between two of them
// (its trigger moves the account's rows, pending ones included, so they
// must be in the sums first), vanished transactions marked deleted; then
// an event that fails after writing (nothing of it may stay, and the next
// write outside ingest must update the sums at once). After each, the kept
// sums must equal the GROUP BY the random-writes test rebuilds them with.
func TestReportSums_OneEventManyStatements(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			s, _, url := MustOpenStoreURL(t, engine)
			db := rawDB(t, url)
			b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
			start := date("2025-01-15")
			wordings := []string{"CB CARREFOUR", "PRLV SEPA EDF", "VIR SALAIRE ACME", "CB SNCF", "LOYER"}
			batch := func(a *freenahi.Account, from, n int, shift int64) []*freenahi.Transaction {
				out := make([]*freenahi.Transaction, n)
				for i := range out {
					id := from + i
					w := fmt.Sprint(wordings[id%len(wordings)], " ", id%3)
					out[i] = &freenahi.Transaction{AccountID: a.ID, PowensID: int64(id), Date: start.AddDays(id * 3),
						ValueMinor: int64(id%7-4)*1234 + shift, Active: true, Wording: w, OriginalWording: w}
				}
				return out
			}
			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error {
				steps := []func() error{
					func() error { return w.UpsertTransactions(ctx, batch(b.checking, 1, 120, 0)) },
					func() error { return w.UpsertTransactions(ctx, batch(b.yen, 1000, 80, 0)) },
					func() error {
						b.checking.Currency = freenahi.Currency{Code: "USD", Exponent: 2}
						return w.UpsertAccount(ctx, b.checking)
					},
					func() error {
						moved := batch(b.card, 1, 40, 5) // moved from checking, amounts changed
						moved[3].Deleted = ptr(t0)
						return w.UpsertTransactions(ctx, append(moved, batch(b.checking, 200, 50, 0)...))
					},
					func() error {
						listed := map[int64]bool{}
						for id := 1000; id < 1080; id += 2 {
							listed[int64(id)] = true
						}
						_, err := w.MarkVanishedTransactions(ctx, b.yen.ID, start, listed, t0)
						return err
					},
					func() error { return w.UpsertTransactions(ctx, batch(b.savings, 2000, 30, 0)) },
				}
				for _, step := range steps {
					if err := step(); err != nil {
						return err
					}
				}
				return nil
			})
			checkReportSums(t, db, "after one event of many statements")
			// The sums are kept by category and payee: the rows must have
			// both, or a sum keyed wrongly by either would go unseen.
			var categorised, payees int
			if err := db.QueryRow(`SELECT COUNT(DISTINCT category_id), COUNT(DISTINCT payee) FROM transactions
				WHERE category_id IS NOT NULL AND payee <> ''`).Scan(&categorised, &payees); err != nil || categorised < 3 || payees < 3 {
				t.Fatalf("%d categories and %d payees among the rows (%v): the premise of this test", categorised, payees, err)
			}

			e := mustReceive(t, s, freenahi.EventConnectionSynced, "sync:failing", *b.user.PowensUserID)
			failed := errors.New("fails after writing")
			err := s.ProcessEvent(ctx, mustClaim(t, s, e.ID), func(_ context.Context, w freenahi.SyncWriter) error {
				if err := w.UpsertTransactions(ctx, batch(b.savings, 3000, 30, 0)); err != nil {
					return err
				}
				if err := w.UpsertAccount(ctx, b.savings); err != nil { // copies the rows
					return err
				}
				return failed
			})
			if !errors.Is(err, failed) {
				t.Fatalf("failing event: %v, want %v", err, failed)
			}
			checkReportSums(t, db, "after a failed event")
			for i := range 3 { // pooled connections that ran the failed event write as usual
				txs, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: b.user.ID, Limit: 1 + i})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.EditTransaction(ctx, b.user.ID, txs[i].ID, freenahi.TransactionEdit{Payee: ptr(fmt.Sprint("Payee ", i))}); err != nil {
					t.Fatal(err)
				}
				checkReportSums(t, db, fmt.Sprintf("after edit %d", i))
			}
		})
	}
}
