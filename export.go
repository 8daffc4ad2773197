package freenahi

import (
	"context"
	"io"
	"iter"
	"time"
)

// StatementQuery selects one account's booked transactions for a statement.
type StatementQuery struct {
	UserID    int64
	AccountID int64
	From, To  Date // inclusive, on Transaction.Date
	// Extras asks for each transaction's category, payee and tags too,
	// which only the CSV shows: a narrower read is cheaper.
	Extras bool
}

// StatementData is one consistent read of an account for a statement: the
// balances and the transactions come from the same database snapshot.
type StatementData struct {
	Account *Account
	// ClosingMinor is the balance at the end of To: the account's stored
	// balance (that of its latest sync) minus the booked, non-deleted
	// transactions dated after To.
	ClosingMinor int64
	// PeriodMinor is the sum of the booked, non-deleted transactions dated
	// From…To, so the opening balance is ClosingMinor − PeriodMinor.
	PeriodMinor int64
	// Count is the number of those transactions.
	Count int64
	// Categories names the user's categories by id, for the CSV.
	Categories map[int64]string
	// Transactions yields them ordered by date then Powens id, a page at a
	// time: memory holds at most one day of the account, however long the
	// period. They carry what a
	// statement shows: ids, dates, amount, type, wordings and counterparty
	// label. A yielded transaction is valid until the loop asks for the
	// next one, when the source may reuse it: copy one to keep it.
	Transactions iter.Seq2[*Transaction, error]
}

// StatementSource reads statement data; fn runs inside one read snapshot.
type StatementSource interface {
	// ReadStatement runs fn with the statement data of the user's account
	// over q's period and returns fn's error as it is. Without calling fn:
	// EINVALID when a date is missing or To is before From, or when the
	// account has no balance yet; ENOTFOUND if the account does not exist or
	// belongs to another user. The Transactions iterator yields an error,
	// and stops, when a page cannot be read.
	ReadStatement(ctx context.Context, q StatementQuery, fn func(*StatementData) error) error
}

// Export formats of an account statement.
const (
	FormatCFONB   = "cfonb"
	FormatCSV     = "csv"
	FormatCamt053 = "camt053" // ISO 20022 camt.053.001.02
	FormatOFX     = "ofx"     // OFX 2.2
)

// StatementRequest asks for an account's statement over a period.
type StatementRequest struct {
	UserID    int64
	AccountID int64
	From, To  Date
	// Format is FormatCFONB, FormatCSV, FormatCamt053 or FormatOFX.
	Format string
	// PerPeriod writes one CFONB statement for the whole period instead of
	// one per bank day with movements.
	PerPeriod bool
	// RIB overrides the account's IBAN for CFONB: bank, branch and account
	// number (and optionally the key), for accounts without a French IBAN.
	RIB string
	// Separator is the CSV field separator, ';' (the default) or ','.
	Separator rune
}

// StatementSummary says what an export wrote.
type StatementSummary struct {
	// From and To are the period written. To is earlier than asked when
	// the request went past the last bank day that has ended (Stopped).
	From, To     Date
	Stopped      bool
	Statements   int
	Movements    int64
	OpeningMinor int64
	ClosingMinor int64
	Currency     Currency
}

// StatementExporter writes account statements.
type StatementExporter interface {
	// ExportStatement checks req, then streams the statement of the user's
	// account to w and says what it wrote. An error returned before anything
	// reached w leaves w untouched: EINVALID (with the field, when there is
	// one) for a bad format, separator, period or RIB, a period CFONB cannot
	// carry, an account without a balance, or, for CFONB, an account CFONB
	// cannot name (no French IBAN and no RIB given); ENOTFOUND if the account
	// does not exist or belongs to another user.
	ExportStatement(ctx context.Context, w io.Writer, req StatementRequest) (*StatementSummary, error)
	// LastEndedDay is the last bank day that has ended (LastEndedBankDay of
	// now): a statement never goes past it, since a later day may still
	// receive bookings. ExportStatement stops a longer period there and
	// says so in its summary; a period starting after it is EINVALID.
	LastEndedDay() Date
}

// InqomCredentials are a freenahi user's Inqom API credentials. Password and
// ClientSecret are sealed at rest and never leave through the API.
type InqomCredentials struct {
	UserID       int64
	Username     string
	Password     string
	ClientID     string
	ClientSecret string
	// Environment is "production" or "staging"; AuthURL and BankingURL,
	// when set, override its endpoints (a local sandbox).
	Environment string
	AuthURL     string
	BankingURL  string
	UpdatedAt   time.Time
}

// InqomMapping sends one freenahi account to one Inqom dossier.
type InqomMapping struct {
	ID        int64
	UserID    int64
	AccountID int64
	DossierID int64
	// IBAN is what was registered in the dossier; CFONB statements carry its
	// bank, branch and account number so that Inqom routes them to it.
	IBAN         string
	BankName     string
	CFONBControl bool
	// StartDate, when set, keeps older transactions out of the exports.
	StartDate Date
	// RegisteredAt is when Inqom confirmed the registration; nil until then.
	RegisteredAt   *time.Time
	InqomAccountID string
	// LastError is why the last registration or push of the mapping
	// failed (see ErrorToKeep); nil when it did not.
	LastError *Error
	// ChainDate and ChainMinor are where the last frozen batch closed: the
	// next batch opens there. Nil before the first batch.
	ChainDate  *Date
	ChainMinor *int64
	CreatedAt  time.Time
	// UnlinkedAt is when a person unlinked the mapping; nil while linked.
	UnlinkedAt *time.Time
}

// InqomMappingInput asks to map an account to a dossier.
type InqomMappingInput struct {
	UserID    int64
	AccountID int64
	DossierID int64
	// IBAN overrides the account's IBAN (an account Powens gives none for).
	IBAN     string
	BankName string
	// CFONBControl is IsCfonbControlActive; nil means true.
	CFONBControl *bool
	StartDate    Date
	// Additional confirms linking an account that already sends to another
	// dossier: its transactions then go to both.
	Additional bool
}

// BatchInput is what a new batch is built from: the transactions frozen
// into it, oldest first (by date, then Powens id), and where it opens.
type BatchInput struct {
	Mapping *InqomMapping
	Account *Account
	// Seq is the batch's number within its mapping, from 1.
	Seq          int
	OpeningDate  Date
	OpeningMinor int64
	Transactions []*Transaction
	// ClosingDate is set by the file builder: the date its last statement
	// closes on, later than the last transaction's date when a late
	// transaction was booked on the next bank day. Zero means that date.
	// The builder may also shorten Transactions to a prefix (those whose
	// day has ended); the batch then holds only those.
	ClosingDate Date
}

// BatchStatus is where an export batch stands.
type BatchStatus string

// Batch statuses. A batch is frozen pending; it becomes sent when Inqom
// accepts it, review when an attempt's outcome is unknown (it is resent
// byte for byte), failed when Inqom refuses it, and released when a person
// decides a failed or review batch never reached Inqom, which frees its
// transactions for a later batch.
const (
	BatchPending  BatchStatus = "pending"
	BatchReview   BatchStatus = "review"
	BatchSent     BatchStatus = "sent"
	BatchFailed   BatchStatus = "failed"
	BatchReleased BatchStatus = "released"
)

// ErrNoDecision says that batch id, in status s, takes no decision by hand,
// which only a failed batch or one in review does: one sentence per
// status, so that the status is said in words in every language.
func ErrNoDecision(id int64, s BatchStatus) *Error {
	switch s {
	case BatchPending:
		return Errorf(ECONFLICT, "Export batch %d is waiting to be sent: only a refused file, or one to check, takes a decision.", id)
	case BatchSent:
		return Errorf(ECONFLICT, "Export batch %d is already sent: only a refused file, or one to check, takes a decision.", id)
	case BatchReleased:
		return Errorf(ECONFLICT, "Export batch %d is released: only a refused file, or one to check, takes a decision.", id)
	}
	return Errorf(ECONFLICT, "Export batch %d takes no decision now: only a refused file, or one to check, does.", id)
}

// ExportBatch is one CFONB file of the export ledger: the exact bytes sent
// (or to send) to Inqom and the transactions frozen into it.
type ExportBatch struct {
	ID        int64
	UserID    int64
	MappingID int64
	// Seq numbers the batches of a mapping from 1.
	Seq    int
	Status BatchStatus
	// Review stays true once an attempt's outcome was unknown: Inqom may
	// hold the file twice.
	Review   bool
	Filename string
	SHA256   string // hex
	// Currency is the account's: the amounts below are in its minor units.
	Currency Currency
	Size     int64
	// Content is the file; only FindExportBatchFile fills it.
	Content      []byte
	Transactions int
	FirstDate    Date
	LastDate     Date
	OpeningDate  Date
	OpeningMinor int64
	ClosingDate  Date
	ClosingMinor int64
	Attempts     int
	// Held stops automatic resending until a person resolves the batch.
	Held          bool
	NextAttemptAt time.Time
	// LastError is why the last attempt failed (see ErrorToKeep), if it did.
	LastError *Error
	// AnswerStatus and Answer are Inqom's last answer (status and body start).
	AnswerStatus int
	Answer       string
	CreatedAt    time.Time
	SentAt       *time.Time
}

// OutcomeKind classifies one attempt to import a batch.
type OutcomeKind int

// What an import attempt came to: accepted; unknown (Inqom may or may not
// have applied it); refused for good by Inqom; or not sent at all (no
// token, no connection), which proves nothing was applied.
const (
	OutcomeSent OutcomeKind = iota + 1
	OutcomeUnknown
	OutcomeRefused
	OutcomeNotSent
)

// BatchOutcome is the result of one import attempt, for the ledger.
type BatchOutcome struct {
	Kind         OutcomeKind
	AnswerStatus int
	Answer       string
	Error        *Error
	// Review flags the batch: Inqom may hold it twice.
	Review bool
	// NextAttempt is when to try again after OutcomeUnknown or OutcomeNotSent.
	NextAttempt time.Time
}

// ExportedChange is a transaction changed at the bank after it was exported:
// deleted, or booked again with another amount or date. The ledger keeps
// what was sent; a person corrects the books.
type ExportedChange struct {
	BatchID       int64
	TransactionID int64
	PowensID      int64
	ExportedDate  Date
	ExportedMinor int64
	Date          Date
	ValueMinor    int64
	Deleted       *time.Time
}

// InqomMappingStatus is a mapping with a summary of its ledger.
type InqomMappingStatus struct {
	InqomMapping
	// Currency is the account's, for the amounts of Changes.
	Currency Currency
	Batches  map[BatchStatus]int
	// Exported counts the transactions in sent batches; Waiting the booked
	// ones not in any batch yet.
	Exported int64
	Waiting  int64
	LastSent *time.Time
	Changes  []*ExportedChange
}

// BatchResolution is what a person decides about a failed or review batch.
type BatchResolution string

// Resolutions: the file is in Inqom (sent), send the same bytes again
// (retry), or the file never reached Inqom (release its transactions).
const (
	ResolveSent    BatchResolution = "sent"
	ResolveRetry   BatchResolution = "retry"
	ResolveRelease BatchResolution = "release"
)

// InqomService maps accounts to Inqom dossiers and keeps the export ledger.
// Every method is scoped to one user.
type InqomService interface {
	// MapAccount maps the user's account to a dossier and registers its
	// IBAN there; mapping the same account and dossier again returns the
	// existing mapping (linking it again after an unlink resumes its
	// ledger). EINVALID for a dossier id that is not positive or an account
	// without a French IBAN (and none given), ENOTFOUND if the account does
	// not exist or belongs to another user, ECONFLICT if another account of
	// the user is mapped to the dossier with that IBAN, or if the account
	// already sends to another dossier and req.Additional is not set. When
	// Inqom refuses the registration (or cannot be reached), nothing is
	// created and the error says why.
	MapAccount(ctx context.Context, req InqomMappingInput) (*InqomMapping, error)
	// UnlinkInqomMapping stops sending the user's mapping: transactions not
	// sent yet stay in freenahi and are not sent to the dossier; files
	// already sent stay in Inqom; linking the same account and dossier
	// again resumes where it stopped, sending nothing twice. It returns the
	// mapping as it was; ENOTFOUND if it does not exist, is not linked or
	// belongs to another user.
	UnlinkInqomMapping(ctx context.Context, userID, id int64) (*InqomMapping, error)
	// FindInqomMappings returns the user's mappings with their ledger
	// summaries, oldest first; ENOTFOUND for a user id that is not positive.
	FindInqomMappings(ctx context.Context, userID int64) ([]*InqomMappingStatus, error)
	// FindInqomMappingByID returns the user's mapping with its ledger
	// summary; ENOTFOUND if it does not exist or belongs to another user.
	FindInqomMappingByID(ctx context.Context, userID, id int64) (*InqomMappingStatus, error)
	// FindExportBatches returns up to limit batches of the user's mapping
	// (DefaultPageLimit when limit is not within 1…MaxPageLimit), newest
	// first, without their files; ENOTFOUND if the mapping does not exist or
	// belongs to another user.
	FindExportBatches(ctx context.Context, userID, mappingID int64, limit int) ([]*ExportBatch, error)
	// FindExportBatchFile returns the user's batch with its exact file;
	// ENOTFOUND if it does not exist or belongs to another user.
	FindExportBatchFile(ctx context.Context, userID, batchID int64) (*ExportBatch, error)
	// ResolveExportBatch applies a person's decision to the user's failed or
	// review batch and returns the batch (without its file). ENOTFOUND if it
	// does not exist or belongs to another user, ECONFLICT if it is not
	// failed or in review, EINVALID for another resolution.
	ResolveExportBatch(ctx context.Context, userID, batchID int64, r BatchResolution) (*ExportBatch, error)
	// Push exports what is waiting for the user's mappings now. Its error
	// joins each mapping's failure: ECONFLICT for a batch that waits for a
	// person's decision, Inqom's refusals, or an unreachable Inqom.
	Push(ctx context.Context, userID int64) error
}
