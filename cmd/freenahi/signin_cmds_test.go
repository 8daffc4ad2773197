package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUserUnlock: strangers' failures delay a new browser of the owner;
// `freenahi user unlock` ends that at once. The owner's known browser
// signs in throughout, and still after a restart (the device cookie is
// signed with a key derived from the secrets key, not a per-process one).
// The database's clock stands still: the delays are counted in its time,
// and a loaded machine once took longer than the first delay (10 s) between
// the eighth guess and the new browser's attempt.
func TestUserUnlock(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			tm := newTestMain(t, engine)
			stopped := time.Now()
			tm.now = func() time.Time { return stopped }
			tm.run(webtest.Password+"\n", "user", "create", "--email", "ana@example.com", "--password-stdin")
			base, stop := tm.serve()
			owner := webtest.NewClient(t, base)
			owner.SignIn("ana@example.com")
			signin := func(c *webtest.Client, pw string) int {
				c.Get("/signin")
				return c.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {pw}}).Status
			}
			stranger := webtest.NewClient(t, base)
			for range 8 {
				signin(stranger, "guess")
			}
			if st := signin(webtest.NewClient(t, base), webtest.Password); st != http.StatusTooManyRequests {
				t.Fatalf("a new browser after 8 wrong passwords: status %d, want 429", st)
			}
			stop()
			base, stop = tm.serve()
			defer stop()
			owner.Base = base
			if st := signin(owner, webtest.Password); st != http.StatusSeeOther {
				t.Fatalf("the owner's browser after a restart: status %d, want 303", st)
			}
			out := tm.run("", "user", "unlock", "--email", "ANA@example.com")
			if !strings.Contains(out, "unlocked ana@example.com") {
				t.Fatalf("user unlock: %s", out)
			}
			if st := signin(webtest.NewClient(t, base), webtest.Password); st != http.StatusSeeOther {
				t.Fatalf("a new browser after unlock: status %d, want 303", st)
			}
			if err := tm.runErr("", "user", "unlock", "--email", "ghost@example.com"); err == nil || !strings.Contains(err.Error(), "not found") {
				t.Fatalf("unlock of an unknown user: %v", err)
			}
		})
	}
}
