// Package faultset keeps the faults injected into a local sandbox (the
// Powens one and the Inqom one): which requests each matches, how many uses
// it has left, and how a request it holds waits. What a fault then does
// (answer a status, drop a webhook, lose an answer) is the sandbox's own.
package faultset

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Max bounds the faults pending in one Set: the sandboxes take faults from
// an unauthenticated control endpoint, and memory must stay bounded.
const Max = 1000

// ControlPrefix starts the paths of a sandbox's controls, which faults never
// match, so that a test can always clear what it injected.
const ControlPrefix = "/__sandbox/"

// Set is a list of faults of type F; its zero value is empty and it is safe
// for concurrent use.
type Set[F any] struct {
	mu   sync.Mutex
	list []*entry[F]
}

type entry[F any] struct {
	path, method string
	left         int
	fault        F
}

// Add appends a fault for the next count requests (at least 1) whose path
// starts with path and whose method is method ("" for any). It reports
// false, adding nothing, when Max faults are already pending.
func (s *Set[F]) Add(path, method string, count int, f F) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.list) >= Max {
		return false
	}
	s.list = append(s.list, &entry[F]{path: path, method: method, left: max(count, 1), fault: f})
	return true
}

// Take consumes one use of the first fault matching r, and returns it.
func (s *Set[F]) Take(r *http.Request) (F, bool) {
	var zero F
	if strings.HasPrefix(r.URL.Path, ControlPrefix) {
		return zero, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.list, func(e *entry[F]) bool {
		return strings.HasPrefix(r.URL.Path, e.path) && (e.method == "" || strings.EqualFold(e.method, r.Method))
	})
	if i < 0 {
		return zero, false
	}
	f := s.list[i].fault
	if s.list[i].left--; s.list[i].left <= 0 {
		s.list = slices.Delete(s.list, i, i+1)
	}
	return f, true
}

// Pending returns the uses left, summed over the pending faults.
func (s *Set[F]) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.list {
		n += e.left
	}
	return n
}

// Clear removes every pending fault.
func (s *Set[F]) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = nil
}

// Hold keeps r waiting for d (no limit when 0), until release is closed (nil
// never is), until stop is closed (the server closes) or until r's client
// goes away, whichever comes first. With d = 0 and no release it returns at
// once.
func Hold(r *http.Request, d time.Duration, release, stop <-chan struct{}) {
	if d <= 0 && release == nil {
		return
	}
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
	case <-release:
	case <-stop:
	case <-r.Context().Done():
	}
}
