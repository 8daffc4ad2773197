package testenv

import (
	"runtime"
	"testing"
	"time"
)

// recorder is a testing.TB that records how a helper ended the test; like
// the real one, Skipf and Fatalf stop the calling goroutine.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Skip(...any)           { r.skipped = true; runtime.Goexit() }
func (r *recorder) Skipf(string, ...any)  { r.skipped = true; runtime.Goexit() }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }

// run calls fn with a recorder in its own goroutine, as testing does.
func run(t *testing.T, fn func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); fn(r) }()
	<-done
	return r
}

func TestSkip(t *testing.T) {
	t.Run("Developer", func(t *testing.T) {
		t.Setenv(CIEnv, "")
		r := run(t, func(tb testing.TB) { Skip(tb, "no %s", "browser") })
		if !r.skipped || r.failed {
			t.Fatalf("skipped=%v failed=%v, want a skip without FREENAHI_CI", r.skipped, r.failed)
		}
	})
	t.Run("CI", func(t *testing.T) {
		t.Setenv(CIEnv, "1")
		r := run(t, func(tb testing.TB) { Skip(tb, "no %s", "browser") })
		if r.skipped || !r.failed {
			t.Fatalf("skipped=%v failed=%v, want a failure with FREENAHI_CI set", r.skipped, r.failed)
		}
	})
}

func TestSkipIfShort(t *testing.T) {
	for _, ci := range []string{"", "1"} {
		t.Run("FREENAHI_CI="+ci, func(t *testing.T) {
			t.Setenv(CIEnv, ci)
			r := run(t, func(tb testing.TB) { SkipIfShort(tb, "large payload") })
			switch {
			case !testing.Short() && (r.failed || r.skipped):
				t.Fatal("without -short the test must run")
			case testing.Short() && ci == "" && (!r.skipped || r.failed):
				t.Fatal("-short on a developer's machine must skip")
			case testing.Short() && ci != "" && (r.skipped || !r.failed):
				t.Fatal("-short with FREENAHI_CI set must fail, not skip")
			}
		})
	}
}

func TestWaitFor(t *testing.T) {
	calls := 0
	WaitFor(t, time.Minute, "the third call", func() bool { calls++; return calls == 3 })
	if calls != 3 {
		t.Fatalf("cond called %d times, want 3", calls)
	}
	r := run(t, func(tb testing.TB) { WaitFor(tb, time.Millisecond, "never", func() bool { return false }) })
	if !r.failed {
		t.Fatal("a condition that never holds did not fail the test")
	}
}

func TestClock(t *testing.T) {
	start := time.Date(2025, 3, 16, 12, 0, 0, 0, time.UTC)
	c := NewClock(start)
	c.Add(time.Hour)
	if got := c.Now(); !got.Equal(start.Add(time.Hour)) {
		t.Fatalf("Now=%v after Add", got)
	}
	c.Set(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now=%v after Set", got)
	}
}
