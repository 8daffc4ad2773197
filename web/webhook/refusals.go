package webhook

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
)

// refusalLog groups refused deliveries in memory and writes their hourly
// counts at most every flushEvery, so that a flood of hostile requests costs
// a map update each, not a database write each. The set of keys is bounded:
// events are metric labels (a fixed list) and reasons are ours.
type refusalLog struct {
	mu         sync.Mutex
	pending    map[refusalKey]*freenahi.WebhookRefusal
	lastFlush  time.Time
	flushing   bool
	armed      bool // a timer will flush what is pending
	flushEvery time.Duration
}

type refusalKey struct {
	hour          time.Time
	event, reason string
}

// note counts one refusal and, when the last flush is old enough, writes the
// counts in the background.
func (s *Receiver) noteRefusal(event, reason, detail string) {
	l, now := &s.refusals, s.Now()
	l.mu.Lock()
	if l.pending == nil {
		l.pending = map[refusalKey]*freenahi.WebhookRefusal{}
	}
	k := refusalKey{now.UTC().Truncate(time.Hour), event, reason}
	r := l.pending[k]
	if r == nil {
		r = &freenahi.WebhookRefusal{Hour: k.hour, Event: event, Reason: reason}
		l.pending[k] = r
	}
	r.Count++
	r.LastAt, r.LastDetail = now, detail
	wait := l.flushEvery - now.Sub(l.lastFlush)
	due := !l.flushing && wait <= 0
	if due {
		l.flushing = true
	} else if !l.armed {
		// Refusals that stop coming are still written, a little later.
		l.armed = true
		time.AfterFunc(max(wait, l.flushEvery/10), func() {
			l.mu.Lock()
			l.armed = false
			l.mu.Unlock()
			s.FlushRefusals(context.Background())
		})
	}
	l.mu.Unlock()
	if due {
		go s.flushRefusals(context.Background())
	}
}

// FlushRefusals writes the refusals counted so far; the server calls it
// when it stops, so that none is lost.
func (s *Receiver) FlushRefusals(ctx context.Context) {
	s.refusals.mu.Lock()
	s.refusals.flushing = true
	s.refusals.mu.Unlock()
	s.flushRefusals(ctx)
}

func (s *Receiver) flushRefusals(ctx context.Context) {
	l := &s.refusals
	l.mu.Lock()
	if len(l.pending) == 0 {
		l.flushing = false
		l.mu.Unlock()
		return
	}
	batch := make([]freenahi.WebhookRefusal, 0, len(l.pending))
	for _, r := range l.pending {
		batch = append(batch, *r)
	}
	l.pending, l.lastFlush = nil, s.Now()
	l.mu.Unlock()
	err := s.Inbox.RecordRefusals(ctx, batch)
	l.mu.Lock()
	l.flushing = false
	l.mu.Unlock()
	if err != nil {
		s.Logger.Warn("record refused webhook deliveries", slog.Int("groups", len(batch)), slog.Any("error", err))
	}
}
