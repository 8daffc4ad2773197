package powens

import (
	"net/http"
	"time"

	"github.com/freenahi/freenahi/internal/retry"
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
	d, ok := retry.ParseAfter(res.Header.Get("Retry-After"), time.Now())
	if !ok {
		return 0
	}
	return min(d, c.cfg.RetryAfterCap)
}

// backoff returns the wait after the given failed attempt (1-based).
func (c *Client) backoff(attempt int) time.Duration {
	return retry.Backoff(attempt, c.cfg.BackoffBase, c.cfg.BackoffCap)
}
