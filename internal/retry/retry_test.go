package retry_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/freenahi/freenahi/internal/retry"
)

func TestParseAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false}, {"5", 5 * time.Second, true}, {" 2 ", 2 * time.Second, true}, {"0", 0, false},
		{"-3", 0, false}, {"soon", 0, false}, {"99999999999999", 86400 * time.Second, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, false},
	} {
		got, ok := retry.ParseAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseAfter(%q)=%v,%v; want %v,%v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	base, limit := 100*time.Millisecond, time.Second
	for n := 1; n <= 8; n++ {
		full := min(base<<(n-1), limit)
		for range 50 {
			if d := retry.Backoff(n, base, limit); d < full/2 || d > full {
				t.Fatalf("Backoff(%d)=%v, want within [%v, %v]", n, d, full/2, full)
			}
		}
	}
}

func TestSleep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := retry.Sleep(ctx, time.Hour); err != context.Canceled {
		t.Fatalf("Sleep on a cancelled context: %v", err)
	}
	if err := retry.Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
}
