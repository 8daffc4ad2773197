package powens

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// isIdempotent reports whether a method may be replayed. POST never is:
// Powens' POSTs create users, exchange single-use codes or submit one-time
// passwords, and a replay after a lost response would do it twice.
func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryDelay classifies a failed response: -1 for no retry, the (capped)
// Retry-After delay when the server gave one, 0 for the usual backoff.
func (c *Client) retryDelay(res *http.Response) time.Duration {
	if res.StatusCode != http.StatusTooManyRequests && res.StatusCode < 500 {
		return -1
	}
	if res.StatusCode == http.StatusNotImplemented {
		return -1
	}
	d, ok := parseRetryAfter(res.Header.Get("Retry-After"), time.Now())
	if !ok {
		return 0
	}
	return min(d, c.cfg.RetryAfterCap)
}

// parseRetryAfter reads delay-seconds or an HTTP date. A date in the past, or
// zero seconds, is not a usable delay (ok false) and the backoff applies.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		// Beyond a day the value is nonsense; the cap applies anyway, so
		// saturate instead of overflowing the multiplication.
		if n <= 0 {
			return 0, false
		}
		return time.Duration(min(n, 86400)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d <= 0 {
		return 0, false
	}
	return d, true
}

// backoff returns the wait after the given failed attempt (1-based):
// base·2^(attempt-1) capped, with "equal jitter" (half fixed, half random),
// so that clients failing together do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.BackoffBase
	for i := 1; i < attempt && d < c.cfg.BackoffCap; i++ {
		d *= 2
	}
	d = min(d, c.cfg.BackoffCap)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
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
