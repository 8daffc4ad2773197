package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/password"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUIPasswordChange: refused attempts say why in French and change
// nothing; a good one keeps this session and ends the others.
func TestUIPasswordChange(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	other := webtest.NewClient(t, ts.URL)
	other.SignIn(u.Email)
	c := webtest.NewClient(t, ts.URL)
	c.SignIn(u.Email)
	toFrench(t, c)
	f := &frenchPages{t: t}
	f.check("password form", c.Get("/settings/password"), http.StatusOK)
	for name, tc := range map[string]struct {
		form url.Values
		want string
	}{
		"wrong current": {url.Values{"current": {"not it at all"}, "new": {"a new password"}, "confirm": {"a new password"}}, "Le mot de passe actuel n’est pas le bon"},
		"short":         {url.Values{"current": {webtest.Password}, "new": {"short"}, "confirm": {"short"}}, "au moins 10 caractères"},
		"mismatch":      {url.Values{"current": {webtest.Password}, "new": {"a new password"}, "confirm": {"another one!"}}, "Les deux mots de passe diffèrent"},
	} {
		r := c.Post("/settings/password", tc.form)
		f.check(name, r, http.StatusUnprocessableEntity)
		webtest.MustContain(t, r, tc.want)
	}
	if h, _ := s.UserPasswordHash(context.Background(), u.ID); password.Verify(h, webtest.Password) != nil {
		t.Fatal("a refused change changed the password")
	}
	r := c.Post("/settings/password", url.Values{"current": {webtest.Password}, "new": {"a new password"}, "confirm": {"a new password"}})
	webtest.MustStatus(t, r, http.StatusSeeOther)
	webtest.MustContain(t, c.Follow(r), "Mot de passe changé.")
	if h, _ := s.UserPasswordHash(context.Background(), u.ID); password.Verify(h, "a new password") != nil {
		t.Fatal("the new password does not verify")
	}
	if r := other.Get("/accounts"); r.Status != http.StatusSeeOther {
		t.Fatalf("the other session still works: %d", r.Status)
	}
	webtest.MustStatus(t, c.Get("/accounts"), http.StatusOK)
}

// TestBrowser_PasswordChangePhone: the form on a phone, in French; the
// other browser is signed out.
func TestBrowser_PasswordChangePhone(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	other := newTab(t, ts.URL)
	other.signIn("ana@example.com")
	b := newTab(t, ts.URL)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn("ana@example.com")
	b.open("/lang/fr?back=/settings/password")
	b.waitText("Mot de passe actuel", false)
	b.fill(map[string]string{"current": webtest.Password, "new": "a new password", "confirm": "a new password"}, `form button.primary`)
	b.waitText("Mot de passe changé.", false)
	b.shot("password-changed-phone-fr")
	other.open("/accounts")
	other.waitLocation("/signin")
}
