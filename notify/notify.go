// Package notify tells people what needs them. A round reads each person's
// stored state (connections, accounts, transactions, the Inqom ledger),
// derives the conditions they want to hear about, renders each once in
// their language with a link to the screen that fixes it, records it under
// a dedup key (so a condition is told at most once a day, whichever
// instance sees it) and delivers it by e-mail (SMTP) and to a webhook
// (ntfy, Gotify, Apprise). Several instances may run against one database:
// a lease elects the one that runs rounds; failed deliveries are retried in
// later rounds for a day.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
)

// Store is what a round reads and writes.
type Store interface {
	freenahi.NotificationService
	FindUsers(ctx context.Context) ([]*freenahi.User, error)
	FindConnections(ctx context.Context, userID int64) ([]*freenahi.Connection, error)
	FindAccounts(ctx context.Context, filter freenahi.AccountFilter) ([]*freenahi.Account, error)
	FindTransactions(ctx context.Context, filter freenahi.TransactionFilter) ([]*freenahi.Transaction, *freenahi.Cursor, error)
	FindInqomMappings(ctx context.Context, userID int64) ([]*freenahi.InqomMapping, error)
	FindExportBatches(ctx context.Context, userID, mappingID int64, limit int) ([]*freenahi.ExportBatch, error)
	FindCategories(ctx context.Context, userID int64) ([]*freenahi.Category, error)
	BudgetProgress(ctx context.Context, userID int64, month freenahi.Date) ([]freenahi.BudgetProgress, error)
}

// Localizer renders messages in one language (the web/locale package's
// Locale): plural rules, money, dates and instants with their time zone.
type Localizer interface {
	T(key string, args ...any) string
	Money(minor int64, c freenahi.Currency) string
	Date(d freenahi.Date) string
	Time(t *time.Time) string
	Zone() *time.Location
}

// Mailer sends one e-mail.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Mail is one message: plain text, UTF-8.
type Mail struct {
	To, Subject, Body string
}

// Defaults of a Service.
const (
	DefaultInterval    = 5 * time.Minute
	DefaultMaxAttempts = 5
	leaseName          = "notify"
)

// Service runs notification rounds. Set its fields, then Run.
type Service struct {
	Store Store
	// Locale returns the localizer of a language. Required.
	Locale func(lang string) Localizer
	// Language is the language of people who saved no preferences.
	Language string
	// BaseURL is the absolute address of the UI (FREENAHI_BASE_URL), from
	// which each message links to the screen that fixes it.
	BaseURL string
	// Mailer sends e-mail; nil when SMTP is not configured.
	Mailer Mailer
	// HTTP posts to webhooks (default: a client with a 15 s timeout).
	HTTP *http.Client
	// Interval between rounds (default 5 min); MaxAttempts bounds the
	// deliveries of one notification (default 5).
	Interval    time.Duration
	MaxAttempts int
	// Holder names this instance for the lease (default: random).
	Holder string
	// holderOnce sets the default Holder once: the demo ticks while the
	// server's loop does.
	holderOnce sync.Once
	Logger     *slog.Logger
	Now        func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Service) interval() time.Duration {
	if s.Interval > 0 {
		return s.Interval
	}
	return DefaultInterval
}

func (s *Service) maxAttempts() int {
	if s.MaxAttempts > 0 {
		return s.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (s *Service) httpClient() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return &http.Client{Timeout: 15 * time.Second}
}

// Run runs a round every Interval while this instance holds the lease,
// until ctx ends. The lease lasts three intervals, so another instance
// takes over within that time after this one stops.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.interval())
	defer t.Stop()
	for {
		if _, err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.logger().Error("notification round", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick runs a round if this instance holds (or takes) the lease, and
// reports whether it did.
func (s *Service) Tick(ctx context.Context) (bool, error) {
	s.holderOnce.Do(func() {
		if s.Holder == "" {
			b := make([]byte, 8)
			rand.Read(b)
			s.Holder = hex.EncodeToString(b)
		}
	})
	held, err := s.Store.AcquireLease(ctx, leaseName, s.Holder, 3*s.interval())
	if err != nil || !held {
		return false, err
	}
	return true, s.Round(ctx)
}

// Round raises the conditions of every person and delivers what is
// pending. One person's failure does not stop the others'.
func (s *Service) Round(ctx context.Context) error {
	users, err := s.Store.FindUsers(ctx)
	if err != nil {
		return fmt.Errorf("notification round: %w", err)
	}
	var errs []error
	for _, u := range users {
		if err := s.RaiseFor(ctx, u); err != nil {
			errs = append(errs, fmt.Errorf("user %d: %w", u.ID, err))
		}
	}
	if err := s.Deliver(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Prefs returns the person's preferences, or the defaults.
func (s *Service) Prefs(ctx context.Context, userID int64) (*freenahi.NotificationPrefs, error) {
	p, err := s.Store.FindNotificationPrefs(ctx, userID)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
		lang := s.Language
		if lang != "fr" {
			lang = "en"
		}
		return freenahi.DefaultNotificationPrefs(userID, lang), nil
	}
	return p, err
}

// RaiseFor records the person's current conditions that were not told yet
// (today, for lasting ones), ready for delivery, and returns the first error.
func (s *Service) RaiseFor(ctx context.Context, u *freenahi.User) error {
	p, err := s.Prefs(ctx, u.ID)
	if err != nil {
		return err
	}
	l := s.Locale(p.Language)
	found, err := s.conditions(ctx, u, p, l, s.now())
	if err != nil {
		return err
	}
	for _, n := range found {
		if !p.Wants(n.Kind) {
			continue
		}
		n.UserID = u.ID
		n.Email, n.Webhook = freenahi.DeliveryOff, freenahi.DeliveryOff
		if p.Email && s.Mailer != nil {
			n.Email, n.EmailTo = freenahi.DeliveryPending, u.Email
		}
		if p.WebhookURL != "" {
			n.Webhook = freenahi.DeliveryPending
		}
		switch err := s.Store.AddNotification(ctx, n); freenahi.ErrorCode(err) {
		case "", freenahi.ECONFLICT: // told already: never twice
		default:
			return err
		}
	}
	return nil
}

// Deliver sends every pending delivery of the last day, recording each
// outcome; a delivery failing MaxAttempts times is given up.
func (s *Service) Deliver(ctx context.Context) error {
	pending, err := s.Store.FindUndeliveredNotifications(ctx, s.now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	prefs := map[int64]*freenahi.NotificationPrefs{}
	for _, n := range pending {
		p, ok := prefs[n.UserID]
		if !ok {
			if p, err = s.Prefs(ctx, n.UserID); err != nil {
				return err
			}
			prefs[n.UserID] = p
		}
		s.deliver(ctx, n, p)
		if err := s.Store.UpdateNotificationDelivery(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) deliver(ctx context.Context, n *freenahi.Notification, p *freenahi.NotificationPrefs) {
	n.Attempts++
	var errs []string
	give := func(status *freenahi.DeliveryStatus, channel string, err error) {
		switch {
		case err == nil:
			*status = freenahi.DeliverySent
			return
		case n.Attempts >= s.maxAttempts():
			*status = freenahi.DeliveryFailed
		}
		errs = append(errs, channel+": "+err.Error())
		s.logger().Warn("notification not delivered", slog.Int64("notification_id", n.ID), slog.String("channel", channel),
			slog.Int("attempt", n.Attempts), slog.Any("error", err))
	}
	if n.Email == freenahi.DeliveryPending {
		if s.Mailer == nil {
			n.Email = freenahi.DeliveryOff
		} else {
			give(&n.Email, "e-mail", s.Mailer.Send(ctx, Mail{To: n.EmailTo, Subject: n.Subject, Body: n.Body + "\n\n" + n.Link + "\n"}))
		}
	}
	if n.Webhook == freenahi.DeliveryPending {
		if p.WebhookURL == "" {
			n.Webhook = freenahi.DeliveryOff
		} else {
			give(&n.Webhook, "webhook", PostWebhook(ctx, s.httpClient(), p.WebhookURL, p.WebhookFormat, n))
		}
	}
	n.LastError = strings.Join(errs, "; ")
}

// link is the absolute URL of a page of the UI.
func (s *Service) link(path string) string {
	return strings.TrimRight(s.BaseURL, "/") + path
}
