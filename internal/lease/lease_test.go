package lease_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/lease"
)

// TestKeep_RenewsUntilStopped: renewals come again and again, and none
// starts once stop has returned.
func TestKeep_RenewsUntilStopped(t *testing.T) {
	var calls, late atomic.Int64
	var stopped atomic.Bool
	third := make(chan struct{})
	stop := lease.Keep(context.Background(), 3*time.Millisecond, func(ctx context.Context) bool {
		if stopped.Load() {
			late.Add(1)
		}
		if calls.Add(1) == 3 {
			close(third)
		}
		return true
	})
	<-third // no timeout: a loaded machine is slow, not wrong; go test's own deadline bounds a hang
	stop()
	stopped.Store(true)
	n := calls.Load()
	time.Sleep(20 * time.Millisecond) // room for a renewal that should not come
	if late.Load() != 0 || calls.Load() != n {
		t.Fatalf("%d renewals after stop returned", calls.Load()-n)
	}
}

// TestKeep_LostLeaseEndsRenewing: once renew says the lease is lost, it is
// never called again, and stop still returns.
func TestKeep_LostLeaseEndsRenewing(t *testing.T) {
	var calls atomic.Int64
	first := make(chan struct{})
	stop := lease.Keep(context.Background(), 3*time.Millisecond, func(ctx context.Context) bool {
		if calls.Add(1) == 1 {
			close(first)
		}
		return false
	})
	<-first
	time.Sleep(20 * time.Millisecond) // several periods in which a renewal must not come
	stop()
	if n := calls.Load(); n != 1 {
		t.Fatalf("renew called %d times after losing the lease, want once", n)
	}
}

// TestKeep_StopCancelsRenewalInFlight: a renewal blocked on the database
// sees its context cancelled by stop, and stop waits until it has returned.
func TestKeep_StopCancelsRenewalInFlight(t *testing.T) {
	started := make(chan struct{})
	var returned atomic.Bool
	stop := lease.Keep(context.Background(), 3*time.Millisecond, func(ctx context.Context) bool {
		close(started)
		<-ctx.Done()
		returned.Store(true)
		return true
	})
	<-started
	stop()
	if !returned.Load() {
		t.Fatal("stop returned while a renewal was still running")
	}
}

// TestKeep_ParentContextEnds: cancelling the caller's context ends the
// renewals without stop; stop afterwards is harmless.
func TestKeep_ParentContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	first := make(chan struct{})
	stop := lease.Keep(ctx, 3*time.Millisecond, func(ctx context.Context) bool {
		if calls.Add(1) == 1 {
			close(first)
		}
		return true
	})
	<-first
	cancel()
	stop()
	n := calls.Load()
	time.Sleep(20 * time.Millisecond)
	if calls.Load() != n {
		t.Fatal("renewals went on after the caller's context ended")
	}
}

// TestKeepFrom_CountsFromTheClaim: a lease claimed long enough ago that a
// third of it has passed is renewed at once, not a third of a lease after
// the work starts; one claimed just now is not renewed early.
func TestKeepFrom_CountsFromTheClaim(t *testing.T) {
	const hour = time.Hour // a third of it, 20 minutes, is far beyond any wait below
	renewed := make(chan struct{}, 1)
	stop := lease.KeepFrom(context.Background(), time.Now().Add(-30*time.Minute), hour, func(ctx context.Context) bool {
		select {
		case renewed <- struct{}{}:
		default:
		}
		return true
	})
	select {
	case <-renewed:
	case <-time.After(time.Minute): // a loaded machine is slow; 20 minutes would be the bug
		t.Fatal("a lease claimed 30 minutes ago (a third of it gone) was not renewed at once")
	}
	stop()

	var early atomic.Int64
	stop = lease.KeepFrom(context.Background(), time.Now(), hour, func(ctx context.Context) bool {
		early.Add(1)
		return true
	})
	time.Sleep(50 * time.Millisecond)
	stop()
	if n := early.Load(); n != 0 {
		t.Fatalf("a lease claimed just now was renewed %d times within 50 ms", n)
	}
}
