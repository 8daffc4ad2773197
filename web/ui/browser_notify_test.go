package ui_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/notify/outbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_NotificationsPhone: on a phone, in French, a person sets a
// low-balance threshold; a notification round sends the mail over SMTP to
// the outbox; it shows in the history and on the outbox page, links to the
// account, and nothing scrolls sideways.
func TestBrowser_NotificationsPhone(t *testing.T) {
	t.Parallel() // see TestMain
	ctx := context.Background()
	s := storetest.MustOpen(t, store.SQLite)
	box, err := outbox.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	// The store's clock is set before the server (and its job runner) starts.
	paris, _ := time.LoadLocation("Europe/Paris")
	tuesday := func() time.Time { return time.Date(2026, 12, 8, 10, 0, 0, 0, paris) } // no weekly summary
	s.Now = tuesday
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) {
		srv.Notifications, srv.Outbox = s, box
		srv.UI.MailConfigured = true
	})
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, u, 42)
	mailer, err := notify.ParseSMTPURL(box.URL(), "notifications@freenahi.test")
	if err != nil {
		t.Fatal(err)
	}
	svc := &notify.Service{Store: s, Mailer: mailer, BaseURL: ts.URL,
		Locale: func(lang string) notify.Localizer { return locale.New(lang, paris) }, Now: tuesday}

	b := newTab(t, ts.URL)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn("ana@example.com")
	b.open("/lang/fr?back=/settings/notifications")
	b.waitText("Me prévenir quand", false)
	b.fill(map[string]string{"low_balance": "1 000 000"}, `form button.primary`)
	b.waitText("Préférences enregistrées", false)
	b.shot("preferences-phone-fr")
	p, err := s.FindNotificationPrefs(ctx, u.ID)
	if err != nil || p.Language != "fr" || p.LowBalance == nil || p.LowBalance.String() != "1000000" {
		t.Fatalf("saved %+v %v", p, err)
	}
	if err := svc.Round(ctx); err != nil {
		t.Fatal(err)
	}
	mails := box.Mails(u.Email)
	if len(mails) == 0 || !contains(mails[0].Subject, "Solde bas sur") {
		t.Fatalf("mails %+v", mails)
	}
	b.open("/notifications")
	b.waitText("Solde bas sur", false)
	b.waitText("E-mail\u00a0: envoyé", false)
	b.shot("notifications-phone-fr")
	b.open("/outbox")
	b.waitText(mails[0].Subject, false)
	b.shot("outbox-phone-fr")
	wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || wide {
		t.Fatalf("the outbox scrolls sideways at 390 px (%v)", err)
	}
	// The link of the history leads to the account it is about.
	b.open("/notifications")
	b.do(chromedp.Click(chromedp.CSS(`.notification a`)))
	b.waitLocation("/accounts/")
	hist, _ := s.FindNotifications(ctx, u.ID, 10)
	for _, n := range hist {
		if n.Email != freenahi.DeliverySent {
			t.Errorf("%s: %s", n.DedupKey, n.Email)
		}
	}
}
