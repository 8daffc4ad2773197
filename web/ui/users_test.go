package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

var inviteLink = regexp.MustCompile(`value="https://money\.example(/invite\?token=[A-Za-z0-9_%-]+)"`)

// TestUIUsersAdmin: only the first user sees the users page; an invitation
// is mailed (and its link shown once), signs the person up; disabling ends
// their session and refuses sign-in; deleting asks for the address and
// removes their data.
func TestUIUsersAdmin(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ob, withMail := mailServer(t)
		ts, _ := webtest.NewUIServer(t, s, withMail)
		admin := webtest.MustUserWithPassword(t, s, "admin@example.com")
		bob := webtest.MustUserWithData(t, s, "bob@example.com", 42)
		a := webtest.NewClient(t, ts.URL)
		a.SignIn(admin.Email)
		b := webtest.NewClient(t, ts.URL)
		b.SignInAs(s, bob.ID)
		for _, path := range []string{"/users", "/users/1/delete"} {
			webtest.MustStatus(t, b.Get(path), http.StatusNotFound)
		}
		webtest.MustStatus(t, b.Post("/users/invite", url.Values{"email": {"x@example.com"}}), http.StatusNotFound)
		webtest.MustStatus(t, b.Post("/users/1/disable", nil), http.StatusNotFound)
		webtest.MustNotContain(t, b.Get("/settings/security"), `href="/users"`)
		webtest.MustContain(t, a.Get("/settings/security"), `href="/users"`)

		r := a.Get("/users")
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "admin@example.com", "bob@example.com")
		webtest.MustStatus(t, a.Post("/users/invite", url.Values{"email": {"bob@example.com"}}), http.StatusUnprocessableEntity)
		webtest.MustStatus(t, a.Post("/users/invite", url.Values{"email": {"not an address"}}), http.StatusUnprocessableEntity)
		r = a.Post("/users/invite", url.Values{"email": {"cleo@example.com"}})
		webtest.MustStatus(t, r, http.StatusOK)
		webtest.MustContain(t, r, "Invitation sent to cleo@example.com.")
		link := inviteLink.FindStringSubmatch(r.Body)
		if link == nil {
			t.Fatalf("no link shown:\n%s", webtest.Excerpt(r.Body))
		}
		m := waitMail(t, ob, "cleo@example.com", 1)
		if !strings.Contains(m.Body, "https://money.example"+link[1]) || !strings.Contains(m.Body, "admin@example.com") {
			t.Fatalf("the mail lacks the link or the inviter:\n%s", m.Body)
		}
		c := webtest.NewClient(t, ts.URL)
		webtest.MustContain(t, c.Get(link[1]), "cleo@example.com")
		token, _ := url.QueryUnescape(strings.TrimPrefix(link[1], "/invite?token="))
		r = c.Post("/invite", url.Values{"token": {token}, "password": {"cleo's long secret"}, "confirm": {"cleo's long secret"}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		c.Get("/accounts")
		webtest.MustStatus(t, c.Get("/accounts"), http.StatusOK)
		webtest.MustStatus(t, webtest.NewClient(t, ts.URL).Get(link[1]), http.StatusBadRequest)
		cleo, err := s.FindUserByEmail(context.Background(), "cleo@example.com")
		if err != nil {
			t.Fatal(err)
		}

		// Disable: Cleo is signed out and cannot sign in; enable again.
		webtest.MustStatus(t, a.Post("/users/"+itoa(cleo.ID)+"/disable", nil), http.StatusSeeOther)
		if r := c.Get("/accounts"); r.Status != http.StatusSeeOther {
			t.Fatalf("a disabled user's session works: %d", r.Status)
		}
		c.Get("/signin")
		r = c.Post("/signin", url.Values{"email": {"cleo@example.com"}, "password": {"cleo's long secret"}})
		webtest.MustStatus(t, r, http.StatusForbidden)
		webtest.MustContain(t, r, "This account is disabled.")
		r = c.Post("/signin", url.Values{"email": {"cleo@example.com"}, "password": {"wrong"}})
		webtest.MustStatus(t, r, http.StatusUnauthorized) // a wrong password says nothing more
		webtest.MustStatus(t, a.Post("/users/"+itoa(cleo.ID)+"/enable", nil), http.StatusSeeOther)
		c.Get("/signin")
		webtest.MustStatus(t, c.Post("/signin", url.Values{"email": {"cleo@example.com"}, "password": {"cleo's long secret"}}), http.StatusSeeOther)

		// The administrator cannot disable or delete themself here.
		webtest.MustStatus(t, a.Post("/users/"+itoa(admin.ID)+"/disable", nil), http.StatusForbidden)
		webtest.MustStatus(t, a.Get("/users/"+itoa(admin.ID)+"/delete"), http.StatusForbidden)

		// Bob is linked to a Powens user, which must go too: without
		// Powens configured, his deletion is refused and nothing changes.
		r = a.Post("/users/"+itoa(bob.ID)+"/delete", url.Values{"confirm": {"bob@example.com"}})
		webtest.MustStatus(t, r, http.StatusConflict)
		webtest.MustContain(t, r, "configure Powens first")
		if accts, err := s.FindAccounts(context.Background(), freenahi.AccountFilter{UserID: bob.ID}); err != nil || len(accts) == 0 {
			t.Fatalf("bob's accounts after a refused deletion: %d, %v", len(accts), err)
		}
		// Delete Cleo: the address must be typed; then she and her data are gone.
		tok, err := s.CreateAPIToken(context.Background(), cleo.ID, "laptop")
		if err != nil {
			t.Fatal(err)
		}
		webtest.MustContain(t, a.Get("/users/"+itoa(cleo.ID)+"/delete"), "Delete cleo@example.com and all their data?")
		webtest.MustStatus(t, a.Post("/users/"+itoa(cleo.ID)+"/delete", url.Values{"confirm": {"bob@example.com"}}), http.StatusUnprocessableEntity)
		if _, err := s.FindUserByID(context.Background(), cleo.ID); err != nil {
			t.Fatalf("a refused deletion deleted: %v", err)
		}
		r = a.Post("/users/"+itoa(cleo.ID)+"/delete", url.Values{"confirm": {" CLEO@example.com "}})
		webtest.MustStatus(t, r, http.StatusSeeOther)
		webtest.MustContain(t, a.Follow(r), "The user and all their data are deleted.")
		if _, err := s.FindUserByID(context.Background(), cleo.ID); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("cleo after deletion: %v", err)
		}
		if _, err := s.AuthenticateAPIToken(context.Background(), tok.Secret); err == nil {
			t.Fatal("a deleted user's API token works")
		}
		if r := c.Get("/accounts"); r.Status != http.StatusSeeOther {
			t.Fatalf("a deleted user's session works: %d", r.Status)
		}
	})
}

// TestUIUsersAdmin_NoMail: without mail the invitation's link is shown to
// pass on by hand.
func TestUIUsersAdmin_NoMail(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	admin := webtest.MustUserWithPassword(t, s, "admin@example.com")
	a := webtest.NewClient(t, ts.URL)
	a.SignIn(admin.Email)
	toFrench(t, a)
	f := &frenchPages{t: t}
	f.check("users", a.Get("/users"), http.StatusOK)
	r := a.Post("/users/invite", url.Values{"email": {"cleo@example.com"}})
	f.check("invitation made", r, http.StatusOK)
	webtest.MustContain(t, r, "transmettez-lui ce lien", "/invite?token=")
}
