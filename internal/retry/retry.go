// Package retry holds the arithmetic of retrying HTTP calls that the Powens
// and Inqom clients share: reading Retry-After, exponential backoff with
// jitter, and a context-aware sleep. The policy (what is retried, how often)
// stays with each client.
package retry

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseAfter reads a Retry-After value: delay-seconds or an HTTP date. ok is
// false for an absent, malformed, zero or past value, which leaves the usual
// backoff in charge.
func ParseAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0, false
		}
		// Saturate at a day so that a huge value cannot overflow; callers
		// cap the wait anyway.
		return time.Duration(min(secs, 86400)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil || !t.After(now) {
		return 0, false
	}
	return t.Sub(now), true
}

// Backoff returns the wait after failed attempt n (1-based): base doubled per
// attempt up to limit, with "equal jitter" (half fixed, half random) so that
// clients failing together do not come back together.
func Backoff(n int, base, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	half := d / 2
	if half <= 0 {
		return d
	}
	return d - half + rand.N(half+1)
}

// Sleep waits d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
