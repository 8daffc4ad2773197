package aggregator_test

import (
	"context"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// BenchmarkBigFirstSync measures, end to end, a first sync of the sandbox's
// "big" login (50,000 transactions): from the activation of the accounts
// (which makes the sandbox sync and deliver its signed webhook) to every
// transaction being readable through the store's API queries, with the
// worker running as in production.
//
//	go test ./aggregator -run '^$' -bench BigFirstSync -benchtime 3x
func BenchmarkBigFirstSync(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			var total time.Duration
			for range b.N {
				total += bigFirstSync(b, storetest.MustOpen(b, engine))
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/sync")
		})
	}
}

func bigFirstSync(b *testing.B, s *store.Store) time.Duration {
	e := newEnv(b, s)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	e.worker.Concurrency = 1
	go e.worker.Run(wctx)
	var conn *powens.Connection
	var ids []int64
	err := e.agg.Do(ctx, e.user.ID, func(u *powens.UserClient) error {
		var err error
		conn, ids, err = powenstest.ConnectTestBank(ctx, u, "big")
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := e.agg.Do(ctx, e.user.ID, func(u *powens.UserClient) error {
		_, err := u.ActivateAccounts(ctx, conn.ID, ids)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	// Poll cheaply (the inbox) so that polling does not slow the ingestion
	// it measures; then check that all the transactions are readable.
	processed := freenahi.StatusProcessed
	for deadline := start.Add(5 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		st, err := s.InboxStats(ctx)
		if err != nil {
			b.Fatal(err)
		}
		events, _ := s.FindEvents(ctx, freenahi.InboxFilter{Status: &processed})
		if st.Depth[freenahi.StatusPending]+st.Depth[freenahi.StatusProcessing] == 0 && len(events) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("the first sync was not processed within 5 minutes")
		}
	}
	took := time.Since(start)
	if n := countTransactions(b, s, e.user.ID); n < 50_000 {
		b.Fatalf("%d transactions visible, want 50,000", n)
	}
	return took
}

// countTransactions pages through the user's transactions as the API does.
func countTransactions(tb testing.TB, s *store.Store, userID int64) int {
	n := 0
	f := freenahi.TransactionFilter{UserID: userID, Limit: freenahi.MaxPageLimit}
	for {
		page, next, err := s.FindTransactions(ctx, f)
		if err != nil {
			tb.Fatal(err)
		}
		n += len(page)
		if next == nil {
			return n
		}
		f.After = next
	}
}
