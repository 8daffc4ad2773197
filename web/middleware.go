package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"

	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// middleware adds a request id (kept from X-Request-Id when well formed), a
// request-scoped logger, panic recovery, an access log line and metrics.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		log := s.Logger.With(slog.String("request_id", id))
		r = r.WithContext(request.WithLogger(request.WithID(r.Context(), id), log))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				if !sw.wrote {
					respond.WriteProblem(sw, r, http.StatusInternalServerError, "internal", "Internal error.", "")
				}
			}
			took := s.Now().Sub(start)
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			s.Metrics.HTTPRequest(route, sw.status(), took)
			// The query string is left out: it may carry codes and states.
			log.Info("http request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status()), slog.Duration("took", took), slog.Int64("bytes", sw.n))
		}()
		next.ServeHTTP(sw, r)
	})
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	code  int
	n     int64
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

// WriteString passes text on without copying it into a byte slice when the
// writer beneath takes strings, as net/http's does: a cached dashboard's
// <main> is some 70 KB of string, and io.WriteString copied it for every
// request, which was half of what serving one allocated.
func (w *statusWriter) WriteString(s string) (int, error) {
	w.wrote = true
	n, err := io.WriteString(w.ResponseWriter, s)
	w.n += int64(n)
	return n, err
}

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
