package freenahi

import (
	"context"
	"time"
)

// Webhook event names, as they appear in our receiver paths (/webhook/<name>/).
const (
	EventConnectionSynced  = "connection_synced"
	EventConnectionDeleted = "connection_deleted"
	EventAccountDisabled   = "account_disabled"
	EventAccountEnabled    = "account_enabled"
	EventUserDeleted       = "user_deleted"
	// EventReconcile is not a Powens event: it carries data pulled by the
	// periodic reconcile, in the CONNECTION_SYNCED shape, so that pulled data goes
	// through the same ingestion path and the same per-user ordering.
	EventReconcile = "reconcile"
)

// WebhookEvents lists the Powens events freenahi receives.
var WebhookEvents = []string{EventConnectionSynced, EventConnectionDeleted, EventAccountDisabled, EventAccountEnabled, EventUserDeleted}

// InboxStatus is the processing status of an inbox event.
type InboxStatus string

// Inbox statuses.
const (
	// StatusUnmatched: the Powens user is not linked to a freenahi user yet.
	StatusUnmatched  InboxStatus = "unmatched"
	StatusPending    InboxStatus = "pending"
	StatusProcessing InboxStatus = "processing"
	StatusProcessed  InboxStatus = "processed"
	StatusFailed     InboxStatus = "failed"
)

// Webhook authentication methods recorded with each event.
const (
	AuthHMAC   = "hmac"
	AuthBearer = "bearer"
	AuthLocal  = "local" // made by freenahi itself (reconcile)
)

// InboxEvent is one received webhook (or reconcile pull), kept raw so that a
// fixed parser can replay it.
type InboxEvent struct {
	ID    int64
	Event string
	// DeliveryKey makes receipt idempotent: "wd:<id_webhook_data>" or "sha256:<body hash>".
	DeliveryKey  string
	PowensUserID *int64
	UserID       *int64
	Auth         string
	// TokenHash is the SHA-256 of the bearer token of an unmatched bearer-auth event,
	// checked against the linked token before the event is released.
	TokenHash     []byte
	Status        InboxStatus
	Attempts      int
	LastError     string
	Body          []byte
	BodySize      int64
	ReceivedAt    time.Time
	NextAttemptAt time.Time
	ProcessedAt   *time.Time
}

// InboxFilter selects inbox events for listing.
type InboxFilter struct {
	Status *InboxStatus
	UserID *int64
	Limit  int
}

// InboxStats summarises the inbox for metrics.
type InboxStats struct {
	Depth     map[InboxStatus]int64
	OldestAge time.Duration // of the oldest pending event
}

// InboxService stores and hands out webhook events.
type InboxService interface {
	// ReceiveEvent stores e durably; duplicate reports that an event with the
	// same event name and delivery key was already stored (and nothing changed).
	ReceiveEvent(ctx context.Context, e *InboxEvent) (duplicate bool, err error)
	// ClaimEvent leases the next processable event; ENOTFOUND when none is
	// ready. Events of one Powens user are handed out one at a time, in order
	// of arrival.
	ClaimEvent(ctx context.Context, lease time.Duration) (*InboxEvent, error)
	// ProcessEvent runs fn in one database transaction and marks the event
	// processed in that same transaction.
	ProcessEvent(ctx context.Context, e *InboxEvent, fn func(ctx context.Context, w SyncWriter) error) error
	// FailEvent records a failed attempt: retried at next, or failed for good when next is nil.
	FailEvent(ctx context.Context, id int64, cause string, next *time.Time) error
	// ReplayEvent puts a processed or failed event back in the queue.
	ReplayEvent(ctx context.Context, id int64) error
	FindEvents(ctx context.Context, filter InboxFilter) ([]*InboxEvent, error)
	FindEventByID(ctx context.Context, id int64) (*InboxEvent, error)
	InboxStats(ctx context.Context) (*InboxStats, error)
}

// SyncWriter writes one event's data inside its database transaction. Every
// method is an idempotent upsert keyed by Powens ids and scoped to UserID.
type SyncWriter interface {
	UserID() int64
	// UpsertConnection sets c.ID.
	UpsertConnection(ctx context.Context, c *Connection) error
	// ConnectionID returns our id of a connection by its Powens id, or ENOTFOUND.
	ConnectionID(ctx context.Context, powensConnectionID int64) (int64, error)
	// MarkConnectionDeleted soft-deletes a connection and its accounts.
	MarkConnectionDeleted(ctx context.Context, powensConnectionID int64, at time.Time) error
	// UpsertAccount sets a.ID; a.ConnectionID must be set.
	UpsertAccount(ctx context.Context, a *Account) error
	// SetAccountDisabled records an account_enabled / account_disabled event.
	SetAccountDisabled(ctx context.Context, powensAccountID int64, disabled *time.Time) error
	// UpsertTransactions writes a batch of one account's transactions.
	UpsertTransactions(ctx context.Context, txs []*Transaction) error
	UpsertInvestments(ctx context.Context, invs []*Investment) error
	UpsertLoan(ctx context.Context, l *Loan) error
	RecordBalance(ctx context.Context, b *BalanceSnapshot) error
	// UnlinkPowensUser records that the Powens user was deleted.
	UnlinkPowensUser(ctx context.Context, at time.Time) error
}
