package webtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/jobs"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/web"
)

// StartJobs runs a job runner over s with the handlers of the real services
// srv is wired to, as srv's runner unless it has one, until the test ends or
// stop is called (an instance shutting down).
func StartJobs(t testing.TB, s *store.Store, srv *web.Server) (r *jobs.Runner, stop func()) {
	t.Helper()
	r = &jobs.Runner{Store: s, Poll: 20 * time.Millisecond, Lease: 3 * time.Second, Grace: time.Second}
	if agg, ok := srv.Aggregator.(*aggregator.Service); ok {
		if agg.PollInterval == 0 {
			agg.PollInterval = 20 * time.Millisecond
		}
		agg.RegisterJobs(r)
	}
	if p, ok := srv.Inqom.(*export.Pusher); ok {
		p.RegisterJobs(r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	if srv.Jobs == nil {
		srv.Jobs = r
	}
	return r, stop
}
