package freenahi

import (
	"context"
	"io"
	"slices"
	"time"
)

// Webhook event names, as they appear in our receiver paths (/webhook/<name>/):
// Powens' event names in lower case. The set is open: every event Powens
// sends is acknowledged and kept, and those that carry nothing freenahi
// stores are marked ignored.
const (
	EventConnectionSynced  = "connection_synced"
	EventConnectionDeleted = "connection_deleted"
	EventAccountDisabled   = "account_disabled"
	EventAccountEnabled    = "account_enabled"
	EventUserDeleted       = "user_deleted"
	// EventAccountSynced carries one account with its new transactions,
	// during a sync, before the connection's CONNECTION_SYNCED.
	EventAccountSynced = "account_synced"
	// EventAccountsFetched carries a connection's accounts, transactions
	// not yet processed: new ones wait for the person's activation.
	EventAccountsFetched = "accounts_fetched"
	// EventUserSynced (deprecated by Powens) carries several connections.
	EventUserSynced = "user_synced"
	// EventUserCreated carries the new user only: kept, ignored.
	EventUserCreated = "user_created"
	// EventReconcile is not a Powens event: it carries data pulled by the
	// periodic reconcile, in the CONNECTION_SYNCED shape, so that pulled data goes
	// through the same ingestion path and the same per-user ordering.
	EventReconcile = "reconcile"
)

// ProcessedEvents lists the Powens events whose data freenahi stores; any
// other event is acknowledged, kept and marked ignored.
var ProcessedEvents = []string{EventConnectionSynced, EventConnectionDeleted, EventAccountDisabled, EventAccountEnabled,
	EventUserDeleted, EventAccountSynced, EventAccountsFetched, EventUserSynced}

// Processed reports whether freenahi stores something of an event (a
// reconcile pull or one of ProcessedEvents); the worker marks others ignored.
func Processed(event string) bool {
	return event == EventReconcile || slices.Contains(ProcessedEvents, event)
}

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
	// StatusIgnored: the event carries nothing freenahi stores; it is kept
	// (and can be replayed once a version of freenahi processes it).
	StatusIgnored InboxStatus = "ignored"
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
	// DeliveryKey makes receipt idempotent: "p<Powens user>/wd:<id_webhook_data>"
	// (or "/sha256:<body hash>"); an unauthenticated one carries "t<token hash>/" too.
	DeliveryKey  string
	PowensUserID *int64
	UserID       *int64
	Auth         string
	// TokenHash is the SHA-256 of the bearer token of an unmatched bearer-auth event,
	// checked against the linked token before the event is released.
	TokenHash []byte
	// Source is the client address the delivery came from ("" for events
	// freenahi makes itself).
	Source        string
	Status        InboxStatus
	Attempts      int
	LastError     string
	Body          []byte
	BodySize      int64
	ReceivedAt    time.Time
	NextAttemptAt time.Time
	ProcessedAt   *time.Time

	// BodyFile, given to ReceiveEvent instead of Body, holds a body too
	// large to keep in memory (BodySize bytes from offset 0): it is stored
	// from there a chunk at a time (issue 15, item 5). ReceiveEvent owns it
	// from then on and closes it, whatever happens.
	BodyFile BodyFile
}

// BodyFile is a received body set aside in a file.
type BodyFile interface {
	io.ReaderAt
	io.Closer
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

// UnmatchedUsage is what the unmatched events hold, which bounds new ones:
// all of them, and those received from one source.
type UnmatchedUsage struct {
	Count, Bytes int64
	FromSource   int64
	Oldest       *time.Time // receipt of the oldest unmatched event
}

// InboxRetention says what PruneInbox removes; a zero duration keeps.
type InboxRetention struct {
	// BodiesAfter: the raw body of a processed or ignored event is removed
	// this long after processing (its row stays, so a re-delivery is still
	// recognised); failed and unfinished events keep theirs for replay.
	BodiesAfter time.Duration
	// UnmatchedAfter: an event still waiting for its Powens user to be
	// linked is removed this long after receipt.
	UnmatchedAfter time.Duration
}

// WebhookRefusal counts the deliveries refused in one hour for one event and
// reason ("bad_signature", "bad_token"…), so that a webhook whose
// authentication is wrong in Powens' console is noticed within minutes.
type WebhookRefusal struct {
	Hour       time.Time
	Event      string
	Reason     string
	Count      int64
	LastAt     time.Time
	LastDetail string
}

// InboxService stores and hands out webhook events. It is not scoped to a
// user: it serves the receiver, the worker and administration.
type InboxService interface {
	// ReceiveEvent stores e durably and sets its ID, status (pending when its
	// Powens user is linked, unmatched when not, failed when it names none)
	// and user. duplicate reports that an event with the same event name and
	// delivery key was already stored; nothing changed then. An error means
	// the event may not be stored: the receiver must not acknowledge it.
	ReceiveEvent(ctx context.Context, e *InboxEvent) (duplicate bool, err error)
	// ClaimEvent leases the next processable event for lease and returns
	// it with its body; ENOTFOUND when none is ready. A large body comes
	// as BodyFile (Body nil), read from where it is as it is needed, which
	// the caller closes. Events of one Powens
	// user are handed out one at a time, in order of arrival; an event whose
	// lease ended is handed out again.
	ClaimEvent(ctx context.Context, lease time.Duration) (*InboxEvent, error)
	// RenewEventLease extends the lease of an event being processed to
	// now+lease; ECONFLICT when the caller's claim of it no longer holds
	// (its lease ended and another worker claimed it, or it is finished).
	RenewEventLease(ctx context.Context, e *InboxEvent, lease time.Duration) error
	// ProcessEvent runs fn in one database transaction and marks the event
	// processed in that same transaction. fn's error rolls everything back
	// and comes back with its code; EINVALID when the database refuses what
	// fn writes (retrying cannot help); ECONFLICT if the event is no longer
	// leased (processed or failed meanwhile), and nothing fn wrote is kept.
	ProcessEvent(ctx context.Context, e *InboxEvent, fn func(ctx context.Context, w SyncWriter) error) error
	// FailEvent records a failed attempt of the caller's claim of e (e as
	// ClaimEvent returned it): retried at next, or failed for good when next
	// is nil. ENOTFOUND if there is no such event, ECONFLICT if the claim no
	// longer holds (the event is not being processed, or another worker
	// claimed it since): a worker whose lease ended must not reset the
	// claim of the one that took over.
	FailEvent(ctx context.Context, e *InboxEvent, cause string, next *time.Time) error
	// IgnoreEvent records that an event the caller claimed carries nothing
	// freenahi stores: kept, marked ignored with why, replayable. ENOTFOUND
	// if there is no such event, ECONFLICT if the claim no longer holds.
	IgnoreEvent(ctx context.Context, e *InboxEvent, why string) error
	// ReplayEvent puts a processed or failed event back in the queue.
	// ENOTFOUND if there is no such event, ECONFLICT if it is unfinished or
	// still waits for its Powens user to be linked.
	ReplayEvent(ctx context.Context, id int64) error
	// FindEvents returns the events matching the filter, newest first,
	// without their bodies; a Limit outside 1…1000 means 100.
	FindEvents(ctx context.Context, filter InboxFilter) ([]*InboxEvent, error)
	// FindEventByID returns an event with its body; ENOTFOUND if there is none.
	FindEventByID(ctx context.Context, id int64) (*InboxEvent, error)
	// InboxStats counts events per status (pending, processing, unmatched,
	// failed) and tells the age of the oldest unfinished one.
	InboxStats(ctx context.Context) (*InboxStats, error)
	// UnmatchedUsage counts the unmatched events, and those from source.
	UnmatchedUsage(ctx context.Context, source string) (*UnmatchedUsage, error)
	// PruneInbox removes what r says is kept no longer and reports how many
	// bodies and unmatched events it removed.
	PruneInbox(ctx context.Context, r InboxRetention) (bodies, unmatched int64, err error)
	// RecordRefusals adds refused deliveries to the hourly counts (the
	// latest detail wins) and forgets counts older than 30 days.
	RecordRefusals(ctx context.Context, rs []WebhookRefusal) error
	// FindRefusals returns the hourly counts since t, newest first.
	FindRefusals(ctx context.Context, since time.Time) ([]WebhookRefusal, error)
}

// SyncWriter writes one event's data inside its database transaction. Every
// method is idempotent, keyed by Powens ids and scoped to UserID: a
// connection or account id that is not the user's is refused with
// ENOTFOUND. Connections, accounts, transactions, investments and loans are
// rewritten only when an event at least as recent changes them, so a replayed
// older event never undoes a newer one.
type SyncWriter interface {
	// UserID returns the user whose data the writer writes.
	UserID() int64
	// UpsertConnection writes a connection and its sources and sets c.ID.
	UpsertConnection(ctx context.Context, c *Connection) error
	// ConnectionID returns our id of the user's connection by its Powens id;
	// ENOTFOUND if the user has no such connection.
	ConnectionID(ctx context.Context, powensConnectionID int64) (int64, error)
	// MarkConnectionDeleted soft-deletes a connection and its accounts; a
	// connection never synced is not an error.
	MarkConnectionDeleted(ctx context.Context, powensConnectionID int64, at time.Time) error
	// UpsertAccount writes an account and sets a.ID; a.ConnectionID must be
	// one of the user's connections (ENOTFOUND else).
	UpsertAccount(ctx context.Context, a *Account) error
	// AccountCurrency returns the currency stored for the user's account with
	// that Powens id; ENOTFOUND if there is no such account or its currency
	// is not known.
	AccountCurrency(ctx context.Context, powensAccountID int64) (Currency, error)
	// SetAccountDisabled records an account_enabled (nil) or account_disabled
	// event; an account never synced is not an error.
	SetAccountDisabled(ctx context.Context, powensAccountID int64, disabled *time.Time) error
	// MarkVanishedTransactions marks deleted, at at, the user's account's
	// stored transactions dated from `from` on that are not deleted and whose
	// Powens id is not in listed: a complete history no longer has them (the
	// bank reissued them under new ids). It returns how many it marked;
	// ENOTFOUND for another user's account.
	MarkVanishedTransactions(ctx context.Context, accountID int64, from Date, listed map[int64]bool, at time.Time) (int, error)
	// UpsertTransactions writes a batch of transactions of the user's
	// accounts (ENOTFOUND for another account); the last version of a
	// transaction listed twice wins. A transaction is the user's by its
	// Powens id: written under another account, it moves there.
	UpsertTransactions(ctx context.Context, txs []*Transaction) error
	// UpsertInvestments writes positions of the user's accounts (ENOTFOUND
	// for another account).
	UpsertInvestments(ctx context.Context, invs []*Investment) error
	// UpsertLoan writes the loan detail of one of the user's accounts
	// (ENOTFOUND for another account).
	UpsertLoan(ctx context.Context, l *Loan) error
	// RecordBalance records the balance of one of the user's accounts at
	// b.At (ENOTFOUND for another account); the same instant again keeps one
	// snapshot with the last values.
	RecordBalance(ctx context.Context, b *BalanceSnapshot) error
	// UnlinkPowensUser records that the Powens user was deleted: the link and
	// its token go, the connections are marked deleted, the data stays.
	UnlinkPowensUser(ctx context.Context, at time.Time) error
}
