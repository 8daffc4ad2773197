package store

import (
	"fmt"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
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
	// file, instead of body, holds a body too large to have been read in
	// memory by the receiver (issue 15, item 5), size bytes; the handoff
	// closes it when the entry is taken or dropped. Bytes on disk, not in
	// memory, but counted against the same bound.
	file freenahi.BodyFile
	size int64
	at   time.Time
}

func (en handoffEntry) len() int64 {
	if en.file != nil {
		return en.size
	}
	return int64(len(en.body))
}

func (en handoffEntry) drop() {
	if en.file != nil {
		en.file.Close()
	}
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
	h.add(id, handoffEntry{body: body, at: now}, now)
}

// putFile keeps a body set aside in a file for event id, and closes the
// file once it is taken or dropped (at once if it is larger than the bound).
func (h *bodyHandoff) putFile(id int64, f freenahi.BodyFile, size int64, now time.Time) {
	if size == 0 || size > handoffMaxBytes {
		f.Close()
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.add(id, handoffEntry{file: f, size: size, at: now}, now)
}

func (h *bodyHandoff) add(id int64, en handoffEntry, now time.Time) {
	if h.entries == nil {
		h.entries = map[int64]handoffEntry{}
	}
	if old, ok := h.entries[id]; ok {
		h.bytes -= old.len()
		old.drop()
	}
	h.entries[id] = en
	h.order = append(h.order, id)
	h.bytes += en.len()
	h.trim(now)
}

// take returns and forgets the body kept for event id, if it is still kept
// and of the stored size; nil else. A body kept in a file is read into
// memory (one slice of its size) and the file closed.
func (h *bodyHandoff) take(id, size int64, now time.Time) ([]byte, error) {
	en, ok := h.takeEntry(id, size, now)
	if !ok {
		return nil, nil
	}
	defer en.drop()
	if en.file == nil {
		return en.body, nil
	}
	body := make([]byte, size)
	if _, err := en.file.ReadAt(body, 0); err != nil {
		return nil, fmt.Errorf("read the body handed over in a file: %w", err)
	}
	return body, nil
}

// takeEntry forgets the entry kept for event id and returns it if it is
// of the stored size and not too old; the caller then owns its file.
func (h *bodyHandoff) takeEntry(id, size int64, now time.Time) (handoffEntry, bool) {
	h.mu.Lock()
	en, ok := h.entries[id]
	if ok {
		delete(h.entries, id)
		h.bytes -= en.len()
		h.trim(now)
	}
	h.mu.Unlock()
	if ok && (en.len() != size || now.Sub(en.at) > handoffMaxAge) {
		en.drop()
		ok = false
	}
	return en, ok
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
			h.bytes -= en.len()
			en.drop()
		}
	}
}
