package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/notify/outbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestUINotifications: the history, the preferences and the demo outbox,
// in French, each person seeing only their own.
func TestUINotifications(t *testing.T) {
	ctx := context.Background()
	s := storetest.MustOpen(t, store.SQLite)
	box, err := outbox.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) {
		srv.Notifications, srv.Outbox = s, box
		srv.UI.MailConfigured = true
	})
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	bob := webtest.MustUserWithPassword(t, s, "bob@example.com")
	n := &freenahi.Notification{UserID: ana.ID, Kind: freenahi.NotifyConnectionAction, DedupKey: "connection:1:SCARequired:2026-12-07",
		Subject: "Crédit Agricole a besoin de vous", Body: "Crédit Agricole vous demande de confirmer votre identité.",
		Link: ts.URL + "/connections/1/repair", Email: freenahi.DeliverySent, EmailTo: ana.Email, Webhook: freenahi.DeliveryOff}
	if err := s.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	// The mail goes through SMTP to the outbox, as in the demo.
	m, err := notify.ParseSMTPURL(box.URL(), "notifications@demo.freenahi.local")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(ctx, notify.Mail{To: ana.Email, Subject: n.Subject, Body: n.Body + "\n\n" + n.Link}); err != nil {
		t.Fatal(err)
	}

	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, ana.ID)
	toFrench(t, c)
	f := &frenchPages{t: t}
	r := c.Get("/notifications")
	f.check("notifications", r, http.StatusOK)
	webtest.MustContain(t, r, "Crédit Agricole a besoin de vous", `href="`+n.Link+`"`, "E-mail\u00a0: envoyé", "Webhook\u00a0: non envoyé", `href="/outbox"`)
	r = c.Get("/outbox")
	f.check("outbox", r, http.StatusOK)
	webtest.MustContain(t, r, "Crédit Agricole a besoin de vous", "notifications@demo.freenahi.local", n.Link)
	r = c.Get("/settings/notifications")
	f.check("preferences", r, http.StatusOK)
	webtest.MustContain(t, r, `name="kind_weekly_summary" checked`, `<option value="fr" selected`)

	// A threshold typed the French way is kept exactly; an unchecked kind is off.
	form := url.Values{"language": {"fr"}, "email": {"on"}, "low_balance": {"1 000,50"}, "large_debit": {"500"},
		"webhook_url": {"https://ntfy.example/freenahi"}, "webhook_format": {"ntfy"}}
	for _, k := range freenahi.NotificationKinds {
		if k != freenahi.NotifyWeeklySummary {
			form.Set("kind_"+string(k), "on")
		}
	}
	r = c.Post("/settings/notifications", form)
	webtest.MustStatus(t, r, http.StatusSeeOther)
	webtest.MustContain(t, c.Follow(r), "Préférences enregistrées.")
	p, err := s.FindNotificationPrefs(ctx, ana.ID)
	if err != nil || p.LowBalance.String() != "1000.5" || p.LargeDebit.String() != "500" || p.WebhookFormat != "ntfy" ||
		p.Wants(freenahi.NotifyWeeklySummary) || !p.Wants(freenahi.NotifyLowBalance) {
		t.Fatalf("saved %+v %v", p, err)
	}
	// Refused input names the field, in French, and changes nothing.
	bad := url.Values{"language": {"fr"}, "low_balance": {"beaucoup"}, "webhook_url": {"https://ntfy.example/x"}}
	r = c.Post("/settings/notifications", bad)
	f.check("preferences, bad threshold", r, http.StatusUnprocessableEntity)
	webtest.MustContain(t, r, "Seuil de solde bas", "beaucoup")
	r = c.Post("/settings/notifications", url.Values{"language": {"fr"}, "webhook_url": {"ftp://x"}})
	f.check("preferences, bad webhook", r, http.StatusUnprocessableEntity)
	webtest.MustContain(t, r, "Adresse du webhook")
	if again, _ := s.FindNotificationPrefs(ctx, ana.ID); again.WebhookURL != "https://ntfy.example/freenahi" || again.LowBalance.String() != "1000.5" {
		t.Fatalf("refused input changed the preferences: %+v", again)
	}

	// Bob sees neither Ana's history nor her mail.
	cb := webtest.NewClient(t, ts.URL)
	cb.SignInAs(s, bob.ID)
	webtest.MustNotContain(t, cb.Get("/notifications"), "Crédit Agricole")
	webtest.MustNotContain(t, cb.Get("/outbox"), "Crédit Agricole")

}
