package faultset

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

func TestSet(t *testing.T) {
	var s Set[string]
	s.Add("/api/", "POST", 2, "a")
	s.Add("/api/", "", 0, "b")
	s.Add("", "", 1, "c")
	if got := s.Pending(); got != 4 {
		t.Fatalf("Pending=%d, want 4", got)
	}
	take := func(method, path string) string {
		f, ok := s.Take(httptest.NewRequest(method, path, nil))
		if !ok {
			return "-"
		}
		return f
	}
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/__sandbox/state", "-"}, // the controls are never faulted
		{"GET", "/api/x", "b"},           // a's method does not match
		{"post", "/api/x", "a"},
		{"POST", "/api/x", "a"},
		{"POST", "/api/x", "c"}, // a is used up, b was
		{"POST", "/api/x", "-"},
	} {
		if got := take(tc.method, tc.path); got != tc.want {
			t.Fatalf("%s %s took %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
	for i := range Max {
		if !s.Add("/", "", 1, "x") {
			t.Fatalf("fault %d refused below the bound", i)
		}
	}
	if s.Add("/", "", 1, "x") || s.Pending() != Max {
		t.Fatalf("more than %d faults kept", Max)
	}
	s.Clear()
	if s.Pending() != 0 {
		t.Fatal("Clear left faults")
	}
}

func TestHold(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	Hold(r, 0, nil, nil) // returns at once
	release, done := make(chan struct{}), make(chan struct{})
	go func() { Hold(r, time.Hour, release, nil); close(done) }()
	select {
	case <-done:
		t.Fatal("returned before its release")
	case <-time.After(10 * time.Millisecond):
	}
	close(release)
	<-done
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	Hold(r.WithContext(ctx), time.Hour, nil, nil) // the client went away
	stop := make(chan struct{})
	close(stop)
	Hold(r, time.Hour, nil, stop)
	start := time.Now()
	Hold(r, 5*time.Millisecond, nil, nil)
	if time.Since(start) < 5*time.Millisecond {
		t.Fatal("did not wait its delay")
	}
}
