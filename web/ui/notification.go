package ui

import (
	"context"
	"net/http"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/notify/outbox"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// NotificationStore keeps a person's notification preferences and history.
type NotificationStore interface {
	FindNotificationPrefs(ctx context.Context, userID int64) (*freenahi.NotificationPrefs, error)
	SaveNotificationPrefs(ctx context.Context, p *freenahi.NotificationPrefs) error
	FindNotifications(ctx context.Context, userID int64, limit int) ([]*freenahi.Notification, error)
}

// Outbox is the demo's mail server: what it received for an address.
type Outbox interface {
	Mails(to string) []outbox.Mail
}

func (s *Handler) registerUINotificationRoutes(mux *http.ServeMux) {
	if s.Notifications == nil {
		return
	}
	mux.HandleFunc("GET /notifications", s.signedIn(s.handleNotificationIndex))
	mux.HandleFunc("GET /settings/notifications", s.signedIn(s.handleNotificationPrefsForm))
	mux.HandleFunc("POST /settings/notifications", s.signedIn(s.handleNotificationPrefsSave))
	if s.Outbox != nil {
		mux.HandleFunc("GET /outbox", s.page(s.handleOutboxDemo))
	}
}

type notificationsView struct {
	Notifications []*freenahi.Notification
	Outbox        bool
}

func (s *Handler) handleNotificationIndex(w http.ResponseWriter, r *http.Request) {
	list, err := s.Notifications.FindNotifications(r.Context(), request.User(r.Context()).ID, 100)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notifications", &page{Title: "notifications.title", Nav: "notifications",
		Data: notificationsView{Notifications: list, Outbox: s.Outbox != nil}})
}

// prefsView is the preferences form; thresholds keep what was typed.
type prefsView struct {
	Prefs      *freenahi.NotificationPrefs
	Email      string
	Mail       bool // SMTP is configured
	Kinds      []freenahi.NotificationKind
	LowBalance string
	LargeDebit string
}

func (v prefsView) Wants(k freenahi.NotificationKind) bool { return v.Prefs.Wants(k) }

func (s *Handler) handleNotificationPrefsForm(w http.ResponseWriter, r *http.Request) {
	u := request.User(r.Context())
	p, err := s.Notifications.FindNotificationPrefs(r.Context(), u.ID)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
		p, err = freenahi.DefaultNotificationPrefs(u.ID, s.localeOf(r).Lang()), nil
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := prefsView{Prefs: p}
	if p.LowBalance != nil {
		v.LowBalance = p.LowBalance.String()
	}
	if p.LargeDebit != nil {
		v.LargeDebit = p.LargeDebit.String()
	}
	s.renderPrefs(w, r, http.StatusOK, v, "")
}

func (s *Handler) renderPrefs(w http.ResponseWriter, r *http.Request, status int, v prefsView, msg string) {
	v.Email = request.User(r.Context()).Email
	v.Mail = s.Config.MailConfigured
	v.Kinds = freenahi.NotificationKinds
	s.render(w, r, status, "notification_prefs", &page{Title: "prefs.title", Nav: "notifications", Error: msg, Data: v})
}

func (s *Handler) handleNotificationPrefsSave(w http.ResponseWriter, r *http.Request) {
	u := request.User(r.Context())
	f := r.PostForm
	p := &freenahi.NotificationPrefs{UserID: u.ID, Language: f.Get("language"), Email: f.Get("email") == "on",
		WebhookURL: strings.TrimSpace(f.Get("webhook_url")), WebhookFormat: f.Get("webhook_format")}
	for _, k := range freenahi.NotificationKinds {
		if f.Get("kind_"+string(k)) != "on" {
			p.Off = append(p.Off, k)
		}
	}
	v := prefsView{Prefs: p, LowBalance: strings.TrimSpace(f.Get("low_balance")), LargeDebit: strings.TrimSpace(f.Get("large_debit"))}
	var err error
	if p.LowBalance, err = threshold("low_balance", v.LowBalance); err == nil {
		p.LargeDebit, err = threshold("large_debit", v.LargeDebit)
	}
	if err == nil {
		err = s.Notifications.SaveNotificationPrefs(r.Context(), p)
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		s.renderPrefs(w, r, http.StatusUnprocessableEntity, v, s.localeOf(r).Err(err))
		return
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings/notifications?msg=flash.prefs_saved", http.StatusSeeOther)
}

// threshold reads an amount typed the French way (1 000,50) or the English
// way (1,000.50 is refused as ambiguous only when it has both): nil when empty.
func threshold(field, text string) (*freenahi.Decimal, error) {
	if text == "" {
		return nil, nil
	}
	clean := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "").Replace(text)
	if !strings.Contains(clean, ".") {
		clean = strings.Replace(clean, ",", ".", 1)
	}
	d, err := freenahi.ParseDecimal(clean)
	if err != nil {
		return nil, freenahi.FieldErrorf(field, "%q is not an amount such as -12.50", text)
	}
	return &d, nil
}

type outboxView struct {
	Mails []outbox.Mail
}

func (s *Handler) handleOutbox(w http.ResponseWriter, r *http.Request) {
	mails := s.Outbox.Mails(request.User(r.Context()).Email)
	s.render(w, r, http.StatusOK, "outbox", &page{Title: "outbox.title", Nav: "notifications", Data: outboxView{Mails: mails}})
}
