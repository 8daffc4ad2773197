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
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(lease/3, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if !renew(ctx) || ctx.Err() != nil {
				return
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
