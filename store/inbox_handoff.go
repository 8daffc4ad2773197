package store

import (
	"sync"
	"time"
)

// bodyHandoff keeps the bodies of events this instance just stored, so that
// its own worker, which usually claims them a moment later, takes the body
// from memory instead of reading it back from the database: the read cost
// about a tenth of an ingest, a second copy of the body and a page cache full
// of it. What is handed over is the slice that was stored, never changed
// after; the database stays the truth — an event claimed after a restart, by
// another instance, again after a failure, or after its entry was dropped,
// is read from the inbox as before.
//
// Memory stays bounded: at most handoffMaxBytes and handoffMaxEvents, the
// oldest entries dropped first, and none older than handoffMaxAge (an event
// another instance claimed is never taken here).
type bodyHandoff struct {
	mu      sync.Mutex
	entries map[int64]handoffEntry
	order   []int64 // event ids, oldest first; may name entries already taken
	bytes   int64
}

type handoffEntry struct {
	body []byte
	at   time.Time
}

const (
	handoffMaxBytes  = 64 << 20
	handoffMaxEvents = 256
	handoffMaxAge    = time.Minute
)

// put keeps body for event id; a body larger than the whole bound is not kept.
func (h *bodyHandoff) put(id int64, body []byte, now time.Time) {
	if len(body) == 0 || len(body) > handoffMaxBytes {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.entries == nil {
		h.entries = map[int64]handoffEntry{}
	}
	h.entries[id] = handoffEntry{body: body, at: now}
	h.order = append(h.order, id)
	h.bytes += int64(len(body))
	h.trim(now)
}

// take returns and forgets the body kept for event id, if it is still kept
// and of the stored size; nil else.
func (h *bodyHandoff) take(id, size int64, now time.Time) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	en, ok := h.entries[id]
	if !ok {
		return nil
	}
	delete(h.entries, id)
	h.bytes -= int64(len(en.body))
	h.trim(now)
	if int64(len(en.body)) != size || now.Sub(en.at) > handoffMaxAge {
		return nil
	}
	return en.body
}

// trim drops the oldest entries while over a bound or too old.
func (h *bodyHandoff) trim(now time.Time) {
	for len(h.order) > 0 {
		id := h.order[0]
		en, ok := h.entries[id]
		if ok && h.bytes <= handoffMaxBytes && len(h.entries) <= handoffMaxEvents && now.Sub(en.at) <= handoffMaxAge {
			return
		}
		h.order = h.order[1:]
		if ok {
			delete(h.entries, id)
			h.bytes -= int64(len(en.body))
		}
	}
}
