// Package testenv holds what tests of every package share: what a test may
// do when its environment lacks something (skip on a developer's machine,
// fail in CI), waiting on a condition, and a settable clock.
//
// CI (.ci/run) sets FREENAHI_CI=1. With it set, a test that would skip fails
// instead, so a missing browser, database or fixture can never turn a red
// run into a green one by silently not testing.
package testenv

import (
	"os"
	"sync"
	"testing"
	"time"
)

// CIEnv names the environment variable that CI sets; any non-empty value
// turns skips into failures.
const CIEnv = "FREENAHI_CI"

// InCI reports whether FREENAHI_CI is set.
func InCI() bool { return os.Getenv(CIEnv) != "" }

// Skip skips the test with the formatted reason, or fails it with that
// reason when FREENAHI_CI is set.
func Skip(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if InCI() {
		tb.Fatalf(CIEnv+" is set, so this test may not skip: "+format, args...)
	}
	tb.Skipf(format, args...)
}

// SkipIfShort skips a long test under `go test -short`, which a developer
// asks for on purpose. CI never passes -short: with FREENAHI_CI set, -short
// itself is a failure, so the long tests cannot be dropped from CI either.
func SkipIfShort(tb testing.TB, reason string) {
	tb.Helper()
	if !testing.Short() {
		return
	}
	if InCI() {
		tb.Fatalf(CIEnv+" is set but the tests run with -short, which would skip: %s", reason)
	}
	tb.Skip("-short: " + reason)
}

// WaitFor polls cond until it holds, failing the test with what once timeout
// has passed. It is for conditions nothing signals (a timer in another
// server, a goroutine ending): the timeout only bounds a failing test, so
// make it generous, since a loaded machine is slow, not wrong. The pause
// between polls grows from 1 to 50 ms, so that a condition that takes a
// while is not polled at a rate that slows what it waits for.
func WaitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	pause := time.Millisecond
	for deadline := time.Now().Add(timeout); !cond(); pause = min(2*pause, 50*time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up after %v waiting for %s", timeout, what)
		}
		time.Sleep(pause)
	}
}

// Clock is a settable clock for tests, safe for concurrent use: hand its Now
// to the code under test (a sandbox, a store, a service) and move time with
// Add or Set.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
