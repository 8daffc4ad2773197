package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestInboxService_ReceiveEvent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustCreateUser(t, s, "ana@example.com", 1)
		linked := mustReceive(t, s, freenahi.EventConnectionSynced, "wd:1", 1)
		if linked.Status != freenahi.StatusPending || *linked.UserID != ana.ID || !linked.ReceivedAt.Equal(clk.now) ||
			linked.BodySize != int64(len(linked.Body)) {
			t.Fatalf("event of a linked Powens user: %+v", linked)
		}
		unmatched := mustReceive(t, s, freenahi.EventConnectionSynced, "wd:2", 2)
		if unmatched.Status != freenahi.StatusUnmatched || unmatched.UserID != nil {
			t.Fatalf("event of an unknown Powens user: %+v", unmatched)
		}
		nobody := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "wd:3", Auth: freenahi.AuthHMAC, Body: []byte("{}")}
		if _, err := s.ReceiveEvent(ctx, nobody); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FindEventByID(ctx, nobody.ID); err != nil || got.Status != freenahi.StatusFailed || got.LastError == "" {
			t.Fatalf("event naming no Powens user: %+v, %v; want failed with a reason", got, err)
		}

		t.Run("Duplicate", func(t *testing.T) {
			again := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "wd:1", PowensUserID: ptr(int64(1)),
				Auth: freenahi.AuthHMAC, Body: []byte(`{"other":"body"}`)}
			if dup, err := s.ReceiveEvent(ctx, again); err != nil || !dup {
				t.Fatalf("the same delivery again: duplicate=%v, %v", dup, err)
			}
			got, err := s.FindEventByID(ctx, linked.ID)
			if err != nil || string(got.Body) != string(linked.Body) {
				t.Fatalf("a duplicate changed the stored body to %q, %v", got.Body, err)
			}
			// The same key under another event name is another delivery.
			other := mustReceive(t, s, freenahi.EventAccountDisabled, "wd:1", 1)
			if other.ID == linked.ID {
				t.Fatal("another event name was taken for a duplicate")
			}
		})
		t.Run("Concurrent", func(t *testing.T) {
			// Many receipts at once (grouped into transactions on SQLite),
			// each key delivered twice: every key stored once, one of its
			// two deliveries told it is a duplicate.
			const keys = 40
			dups := make([]int, keys)
			var mu sync.Mutex
			var wg sync.WaitGroup
			errs := make(chan error, 2*keys)
			for i := range 2 * keys {
				wg.Go(func() {
					e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: fmt.Sprintf("c:%d", i%keys),
						PowensUserID: ptr(int64(1 + i%3)), Auth: freenahi.AuthHMAC, Body: []byte("{}")}
					dup, err := s.ReceiveEvent(ctx, e)
					if err != nil {
						errs <- err
						return
					}
					if dup {
						mu.Lock()
						dups[i%keys]++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			for k, n := range dups {
				if n != 1 {
					t.Fatalf("key c:%d: %d duplicates reported, want 1", k, n)
				}
			}
		})
		t.Run("Cancelled", func(t *testing.T) {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "cancelled", PowensUserID: ptr(int64(1)),
				Auth: freenahi.AuthHMAC, Body: []byte("{}")}
			if _, err := s.ReceiveEvent(cctx, e); !errors.Is(err, context.Canceled) {
				t.Fatalf("receipt on a cancelled context: %v", err)
			}
		})
	})
}

func TestInboxService_ClaimEvent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		_, err := s.ClaimEvent(ctx, time.Minute)
		wantCode(t, err, freenahi.ENOTFOUND, "a claim on an empty inbox")
		MustCreateUser(t, s, "ana@example.com", 1)
		MustCreateUser(t, s, "bob@example.com", 2)
		a1 := mustReceive(t, s, freenahi.EventConnectionSynced, "a1", 1)
		b1 := mustReceive(t, s, freenahi.EventConnectionSynced, "b1", 2)
		a2 := mustReceive(t, s, freenahi.EventConnectionSynced, "a2", 1)
		mustReceive(t, s, freenahi.EventConnectionSynced, "unmatched", 3)
		done := func(e *freenahi.InboxEvent) {
			t.Helper()
			if err := s.ProcessEvent(ctx, e, func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("OnePerPowensUserInOrder", func(t *testing.T) {
			first := mustClaim(t, s, a1.ID)
			if first.Status != freenahi.StatusProcessing || first.Attempts != 1 || string(first.Body) != string(a1.Body) {
				t.Fatalf("claimed %+v", first)
			}
			second := mustClaim(t, s, b1.ID) // a2 waits for a1
			_, err := s.ClaimEvent(ctx, time.Minute)
			wantCode(t, err, freenahi.ENOTFOUND, "a claim while both users are busy")
			done(first)
			third := mustClaim(t, s, a2.ID)
			done(second)
			done(third)
			_, err = s.ClaimEvent(ctx, time.Minute)
			wantCode(t, err, freenahi.ENOTFOUND, "a claim after everything was processed (the unmatched event waits)")
		})
		t.Run("ExpiredLeaseIsTakenOver", func(t *testing.T) {
			e := mustReceive(t, s, freenahi.EventConnectionSynced, "lease", 1)
			mustClaim(t, s, e.ID) // its worker dies
			clk.Add(time.Minute)
			_, err := s.ClaimEvent(ctx, time.Minute)
			wantCode(t, err, freenahi.ENOTFOUND, "a claim when the lease ends exactly now")
			clk.Add(time.Microsecond)
			again := mustClaim(t, s, e.ID)
			if again.Attempts != 2 {
				t.Fatalf("taken-over event: attempt %d, want 2", again.Attempts)
			}
			done(again)
		})
		t.Run("RetryWhenDue", func(t *testing.T) {
			e := mustReceive(t, s, freenahi.EventConnectionSynced, "retry", 2)
			claimed := mustClaim(t, s, e.ID)
			next := clk.now.Add(5 * time.Second)
			if err := s.FailEvent(ctx, claimed, "Powens answered 502", &next); err != nil {
				t.Fatal(err)
			}
			got, _ := s.FindEventByID(ctx, e.ID)
			if got.Status != freenahi.StatusPending || !got.NextAttemptAt.Equal(next) || got.LastError != "Powens answered 502" {
				t.Fatalf("failed attempt: %+v", got)
			}
			_, err := s.ClaimEvent(ctx, time.Minute)
			wantCode(t, err, freenahi.ENOTFOUND, "a claim before the retry is due")
			clk.Add(5 * time.Second)
			done(mustClaim(t, s, e.ID))
		})
	})
}

// TestInboxService_ConcurrentClaims has several claimers race over the
// queue: no event is handed out twice, and never two of one Powens user.
func TestInboxService_ConcurrentClaims(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		const users = 8
		for u := range users {
			MustCreateUser(t, s, fmt.Sprintf("u%d@example.com", u), int64(u+1))
		}
		for i := range 3 * users {
			mustReceive(t, s, freenahi.EventConnectionSynced, fmt.Sprintf("e%d", i), int64(i%users+1))
		}
		var mu sync.Mutex
		claimed := map[int64]bool{}
		byUser := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					e, err := s.ClaimEvent(ctx, time.Minute)
					if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
						return
					} else if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if claimed[e.ID] {
						t.Errorf("event %d claimed twice", e.ID)
					}
					claimed[e.ID] = true
					byUser[*e.PowensUserID]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(claimed) != users {
			t.Fatalf("%d events claimed, want one per Powens user (%d)", len(claimed), users)
		}
		for u, n := range byUser {
			if n != 1 {
				t.Fatalf("Powens user %d: %d events claimed at once", u, n)
			}
		}
	})
}

func TestInboxService_ProcessEvent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, _ *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		write := func(w freenahi.SyncWriter) error {
			return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: b.checking.ID, PowensID: 1, Date: date("2026-03-02"), ValueMinor: 1}})
		}
		count := func() int {
			return len(mustAllTransactions(t, s, freenahi.TransactionFilter{UserID: b.user.ID, IncludeDeleted: true}))
		}

		t.Run("ErrorRollsBack", func(t *testing.T) {
			e := mustReceive(t, s, freenahi.EventConnectionSynced, "bad", 1)
			claimed := mustClaim(t, s, e.ID)
			err := s.ProcessEvent(ctx, claimed, func(_ context.Context, w freenahi.SyncWriter) error {
				if err := write(w); err != nil {
					return err
				}
				return freenahi.FieldErrorf("value", "is not a number")
			})
			wantCode(t, err, freenahi.EINVALID, "fn's error through ProcessEvent")
			if n := count(); n != 0 {
				t.Fatalf("a failed event left %d transactions", n)
			}
			if got, _ := s.FindEventByID(ctx, e.ID); got.Status != freenahi.StatusProcessing {
				t.Fatalf("a failed event is %s; the worker decides what next", got.Status)
			}
			if err := s.FailEvent(ctx, claimed, strings.Repeat("é", 3000), nil); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.FindEventByID(ctx, e.ID); got.Status != freenahi.StatusFailed || len(got.LastError) > 2000 {
				t.Fatalf("failed for good: %s, error of %d bytes", got.Status, len(got.LastError))
			}
		})
		t.Run("LeaseLost", func(t *testing.T) {
			e := mustReceive(t, s, freenahi.EventConnectionSynced, "twice", 1)
			claimed := mustClaim(t, s, e.ID)
			if err := s.ProcessEvent(ctx, claimed, func(_ context.Context, w freenahi.SyncWriter) error { return nil }); err != nil {
				t.Fatal(err)
			}
			// A second worker believing it still holds the event.
			err := s.ProcessEvent(ctx, claimed, func(_ context.Context, w freenahi.SyncWriter) error { return write(w) })
			wantCode(t, err, freenahi.ECONFLICT, "processing an event no longer leased")
			if n := count(); n != 0 {
				t.Fatalf("the refused processing left %d transactions", n)
			}
			wantCode(t, s.FailEvent(ctx, claimed, "late", nil), freenahi.ECONFLICT, "failing a processed event")
			wantCode(t, s.FailEvent(ctx, &freenahi.InboxEvent{ID: 1 << 40, Attempts: 1}, "x", nil), freenahi.ENOTFOUND, "failing an unknown event")
		})
		t.Run("NoUser", func(t *testing.T) {
			if err := s.ProcessEvent(ctx, &freenahi.InboxEvent{ID: 1}, func(context.Context, freenahi.SyncWriter) error { return nil }); err == nil {
				t.Fatal("processed an event without a user")
			}
		})
	})
}

func TestInboxService_ReplayEvent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		MustCreateUser(t, s, "ana@example.com", 1)
		e := mustReceive(t, s, freenahi.EventConnectionSynced, "replay", 1)
		unmatched := mustReceive(t, s, freenahi.EventConnectionSynced, "unmatched", 9)
		wantCode(t, s.ReplayEvent(ctx, e.ID), freenahi.ECONFLICT, "replaying a pending event")
		claimed := mustClaim(t, s, e.ID)
		if err := s.ProcessEvent(ctx, claimed, func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		if err := s.ReplayEvent(ctx, e.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindEventByID(ctx, e.ID)
		if got.Status != freenahi.StatusPending || got.Attempts != 0 || !got.NextAttemptAt.Equal(clk.now) {
			t.Fatalf("replayed event: %+v", got)
		}
		if again := mustClaim(t, s, e.ID); again.Attempts != 1 {
			t.Fatalf("replayed event claimed at attempt %d", again.Attempts)
		}
		err := s.ReplayEvent(ctx, unmatched.ID)
		wantCode(t, err, freenahi.ECONFLICT, "replaying an unmatched event")
		if !strings.Contains(freenahi.ErrorMessage(err), "link") {
			t.Fatalf("message %q does not say the event waits for a link", freenahi.ErrorMessage(err))
		}
		wantCode(t, s.ReplayEvent(ctx, 1<<40), freenahi.ENOTFOUND, "replaying an unknown event")
	})
}

func TestInboxService_FindEvents(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustCreateUser(t, s, "ana@example.com", 1)
		bob := MustCreateUser(t, s, "bob@example.com", 2)
		var ids []int64
		for i, powens := range []int64{1, 2, 1, 3, 1} {
			ids = append(ids, mustReceive(t, s, freenahi.EventConnectionSynced, fmt.Sprint(i), powens).ID)
			clk.Add(time.Minute)
		}
		done := mustClaim(t, s, ids[0])
		if err := s.ProcessEvent(ctx, done, func(context.Context, freenahi.SyncWriter) error { return nil }); err != nil {
			t.Fatal(err)
		}
		mustClaim(t, s, ids[1]) // left processing
		list := func(f freenahi.InboxFilter) []int64 {
			t.Helper()
			events, err := s.FindEvents(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, e := range events {
				if e.Body != nil {
					t.Fatalf("event %d listed with its body", e.ID)
				}
				out = append(out, e.ID)
			}
			return out
		}
		pending, unmatched := freenahi.StatusPending, freenahi.StatusUnmatched
		for _, tc := range []struct {
			name   string
			filter freenahi.InboxFilter
			want   []int64
		}{
			{"All", freenahi.InboxFilter{}, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}},
			{"Limit", freenahi.InboxFilter{Limit: 2}, []int64{ids[4], ids[3]}},
			{"Status", freenahi.InboxFilter{Status: &pending}, []int64{ids[4], ids[2]}},
			{"Unmatched", freenahi.InboxFilter{Status: &unmatched}, []int64{ids[3]}},
			{"User", freenahi.InboxFilter{UserID: &bob.ID}, []int64{ids[1]}},
			{"UserAndStatus", freenahi.InboxFilter{UserID: &ana.ID, Status: &pending}, []int64{ids[4], ids[2]}},
		} {
			if got := list(tc.filter); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		_, err := s.FindEventByID(ctx, 1<<40)
		wantCode(t, err, freenahi.ENOTFOUND, "an unknown event")

		st, err := s.InboxStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[freenahi.InboxStatus]int64{freenahi.StatusPending: 2, freenahi.StatusProcessing: 1,
			freenahi.StatusUnmatched: 1, freenahi.StatusFailed: 0}
		if fmt.Sprint(st.Depth) != fmt.Sprint(want) {
			t.Fatalf("InboxStats depth %v, want %v", st.Depth, want)
		}
		// The oldest unfinished event is the one being processed, received
		// at t0 + 1 min; the clock is at t0 + 5 min.
		if st.OldestAge != 4*time.Minute {
			t.Fatalf("InboxStats oldest age %v, want 4m", st.OldestAge)
		}
	})
}

// A worker whose lease ended while it processed, and whose event another
// worker then claimed, fails or ignores its attempt too late: neither may
// put the successor's claim back in the queue. Unfenced, each stale failure
// knocked out the next claim, and a large event on a loaded machine never
// finished (three instances, seen in CI).
func TestInboxService_StaleClaimCannotResetSuccessor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		e := mustReceive(t, s, freenahi.EventConnectionSynced, "slow", 1)
		stale := mustClaim(t, s, e.ID)
		clk.now = clk.now.Add(2 * time.Minute) // mustClaim leases for a minute
		successor := mustClaim(t, s, e.ID)
		if successor.Attempts != stale.Attempts+1 {
			t.Fatalf("attempts %d then %d, want consecutive", stale.Attempts, successor.Attempts)
		}
		next := clk.now.Add(time.Second)
		wantCode(t, s.FailEvent(ctx, stale, "lease lost", &next), freenahi.ECONFLICT, "a stale claim failing the event")
		wantCode(t, s.FailEvent(ctx, stale, "lease lost", nil), freenahi.ECONFLICT, "a stale claim failing the event for good")
		wantCode(t, s.IgnoreEvent(ctx, stale, "stale"), freenahi.ECONFLICT, "a stale claim ignoring the event")
		wantCode(t, s.RenewEventLease(ctx, stale, time.Minute), freenahi.ECONFLICT, "a stale claim renewing its lease")
		got, err := s.FindEventByID(ctx, e.ID)
		if err != nil || got.Status != freenahi.StatusProcessing || got.Attempts != successor.Attempts || got.LastError != "" {
			t.Fatalf("after the stale claim's calls: %+v, %v; want still processing by the successor", got, err)
		}
		err = s.ProcessEvent(ctx, successor, func(_ context.Context, w freenahi.SyncWriter) error {
			return w.UpsertTransactions(ctx, []*freenahi.Transaction{{AccountID: b.checking.ID, PowensID: 7, Date: date("2026-03-02"), ValueMinor: 1}})
		})
		if err != nil {
			t.Fatalf("the successor's processing: %v", err)
		}
		if got, _ := s.FindEventByID(ctx, e.ID); got.Status != freenahi.StatusProcessed {
			t.Fatalf("event %s, want processed by the successor", got.Status)
		}
		// Its own claim, though, still fails the event as before.
		e2 := mustReceive(t, s, freenahi.EventConnectionSynced, "again", 1)
		if err := s.FailEvent(ctx, mustClaim(t, s, e2.ID), "Powens answered 502", &next); err != nil {
			t.Fatal(err)
		}
	})
}
