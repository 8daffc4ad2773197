package sandbox

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/freenahi/freenahi/internal/faultset"
)

// Fault is an injected failure for the next Count requests whose path
// starts with Path (and whose method is Method, when set).
//
//   - Status alone answers that status without processing: 429 with a
//     Retry-After header, 500 with ABP's internal-error body, 502, 503 and
//     504 with an HTML gateway page, like the Azure front of Inqom.
//   - Delay holds the request first (then it is processed, unless Status);
//     Release holds it until the channel is closed, so a test decides when
//     a held request goes on instead of guessing how long to wait.
//   - DropAfterProcessing processes the request — an import IS applied —
//     then loses the answer: the connection is closed without a response,
//     or, when Status is set, that status is answered instead (say 502).
//     The client cannot tell whether it was applied.
type Fault struct {
	// Path is a prefix of the request path; "" matches every request.
	Path string `json:"path"`
	// Method restricts the fault to one HTTP method; "" matches all.
	Method string `json:"method,omitempty"`
	// Count is how many requests the fault applies to (default 1).
	Count int `json:"count,omitempty"`
	// Status is the status to answer; 0 with DropAfterProcessing closes
	// the connection, 0 without it only delays.
	Status int `json:"status,omitempty"`
	// RetryAfter is the Retry-After header in seconds (a 429 defaults to 1).
	RetryAfter int `json:"retry_after,omitempty"`
	// Delay holds matching requests before they go on.
	Delay time.Duration `json:"-"`
	// DelayMS is Delay in milliseconds, for JSON.
	DelayMS int `json:"delay_ms,omitempty"`
	// Release, when set, holds matching requests until it is closed (or
	// until Delay, when both are set).
	Release <-chan struct{} `json:"-"`
	// DropAfterProcessing applies the request, then loses the answer.
	DropAfterProcessing bool `json:"drop_after_processing,omitempty"`
}

// InjectFault adds a fault; see Fault. Beyond 1000 pending faults the new
// one is ignored.
func (s *Server) InjectFault(f Fault) {
	if f.Delay == 0 && f.DelayMS > 0 {
		f.Delay = time.Duration(f.DelayMS) * time.Millisecond
	}
	if f.Status == 0 && f.Delay <= 0 && f.Release == nil && !f.DropAfterProcessing {
		return // nothing to do
	}
	if f.Status == http.StatusTooManyRequests && f.RetryAfter <= 0 {
		f.RetryAfter = 1
	}
	s.faults.Add(f.Path, f.Method, f.Count, f)
}

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// applyFault plays f; it reports true when it answered r.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	faultset.Hold(r, f.Delay, f.Release, s.stop)
	if f.DropAfterProcessing {
		rec := &discardWriter{header: http.Header{}}
		s.route(rec, r)
		s.log.Info("inqom sandbox fault: answer dropped after processing",
			slog.String("path", r.URL.Path), slog.Int("status", rec.status))
		if f.Status == 0 && closeConnection(w) {
			return true
		}
		f.Status = max(f.Status, http.StatusBadGateway)
	}
	if f.Status == 0 {
		return false
	}
	s.log.Info("inqom sandbox fault", slog.String("path", r.URL.Path), slog.Int("status", f.Status))
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	writeFault(w, f.Status)
	return true
}

// writeFault answers an injected status with the body its source would
// send: the gateway's HTML page, or the application's ABP error.
func writeFault(w http.ResponseWriter, status int) {
	switch {
	case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		text := strconv.Itoa(status) + " " + http.StatusText(status)
		w.Write([]byte("<!DOCTYPE html>\n<html><head><title>" + text + "</title></head>\n<body><h1>" + text +
			"</h1><p>The front end could not get an answer from the application (sandbox fault).</p></body></html>\n"))
	case status == http.StatusTooManyRequests:
		writeJSON(w, status, abpBody("TooManyRequests", "Too many requests, retry later."))
	case status >= 500:
		writeJSON(w, status, abpBody("", "An internal error occurred during your request!"))
	default:
		writeJSON(w, status, abpBody("InjectedFault", "Injected fault."))
	}
}

func abpBody(code, message string) map[string]any {
	return map[string]any{"error": map[string]any{"code": nullable(code), "message": message, "details": nil,
		"data": map[string]any{}, "validationErrors": nil}}
}

// closeConnection drops the client's connection without an answer; false
// when the connection cannot be taken over (HTTP/2).
func closeConnection(w http.ResponseWriter) bool {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// discardWriter is the ResponseWriter of a request whose answer is lost.
type discardWriter struct {
	header http.Header
	status int
}

func (d *discardWriter) Header() http.Header { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) {
	if d.status == 0 {
		d.status = http.StatusOK
	}
	return len(b), nil
}
func (d *discardWriter) WriteHeader(status int) {
	if d.status == 0 {
		d.status = status
	}
}

func (s *Server) registerControlRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /__sandbox/state", s.handleState)
	m.HandleFunc("POST /__sandbox/faults", s.handleFaultCreate)
	m.HandleFunc("DELETE /__sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
}

// handleFaultCreate accepts one Fault or a list of them as JSON.
func (s *Server) handleFaultCreate(w http.ResponseWriter, r *http.Request) {
	var raw json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		s.writeError(w, r, errInvalid("body", "The body is not JSON: %v.", err))
		return
	}
	var list []Fault
	if json.Unmarshal(raw, &list) != nil {
		var one Fault
		if err := json.Unmarshal(raw, &one); err != nil {
			s.writeError(w, r, errInvalid("body", "The body is not a fault: %v.", err))
			return
		}
		list = []Fault{one}
	}
	for _, f := range list {
		s.InjectFault(f)
	}
	w.WriteHeader(http.StatusNoContent)
}
