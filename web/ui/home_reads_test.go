package ui_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/ui"
	"github.com/freenahi/freenahi/web/webtest"
)

// countingSessions counts the session store's reads that every page
// request can make.
type countingSessions struct {
	ui.SessionStore
	finds, counts atomic.Int64
}

func (c *countingSessions) FindSession(ctx context.Context, id string) (*freenahi.User, time.Time, error) {
	c.finds.Add(1)
	return c.SessionStore.FindSession(ctx, id)
}

func (c *countingSessions) CountUsers(ctx context.Context) (int, error) {
	c.counts.Add(1)
	return c.SessionStore.CountUsers(ctx)
}

// TestHome_ReadsTheSessionOnce: the home page of a signed-in person reads
// the session once and never counts the users (a live session proves an
// account exists). Under 16 clients each extra read was one more wait
// for a database connection, which the pool hands to a random waiter.
// Without a session the users are counted: setup or sign-in.
func TestHome_ReadsTheSessionOnce(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	sessions := &countingSessions{SessionStore: s}
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Sessions = sessions })

	stranger := webtest.NewClient(t, ts.URL)
	if r := stranger.Get("/"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/setup" {
		t.Fatalf("home with no account: %d to %q, want 303 to /setup", r.Status, r.Header.Get("Location"))
	}
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	if r := stranger.Get("/"); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/signin" {
		t.Fatalf("home without a session: %d to %q, want 303 to /signin", r.Status, r.Header.Get("Location"))
	}
	if n := sessions.counts.Load(); n != 2 {
		t.Fatalf("without a session the users were counted %d times in two requests, want 2", n)
	}

	c := webtest.NewClient(t, ts.URL)
	c.SignIn("ana@example.com")
	for i := range 3 {
		finds, counts := sessions.finds.Load(), sessions.counts.Load()
		if r := c.Get("/"); r.Status != http.StatusOK {
			t.Fatalf("home, signed in: status %d", r.Status)
		}
		if d := sessions.finds.Load() - finds; d != 1 {
			t.Errorf("request %d: the session was read %d times, want 1", i+1, d)
		}
		if d := sessions.counts.Load() - counts; d != 0 {
			t.Errorf("request %d: the users were counted %d times, want 0", i+1, d)
		}
	}
}
