package web

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/freenahi/freenahi"
)

// statusOf maps domain error codes to HTTP statuses, in one place.
var statusOf = map[string]int{
	freenahi.EINVALID:      http.StatusBadRequest,
	freenahi.EUNAUTHORIZED: http.StatusUnauthorized,
	freenahi.EFORBIDDEN:    http.StatusForbidden,
	freenahi.ENOTFOUND:     http.StatusNotFound,
	freenahi.ECONFLICT:     http.StatusConflict,
	freenahi.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	freenahi.EUNAVAILABLE:  http.StatusServiceUnavailable,
	freenahi.EINTERNAL:     http.StatusInternalServerError,
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

// Error writes err as application/problem+json. Internal errors are logged with
// their cause and shown as "Internal error." so nothing leaks to clients.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := freenahi.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	log := loggerFrom(r.Context(), s.Logger)
	if code == freenahi.EINTERNAL {
		log.Error("request failed", slog.String("path", r.URL.Path), slog.Any("error", err))
	} else {
		log.Debug("request refused", slog.String("path", r.URL.Path), slog.String("code", code), slog.String("detail", freenahi.ErrorMessage(err)))
	}
	writeProblem(w, r, status, code, freenahi.ErrorMessage(err), freenahi.ErrorField(err))
}

func writeProblem(w http.ResponseWriter, r *http.Request, status int, code, detail, field string) {
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Code: code,
		Field: field, RequestID: requestIDFrom(r.Context())}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="freenahi"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

// notFound answers unknown routes in the problem format.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, r, http.StatusNotFound, freenahi.ENOTFOUND, "No such page: "+r.URL.Path, "")
}
