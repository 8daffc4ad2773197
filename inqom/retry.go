package inqom

import (
	"time"

	"github.com/freenahi/freenahi/internal/retry"
)

// backoff returns the wait after failed attempt n (1-based).
func (c *Client) backoff(n int) time.Duration {
	return retry.Backoff(n, c.cfg.BackoffBase, c.cfg.BackoffCap)
}
