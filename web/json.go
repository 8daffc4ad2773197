package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// writeJSON renders v into a buffer first, so an encoding error becomes a
// clean 500 instead of a half-written body.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
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

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
