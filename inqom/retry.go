package inqom

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date.
// ok is false for an absent, malformed, zero or past value, which leaves the
// usual backoff in charge.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0, false
		}
		// Saturate at a day so that a huge value cannot overflow; the
		// caller's cap applies anyway.
		return time.Duration(min(secs, 86400)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil || !t.After(now) {
		return 0, false
	}
	return t.Sub(now), true
}

// backoff returns the wait after failed attempt n (1-based): BackoffBase
// doubled per attempt up to BackoffCap, then jittered down by up to half, so
// that clients failing together do not come back together.
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.BackoffBase
	for i := 1; i < n && d < c.cfg.BackoffCap; i++ {
		d *= 2
	}
	d = min(d, c.cfg.BackoffCap)
	if half := d / 2; half > 0 {
		return d - half + rand.N(half+1)
	}
	return d
}

// sleepContext waits d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
