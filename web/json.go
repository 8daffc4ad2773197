package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
)

// writeJSON renders v into a buffer first, so an encoding error becomes a
// clean 500 instead of a half-written body.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer func() {
		// Keep only buffers of ordinary size, so one huge answer does not
		// stay pinned in the pool.
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			jsonBuffers.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// jsonBuffers recycles the buffers answers are rendered into: growing a
// fresh buffer to the size of a page of transactions was a quarter of the
// API's garbage.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
