package ingest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/google/go-cmp/cmp"
)

// fakeClock is shared by the store and the worker: the test moves it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestWorker_RecoversAfterCrash (issue 10, item 11): a worker claims an
// event and dies (kill -9: its transaction is rolled back, its lease is no
// longer renewed). A worker started after it processes the event within
// 30 seconds of the crash, by the clock the store goes by, and the result is
// the one a single uninterrupted processing leaves.
func TestWorker_RecoversAfterCrash(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		clk := &fakeClock{now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
		s.Now = clk.Now
		u := mustUser(t, s, "ana@example.com", 42)
		receive(t, s, freenahi.EventConnectionSynced, "p42/wd:1", 42, fixture(t))

		// The dying worker: its claim is all that reached the database.
		dead, err := s.ClaimEvent(ctx, ingest.DefaultLease)
		if err != nil {
			t.Fatal(err)
		}
		crashedAt := clk.Now()

		restarted := &ingest.Worker{Inbox: s, Now: clk.Now}
		var recovery time.Duration
		for step := time.Duration(0); ; step += time.Second {
			worked, err := restarted.ProcessNext(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if worked {
				recovery = clk.Now().Sub(crashedAt)
				break
			}
			if step > time.Hour {
				t.Fatal("the interrupted event was not processed within an hour")
			}
			clk.Add(time.Second)
		}
		t.Logf("recovered %s after the crash (lease %s)", recovery, ingest.DefaultLease)
		if recovery > 30*time.Second {
			t.Fatalf("recovery took %s, want at most 30 s", recovery)
		}
		// The dead worker cannot commit what it had started.
		err = s.ProcessEvent(ctx, dead, func(context.Context, freenahi.SyncWriter) error { return nil })
		if freenahi.ErrorCode(err) != freenahi.ECONFLICT {
			t.Fatalf("the crashed worker's late commit: err=%v, want ECONFLICT", err)
		}

		// Oracle: the same body processed once, uninterrupted, on a fresh store.
		ref := storetest.MustOpen(t, store.SQLite)
		ru := mustUser(t, ref, "ana@example.com", 42)
		receive(t, ref, freenahi.EventConnectionSynced, "p42/wd:1", 42, fixture(t))
		drain(t, ref)
		got, want := dump(t, s, u.ID), dump(t, ref, ru.ID)
		if len(got.Transactions) == 0 || len(got.Transactions) != len(want.Transactions) {
			t.Fatalf("%d transactions after recovery, want %d", len(got.Transactions), len(want.Transactions))
		}
		type row struct {
			PowensID, ValueMinor int64
			Date                 freenahi.Date
			Coming               bool
		}
		project := func(txs []*freenahi.Transaction) (rows []row) {
			for _, tx := range txs {
				rows = append(rows, row{tx.PowensID, tx.ValueMinor, tx.Date, tx.Coming})
			}
			return rows
		}
		if d := cmp.Diff(project(want.Transactions), project(got.Transactions)); d != "" {
			t.Fatalf("transactions after recovery differ from one uninterrupted processing (-want +got):\n%s", d)
		}
	})
}

// TestWorker_RenewsLease: while an event takes longer than its lease, the
// worker renews it, so no other worker takes it over.
func TestWorker_RenewsLease(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	mustUser(t, s, "ana@example.com", 42)
	e := receive(t, s, freenahi.EventConnectionSynced, "p42/wd:1", 42, fixture(t))
	slow := &slowInbox{InboxService: s, release: make(chan struct{}), renewed: make(chan struct{}, 100)}
	// Long enough that the claim below, right after a renewal, comes well
	// within the renewed lease on a loaded machine (300 ms could run out
	// between the two); four renewals outlive the lease.
	w := &ingest.Worker{Inbox: slow, Lease: 1500 * time.Millisecond}
	done := make(chan error)
	go func() {
		_, err := w.ProcessNext(ctx)
		done <- err
	}()
	for range 4 {
		<-slow.renewed // renewed four times: the event outlived its lease by a third
	}
	if _, err := s.ClaimEvent(ctx, time.Minute); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
		t.Fatalf("another worker could claim the event being processed: err=%v", err)
	}
	close(slow.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindEventByID(ctx, e.ID); got.Status != freenahi.StatusProcessed || got.Attempts != 1 {
		t.Fatalf("event %s after %d attempts, want processed at the first", got.Status, got.Attempts)
	}
}

// slowInbox holds ProcessEvent until released and reports renewals.
type slowInbox struct {
	freenahi.InboxService
	release chan struct{}
	renewed chan struct{}
}

func (s *slowInbox) ProcessEvent(ctx context.Context, e *freenahi.InboxEvent, fn func(context.Context, freenahi.SyncWriter) error) error {
	<-s.release
	return s.InboxService.ProcessEvent(ctx, e, fn)
}

func (s *slowInbox) RenewEventLease(ctx context.Context, e *freenahi.InboxEvent, lease time.Duration) error {
	err := s.InboxService.RenewEventLease(ctx, e, lease)
	if err == nil {
		s.renewed <- struct{}{}
	}
	return err
}
