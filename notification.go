package freenahi

import (
	"context"
	"net/url"
	"slices"
	"time"
)

// Notifications tell a person, by e-mail or through a webhook (ntfy,
// Gotify, Apprise), about something that needs them: a connection to
// repair, a consent about to end, syncs failing, a low balance, a large
// debit, an accounting file refused, and once a week a summary. Each is
// derived from stored state, kept in a history, and sent at most once per
// condition and day.

// NotificationKind names a condition a person can be told about.
type NotificationKind string

// Notification kinds.
const (
	NotifyConnectionAction NotificationKind = "connection_action" // SCA, webauth, wrong password, action at the bank, expired password
	NotifyConsentExpiring  NotificationKind = "consent_expiring"  // a PSD2 consent ends within 7 days
	NotifySyncFailing      NotificationKind = "sync_failing"      // no successful sync for more than a day
	NotifyLowBalance       NotificationKind = "low_balance"       // a checking account under the person's threshold
	NotifyLargeDebit       NotificationKind = "large_debit"       // a debit larger than the person's threshold
	NotifyInqomFile        NotificationKind = "inqom_file"        // Inqom refused a file, or its outcome is unknown
	NotifyWeeklySummary    NotificationKind = "weekly_summary"    // Monday's summary of the accounts
	NotifyBudgetExceeded   NotificationKind = "budget_exceeded"   // a month's spending went over a budget
)

// NotificationKinds lists the kinds in the order pages show them.
var NotificationKinds = []NotificationKind{NotifyConnectionAction, NotifyConsentExpiring, NotifySyncFailing,
	NotifyLowBalance, NotifyLargeDebit, NotifyInqomFile, NotifyWeeklySummary, NotifyBudgetExceeded}

// Webhook formats: JSON (Gotify's and Apprise's fields together) or ntfy's
// plain text with Title and Click headers.
const (
	WebhookFormatJSON = "json"
	WebhookFormatNtfy = "ntfy"
)

// NotificationPrefs are a person's choices. A person who saved none gets
// DefaultNotificationPrefs.
type NotificationPrefs struct {
	UserID int64
	// Language of the messages ("en" or "fr").
	Language string
	// Email turns mail on; it goes to the person's sign-in address.
	Email bool
	// WebhookURL receives each message by POST when set; it may carry a
	// token (Gotify's ?token=), so the store seals it at rest.
	WebhookURL    string
	WebhookFormat string
	// Off lists the kinds the person does not want.
	Off []NotificationKind
	// LowBalance and LargeDebit are thresholds in the account's currency;
	// nil leaves the condition off.
	LowBalance *Decimal
	LargeDebit *Decimal
}

// DefaultNotificationPrefs are the choices of a person who saved none:
// mail on, every kind on, no threshold.
func DefaultNotificationPrefs(userID int64, lang string) *NotificationPrefs {
	return &NotificationPrefs{UserID: userID, Language: lang, Email: true, WebhookFormat: WebhookFormatJSON}
}

// Wants reports whether the person wants notifications of kind k.
func (p *NotificationPrefs) Wants(k NotificationKind) bool { return !slices.Contains(p.Off, k) }

// Validate checks the preferences, naming the field at fault.
func (p *NotificationPrefs) Validate() error {
	if p.Language != "en" && p.Language != "fr" {
		return FieldErrorf("language", "must be en or fr")
	}
	switch p.WebhookFormat {
	case "":
		p.WebhookFormat = WebhookFormatJSON
	case WebhookFormatJSON, WebhookFormatNtfy:
	default:
		return FieldErrorf("webhook_format", "must be json or ntfy")
	}
	if p.WebhookURL != "" {
		u, err := url.Parse(p.WebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return FieldErrorf("webhook_url", "must be an http:// or https:// address")
		}
		if len(p.WebhookURL) > 2000 {
			return FieldErrorf("webhook_url", "is longer than 2000 characters")
		}
	}
	for _, k := range p.Off {
		if !slices.Contains(NotificationKinds, k) {
			return FieldErrorf("off", "%q is not a kind of notification", k)
		}
	}
	for name, d := range map[string]*Decimal{"low_balance": p.LowBalance, "large_debit": p.LargeDebit} {
		if d != nil && d.Sign() < 0 {
			return FieldErrorf(name, "must not be negative")
		}
	}
	return nil
}

// DeliveryStatus is where one channel's delivery of a notification stands.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryOff     DeliveryStatus = "off"     // the channel is not configured or not wanted
	DeliveryPending DeliveryStatus = "pending" // to send (again)
	DeliverySent    DeliveryStatus = "sent"
	DeliveryFailed  DeliveryStatus = "failed" // gave up after several attempts
)

// Notification is one message to a person, rendered in their language when
// it was raised, with the state of its deliveries.
type Notification struct {
	ID     int64
	UserID int64
	Kind   NotificationKind
	// DedupKey names the condition and, for lasting ones, the day: a second
	// notification with the same key is never raised.
	DedupKey string
	Subject  string
	Body     string
	// Link is the absolute URL of the screen that fixes it.
	Link      string
	CreatedAt time.Time
	Email     DeliveryStatus
	EmailTo   string
	Webhook   DeliveryStatus
	Attempts  int
	// LastError is why the last delivery attempt failed, for the history.
	LastError string
}

// NotificationService keeps preferences and the history of notifications.
// Every method is scoped to one user except those used by the sender.
type NotificationService interface {
	// FindNotificationPrefs returns the user's preferences, or ENOTFOUND
	// when they saved none.
	FindNotificationPrefs(ctx context.Context, userID int64) (*NotificationPrefs, error)
	// SaveNotificationPrefs validates and stores the user's preferences.
	SaveNotificationPrefs(ctx context.Context, p *NotificationPrefs) error
	// AddNotification stores n and sets its ID and CreatedAt; ECONFLICT when
	// the user already has a notification with its DedupKey (it is then not
	// to be sent).
	AddNotification(ctx context.Context, n *Notification) error
	// UpdateNotificationDelivery stores the delivery statuses, attempts and
	// last error of n.
	UpdateNotificationDelivery(ctx context.Context, n *Notification) error
	// FindNotifications returns the user's latest notifications, newest first.
	FindNotifications(ctx context.Context, userID int64, limit int) ([]*Notification, error)
	// FindUndeliveredNotifications returns every user's notifications with a
	// pending delivery created since t, oldest first.
	FindUndeliveredNotifications(ctx context.Context, since time.Time) ([]*Notification, error)
	// AcquireLease takes or renews the named lease for holder until now+d;
	// false when another holder has it, so that one instance runs the
	// rounds when several share a database.
	AcquireLease(ctx context.Context, name, holder string, d time.Duration) (bool, error)
}
