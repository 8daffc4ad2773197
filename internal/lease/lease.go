// Package lease keeps a claim on shared work alive while that work runs.
// Background work (inbox events, jobs, Inqom pushes) is claimed in the
// database with a short lease, so that a crashed instance's work is taken
// over within seconds; the instance that holds it renews the lease every
// third of its length until the work ends. What a renewal does, and what a
// failed one means, stays with each caller.
package lease

import (
	"context"
	"time"
)

// Keep calls renew every third of lease until the returned stop is called,
// ctx ends, or renew returns false (the lease is lost: renewing is over).
// renew receives a context that stop cancels; an error it meets after that
// is the stop's doing, not a failure, which renew tells by ctx.Err().
// stop waits for a renewal in flight to return, so nothing renews after it.
func Keep(ctx context.Context, lease time.Duration, renew func(ctx context.Context) bool) (stop func()) {
	return KeepFrom(ctx, time.Now(), lease, renew)
}

// KeepFrom is Keep for a lease taken at since rather than now: the first
// renewal comes a third of a lease after since, at once if that has
// passed. Time spent between the claim and the start of the work (reading
// a large body on a loaded machine) then counts against the lease, instead
// of the first renewal coming a third of a lease too late.
func KeepFrom(ctx context.Context, since time.Time, lease time.Duration, renew func(ctx context.Context) bool) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	period := max(lease/3, time.Millisecond)
	go func() {
		defer close(done)
		wait := time.NewTimer(max(time.Until(since.Add(period)), 0))
		defer wait.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-wait.C:
			}
			if !renew(ctx) || ctx.Err() != nil {
				return
			}
			wait.Reset(period)
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
