package ui

import (
	"sync"
	"time"
)

// limiter counts failures per key (an e-mail address, an IP address) in
// fixed windows and refuses a key that reached max until its window ends.
// It lives in memory: a restart forgives everyone, which is acceptable for
// sign-in throttling, and several instances each keep their own count.
type limiter struct {
	max    int
	window time.Duration

	mu   sync.Mutex
	hits map[string]*hitWindow
}

type hitWindow struct {
	start time.Time
	n     int
}

// maxLimiterKeys bounds memory when many addresses fail: expired windows are
// swept first, and past the bound the oldest state is dropped.
const maxLimiterKeys = 100_000

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, hits: map[string]*hitWindow{}}
}

// retryAfter reports how long key must wait, or 0 when it may try now.
func (l *limiter) retryAfter(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.hits[key]
	if h == nil || now.Sub(h.start) >= l.window {
		return 0
	}
	if h.n < l.max {
		return 0
	}
	return h.start.Add(l.window).Sub(now)
}

// fail records a failure of key.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.hits[key]
	if h == nil || now.Sub(h.start) >= l.window {
		if len(l.hits) >= maxLimiterKeys {
			l.sweepLocked(now)
		}
		h = &hitWindow{start: now}
		l.hits[key] = h
	}
	h.n++
}

// reset forgets key, after a successful sign-in.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}

func (l *limiter) sweepLocked(now time.Time) {
	for k, h := range l.hits {
		if now.Sub(h.start) >= l.window {
			delete(l.hits, k)
		}
	}
	if len(l.hits) >= maxLimiterKeys {
		// Every window is live: a flood from many addresses. Start afresh
		// rather than grow without bound; per-e-mail limits still hold.
		clear(l.hits)
	}
}
