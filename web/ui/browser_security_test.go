package ui_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/notify/outbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// browserCases are the two looks every security page is checked in.
var browserCases = []struct {
	name  string
	phone bool
	lang  string
}{{"DesktopEN", false, "en"}, {"PhoneFR", true, "fr"}}

// newSecurityTab opens a tab at desktop or phone width in a language.
func newSecurityTab(t *testing.T, base string, phone bool, lang string) *tab {
	t.Helper()
	b := newTab(t, base)
	if phone {
		b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	} else {
		b.do(chromedp.EmulateViewport(1280, 900))
	}
	b.open("/lang/" + lang + "?back=/signin")
	return b
}

// words picks the English or the French of a text the test waits for.
func words(lang, en, fr string) string {
	if lang == "fr" {
		return fr
	}
	return en
}

// TestBrowser_PasswordResetByMail: "forgot your password?", the address,
// the mail on the demo's outbox page (sent over SMTP to the outbox server),
// its link, a new password, signing in with it.
func TestBrowser_PasswordResetByMail(t *testing.T) {
	t.Parallel() // see TestMain
	for _, tc := range browserCases {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.MustOpen(t, store.SQLite)
			box, err := outbox.Start()
			if err != nil {
				t.Fatal(err)
			}
			defer box.Close()
			m, err := notify.ParseSMTPURL(box.URL(), "freenahi@demo.test")
			if err != nil {
				t.Fatal(err)
			}
			var base string
			ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) {
				srv.Notifications, srv.Outbox, srv.Mailer = s, box, m
				srv.UI.MailConfigured = true
				srv.UI.PublicURL = func() string { return base }
			})
			base = ts.URL
			webtest.MustUserWithPassword(t, s, "ana@example.com")
			b := newSecurityTab(t, ts.URL, tc.phone, tc.lang)
			b.open("/signin")
			b.do(chromedp.Click(chromedp.CSS(`a[href="/signin/forgot"]`)))
			b.waitPath("/signin/forgot")
			b.do(chromedp.WaitVisible(chromedp.ID("email")))
			b.shot("forgot-" + tc.name)
			b.fill(map[string]string{"email": "ana@example.com"}, `form button.primary`)
			b.waitPath("/outbox")
			b.waitText(words(tc.lang, "Choose a new freenahi password", "Choisir un nouveau mot de passe freenahi"), true)
			b.noOverflow()
			b.shot("reset-mail-outbox-" + tc.name)
			link := regexp.MustCompile(`/signin/reset\?token=[A-Za-z0-9_-]+`).FindString(b.html())
			if link == "" {
				t.Fatal("no reset link on the outbox page")
			}
			b.open(link)
			b.do(chromedp.WaitVisible(chromedp.ID("new")))
			b.noOverflow()
			b.shot("reset-form-" + tc.name)
			b.fill(map[string]string{"new": "a fresh long secret", "confirm": "a fresh long secret"}, `form button.primary`)
			b.waitText(words(tc.lang, "Your password is set.", "Votre mot de passe est enregistré."), false)
			b.shot("reset-done-" + tc.name)
			b.fill(map[string]string{"email": "ana@example.com", "password": "a fresh long secret"}, `form button.primary`)
			b.do(chromedp.WaitReady(chromedp.CSS(`form[action="/signout"]`)))
		})
	}
}

// TestBrowser_TwoFactor: enrolment (QR code, key as text, a code of the
// test's own TOTP), recovery codes shown once, the sessions list, then a
// sign-in that asks for a code.
func TestBrowser_TwoFactor(t *testing.T) {
	t.Parallel() // see TestMain
	for _, tc := range browserCases {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.MustOpen(t, store.SQLite)
			clk := &settledClock{now: time.Date(2026, 4, 1, 9, 0, 10, 0, time.UTC)}
			s.Now = clk.Now
			ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Now = clk.Now })
			webtest.MustUserWithPassword(t, s, "ana@example.com")
			other := newTab(t, ts.URL)
			other.signIn("ana@example.com")
			b := newSecurityTab(t, ts.URL, tc.phone, tc.lang)
			b.signIn("ana@example.com")
			b.open("/settings/security")
			b.waitText(words(tc.lang, "Where you are signed in", "Où vous êtes connecté"), false)
			b.noOverflow()
			b.shot("security-" + tc.name)
			b.do(chromedp.Click(chromedp.CSS(`form[action="/settings/security/2fa/start"] button`)))
			b.waitPath("/settings/security/2fa")
			b.do(chromedp.WaitVisible(chromedp.CSS(`img.qr`)))
			b.noOverflow()
			b.shot("totp-enrol-" + tc.name)
			secret := secretField.FindStringSubmatch(b.html())
			if secret == nil {
				t.Fatal("no key shown as text")
			}
			secret[1] = strings.ReplaceAll(secret[1], " ", "")
			b.fill(map[string]string{"code": webtest.TOTP(t, secret[1], clk.Now())}, `form button.primary`)
			b.waitText(words(tc.lang, "Your recovery codes", "Vos codes de secours"), false)
			b.noOverflow()
			b.shot("totp-recovery-codes-" + tc.name)
			if n := strings.Count(b.html(), "<li><code>"); n != 10 {
				t.Fatalf("%d recovery codes shown", n)
			}
			b.do(chromedp.Click(chromedp.CSS(`form[action="/settings/sessions/signout-all"] button`)))
			b.waitPath("/signin")
			other.open("/accounts")
			other.waitLocation("/signin")

			clk.Add(30 * time.Second)
			b.fill(map[string]string{"email": "ana@example.com", "password": webtest.Password}, `form button.primary`)
			b.waitPath("/signin/2fa")
			b.do(chromedp.WaitVisible(chromedp.ID("code")))
			b.noOverflow()
			b.shot("totp-signin-" + tc.name)
			b.fill(map[string]string{"code": webtest.TOTP(t, secret[1], clk.Now())}, `form button.primary`)
			b.do(chromedp.WaitReady(chromedp.CSS(`form[action="/signout"]`)))
		})
	}
}

// TestBrowser_UsersPage: the administrator invites someone (the link shown
// without mail), then is asked to confirm a deletion.
func TestBrowser_UsersPage(t *testing.T) {
	t.Parallel() // see TestMain
	for _, tc := range browserCases {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.MustOpen(t, store.SQLite)
			ts, _ := webtest.NewUIServer(t, s)
			webtest.MustUserWithPassword(t, s, "admin@example.com")
			webtest.MustUserWithPassword(t, s, "bob@example.com")
			b := newSecurityTab(t, ts.URL, tc.phone, tc.lang)
			b.signIn("admin@example.com")
			b.open("/settings/security")
			b.do(chromedp.Click(chromedp.CSS(`a[href="/users"]`)))
			b.waitPath("/users")
			b.fill(map[string]string{"email": "cleo@example.com"}, `form[action="/users/invite"] button.primary`)
			b.waitText("cleo@example.com", false)
			b.noOverflow()
			b.shot("users-invited-" + tc.name)
			b.do(chromedp.Click(chromedp.CSS(`a[href="/users/2/delete"]`)))
			b.waitPath("/users/2/delete")
			b.noOverflow()
			b.shot("user-delete-" + tc.name)
			b.fill(map[string]string{"confirm": "bob@example.com"}, `button.danger`)
			b.waitText(words(tc.lang, "The user and all their data are deleted.", "L’utilisateur et toutes ses données sont supprimés."), false)
			b.shot("user-deleted-" + tc.name)
		})
	}
}
