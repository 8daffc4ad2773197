package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/freenahi/freenahi/internal/faultset"
)

// Fault is an injected failure: the next Count requests whose path starts
// with Path (and whose method is Method, when set) answer Status (429 with a
// Retry-After header, 500, 503…; 401 with the older body
// {"code": "unauthorized"}) or are held for Delay first; DropWebhooks makes
// the next deliveries vanish as if lost on the way.
type Fault struct {
	// Path is a prefix of the request path, e.g. "/2.0/users/me/transactions"; "" matches all.
	Path string `json:"path"`
	// Method restricts the fault to one HTTP method; "" matches all.
	Method string `json:"method,omitempty"`
	// Count is how many requests the fault applies to (default 1).
	Count int `json:"count,omitempty"`
	// Status is the error status to answer; 0 only delays.
	Status int `json:"status,omitempty"`
	// RetryAfter is the Retry-After header value in seconds of a 429 (default 1).
	RetryAfter int `json:"retry_after,omitempty"`
	// Delay holds matching requests before they are answered.
	Delay time.Duration `json:"-"`
	// DelayMS is Delay in milliseconds, for JSON.
	DelayMS int `json:"delay_ms,omitempty"`
	// DropWebhooks drops the next N webhook deliveries.
	DropWebhooks int `json:"drop_webhooks,omitempty"`
}

// faultSet holds the injected faults, under locks of their own so that a
// held request never holds the server's.
type faultSet struct {
	requests faultset.Set[Fault]
	mu       sync.Mutex
	drops    int
}

// InjectFault adds a fault; see Fault. Beyond 1000 pending request faults
// the new one is ignored.
func (s *Server) InjectFault(f Fault) {
	if f.Delay == 0 && f.DelayMS > 0 {
		f.Delay = time.Duration(f.DelayMS) * time.Millisecond
	}
	if f.DropWebhooks > 0 {
		s.faults.mu.Lock()
		s.faults.drops += f.DropWebhooks
		s.faults.mu.Unlock()
	}
	if f.Status == 0 && f.Delay == 0 {
		return
	}
	if f.Status == http.StatusTooManyRequests && f.RetryAfter <= 0 {
		f.RetryAfter = 1
	}
	s.faults.requests.Add(f.Path, f.Method, f.Count, f)
}

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() {
	s.faults.requests.Clear()
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.drops = 0
}

// apply runs the first fault matching r; it reports true when it answered.
// The controls under /__sandbox/ stay reachable whatever is injected.
func (fs *faultSet) apply(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) bool {
	f, ok := fs.requests.Take(r)
	if !ok {
		return false
	}
	faultset.Hold(r, f.Delay, nil, stop)
	if f.Status == 0 {
		return false
	}
	if f.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	if f.Status == http.StatusUnauthorized {
		// The older body of an authentication failure: a code and nothing else.
		writeJSON(w, f.Status, map[string]string{"code": "unauthorized"})
		return true
	}
	code := map[int]string{429: "tooManySync", 503: "websiteUnavailable"}[f.Status]
	writeJSON(w, f.Status, map[string]any{"code": cmpOr(code, "bug"), "description": "Injected fault.", "message": nil, "request_id": nil})
	return true
}

// takeDrop consumes one pending webhook drop.
func (fs *faultSet) takeDrop() bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.drops > 0 {
		fs.drops--
		return true
	}
	return false
}

func (s *Server) registerControlRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /__sandbox/faults", s.handleFaultCreate)
	m.HandleFunc("DELETE /__sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	m.HandleFunc("POST /__sandbox/sync", s.handleControlSync)
	m.HandleFunc("GET /__sandbox/state", s.handleControlState)
}

// handleFaultCreate accepts one Fault or a list of them as JSON.
func (s *Server) handleFaultCreate(w http.ResponseWriter, r *http.Request) {
	var list []Fault
	d := json.NewDecoder(r.Body)
	var raw json.RawMessage
	if err := d.Decode(&raw); err != nil {
		s.fail(w, r, errInvalid("Body is not JSON: %v", err))
		return
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		var one Fault
		if err := json.Unmarshal(raw, &one); err != nil {
			s.fail(w, r, errInvalid("Body is not a fault: %v", err))
			return
		}
		list = []Fault{one}
	}
	for _, f := range list {
		s.InjectFault(f)
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleControlSync runs a background sync of {"id_connection": N}, or of
// every connection when the body is empty, and lists the resulting states.
func (s *Server) handleControlSync(w http.ResponseWriter, r *http.Request) {
	v, ok := s.readBody(w, r)
	if !ok {
		return
	}
	var ids []int64
	s.mu.Lock()
	if id, err := strconv.ParseInt(v["id_connection"], 10, 64); err == nil {
		ids = append(ids, id)
	} else {
		for id := range s.st.Connections {
			ids = append(ids, id)
		}
		slices.Sort(ids)
	}
	s.mu.Unlock()
	out := []map[string]any{}
	for _, id := range ids {
		if !s.SyncConnection(id) {
			s.fail(w, r, errNotFound("Unknown connection."))
			return
		}
		s.mu.Lock()
		if c := s.st.Connections[id]; c != nil {
			out = append(out, map[string]any{"id": id, "state": str(c.visibleState())})
		}
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, map[string]any{"connections": out})
}

// handleControlState summarises the sandbox for tests and the demo; it
// never shows tokens or credentials.
func (s *Server) handleControlState(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	type conn struct {
		ID, UserID, ConnectorID int64
		State                   *string
		Accounts, Transactions  int
	}
	conns := []conn{}
	for _, c := range s.st.Connections {
		cc := conn{ID: c.ID, UserID: c.UserID, ConnectorID: c.ConnectorID, State: str(c.visibleState())}
		for _, a := range s.accountsOfLocked(c.ID) {
			cc.Accounts++
			cc.Transactions += len(a.Txns)
		}
		conns = append(conns, cc)
	}
	slices.SortFunc(conns, func(a, b conn) int { return int(a.ID - b.ID) })
	faults := s.faults.requests.Pending()
	s.faults.mu.Lock()
	drops := s.faults.drops
	s.faults.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"users": len(s.st.Users), "connections": conns,
		"webhooks_pending": len(s.st.Pending), "webhooks_held": len(s.st.Held), "faults": faults,
		"webhook_drops": drops, "now": s.now().Format(time.RFC3339)})
}
