// Package respond writes answers: JSON, and the one exit of every failure.
// Error maps a domain error code to an HTTP status in one place, logs
// internal causes (never shown), and answers with an HTML page on the web
// UI's routes or application/problem+json everywhere else.
package respond

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
)

// statusOf maps domain error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	freenahi.EINVALID:      http.StatusBadRequest,
	freenahi.EUNAUTHORIZED: http.StatusUnauthorized,
	freenahi.EFORBIDDEN:    http.StatusForbidden,
	freenahi.ENOTFOUND:     http.StatusNotFound,
	freenahi.ECONFLICT:     http.StatusConflict,
	freenahi.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	freenahi.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	freenahi.EUNAVAILABLE:  http.StatusServiceUnavailable,
	freenahi.EINTERNAL:     http.StatusInternalServerError,
}

// Codes lists the domain error codes that have a status.
func Codes() []string {
	out := make([]string, 0, len(statusOf))
	for c := range statusOf {
		out = append(out, c)
	}
	return out
}

// Status returns the HTTP status of a domain error code (500 for unknown ones).
func Status(code string) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// Page renders an error as an HTML page with the given status.
type Page func(w http.ResponseWriter, r *http.Request, status int, err error)

type pageKey struct{}

// WithPage marks a request as one of the web UI's pages: its errors are
// answered by page instead of a problem document.
func WithPage(ctx context.Context, page Page) context.Context {
	return context.WithValue(ctx, pageKey{}, page)
}

// Error is the one exit of every failure. Internal errors are logged with
// their cause and shown as "Internal error." so nothing leaks to clients;
// others are logged at debug level.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	code := freenahi.ErrorCode(err)
	status := Status(code)
	log := request.Logger(r.Context(), nil)
	if code == freenahi.EINTERNAL {
		log.Error("request failed", slog.String("path", r.URL.Path), slog.Any("error", err))
	} else {
		log.Debug("request refused", slog.String("path", r.URL.Path), slog.String("code", code), slog.String("detail", freenahi.ErrorMessage(err)))
	}
	if page, ok := r.Context().Value(pageKey{}).(Page); ok {
		page(w, r, status, err)
		return
	}
	WriteProblem(w, r, status, code, freenahi.ErrorMessage(err), freenahi.ErrorField(err))
}

// Problem is an RFC 9457 problem document, with freenahi's code and field.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Code      string `json:"code"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// WriteProblem answers a problem document; Error calls it, and so may the
// few places that refuse before a domain error exists (a panic).
func WriteProblem(w http.ResponseWriter, r *http.Request, status int, code, detail, field string) {
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Code: code,
		Field: field, RequestID: request.ID(r.Context())}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="freenahi"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// JSON renders v into a buffer first, so an encoding error becomes a clean
// 500 instead of a half-written body.
func JSON(w http.ResponseWriter, r *http.Request, status int, v any) {
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
		Error(w, r, err)
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
