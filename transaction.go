package freenahi

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Transaction is a bank transaction. It is keyed by its Powens id within its
// account: a coming transaction that is later booked is the same row, and a
// transaction Powens marks deleted is kept with Deleted set.
type Transaction struct {
	ID        int64
	UserID    int64
	AccountID int64
	PowensID  int64
	// Date is the posting (debit) date; RDate when the order was given; VDate the value date.
	Date            Date
	RDate           Date
	VDate           Date
	ApplicationDate Date
	// DateTime, RDateTime and VDateTime are UTC instants when the bank gives them.
	DateTime  *time.Time
	RDateTime *time.Time
	VDateTime *time.Time
	// Currency is the account's currency; the amounts below are in its minor units.
	Currency Currency
	// ValueMinor is the amount; AmountOrigin says where it comes from. When
	// it is AmountUnknown, ValueMinor is 0 and means nothing.
	ValueMinor      int64
	AmountOrigin    AmountOrigin
	GrossValueMinor *int64
	// OriginalValueMinor is in OriginalCurrency (a card payment abroad).
	OriginalValueMinor      *int64
	OriginalGrossValueMinor *int64
	OriginalCurrency        *Currency
	CommissionMinor         *int64
	CommissionCurrency      *Currency
	Type                    string
	OriginalWording         string
	SimplifiedWording       string
	Wording                 string
	Coming                  bool
	Active                  bool
	Card                    string
	Webid                   string
	Counterparty            *Counterparty
	Deleted                 *time.Time
	LastUpdate              *time.Time
	UpdatedAt               time.Time

	// Payee names who the transaction was with; CategoryID (nil: none) and
	// CategorySource say how it is sorted; Tags, Transfer (a move between
	// the person's own accounts, left out of reports) and Note are the
	// person's. Edits lists what the person set by hand.
	Payee          string
	CategoryID     *int64
	CategorySource string
	Tags           []string
	Transfer       bool
	Note           string
	Edits          Edits
	// TransferPair is the other side of a detected transfer between the
	// person's own accounts.
	TransferPair *int64
	// Splits are the parts of a transaction split across categories (nil:
	// not split). Only FindTransactionByID and EditTransaction fill them.
	Splits []Split
}

// Value returns the amount as Money.
func (t *Transaction) Value() Money { return Money{Minor: t.ValueMinor, Currency: t.Currency} }

// Gross returns the gross amount, when Powens gave one.
func (t *Transaction) Gross() *Money {
	if t.GrossValueMinor == nil {
		return nil
	}
	return &Money{Minor: *t.GrossValueMinor, Currency: t.Currency}
}

// Commission returns the commission in its own currency, when Powens gave one.
func (t *Transaction) Commission() *Money {
	if t.CommissionMinor == nil || t.CommissionCurrency == nil {
		return nil
	}
	return &Money{Minor: *t.CommissionMinor, Currency: *t.CommissionCurrency}
}

// AmountKnown reports whether the transaction has an amount; one without is
// shown, but left out of balances and exports.
func (t *Transaction) AmountKnown() bool { return t.AmountOrigin != AmountUnknown }

// AmountOrigin says how a transaction's amount was obtained. Payment-platform
// connectors send value null with a gross value and a commission instead.
type AmountOrigin string

// Amount origins.
const (
	AmountFromValue              AmountOrigin = ""                 // Powens' value
	AmountFromGrossAndCommission AmountOrigin = "gross_commission" // gross_value + commission (same currency)
	AmountFromGross              AmountOrigin = "gross"            // gross_value; the commission is in another currency
	AmountUnknown                AmountOrigin = "unknown"          // value and gross_value are null
)

// DeriveAmount applies Powens' rule when value is null: the amount is
// gross + commission when the commission is in the account's currency (or
// its currency is not given), else the gross value alone; without a gross
// value the amount is unknown. value, gross and commission are minor units
// of the account's currency (commission in its own currency), nil for null.
func DeriveAmount(value, gross, commission *int64, commissionInAccountCurrency bool) (int64, AmountOrigin) {
	switch {
	case value != nil:
		return *value, AmountFromValue
	case gross == nil:
		return 0, AmountUnknown
	case commission != nil && commissionInAccountCurrency:
		sum := *gross + *commission
		if (*commission > 0 && sum < *gross) || (*commission < 0 && sum > *gross) {
			return 0, AmountUnknown // no bank moves that much: a hostile payload
		}
		return sum, AmountFromGrossAndCommission
	case commission != nil:
		return *gross, AmountFromGross
	}
	return *gross, AmountFromGross
}

// Counterparty is the other side of a transaction, when the bank tells.
type Counterparty struct {
	Label                 string `json:"label,omitempty"`
	AccountScheme         string `json:"account_scheme_name,omitempty"`
	AccountIdentification string `json:"account_identification,omitempty"`
	Type                  string `json:"type,omitempty"` // creditor or debtor
}

// TransactionFilter selects transactions of one user, newest first.
type TransactionFilter struct {
	UserID         int64
	AccountID      *int64
	From, To       *Date // inclusive, on Date
	MinAmount      *Decimal
	MaxAmount      *Decimal
	Query          string // text in the wordings, case-insensitive
	IncludeDeleted bool
	ExcludeComing  bool
	// ComingOnly keeps only the coming transactions (announced, not booked
	// yet), as the dashboard lists them.
	ComingOnly bool
	After      *Cursor
	Limit      int
	// CategoryID selects one category (0: transactions without one);
	// Payee one payee, exactly as stored. Reports drill down with them.
	CategoryID *int64
	Payee      string
	// Direction, when set, makes MinAmount and MaxAmount sizes (their sign
	// is ignored): DirectionAny matches spending and income of that size,
	// DirectionSpending only money out, DirectionIncome only money in.
	// Without it the bounds are signed, as before.
	Direction string
	// Tag selects transactions carrying that tag (exactly).
	Tag string
	// Sort is the order of the listing, one of the Sort constants; empty
	// is SortDateDesc. A cursor belongs to the order that made it.
	Sort string
	// Before, instead of After, asks for the page that ends just before
	// this position: the previous page.
	Before *Cursor
	// WithShared adds the transactions of the accounts other users share
	// with UserID.
	WithShared bool
}

// Directions of TransactionFilter.Direction.
const (
	DirectionAny      = "any"
	DirectionSpending = "spending"
	DirectionIncome   = "income"
)

// Transaction page sizes.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 1000
)

// Validate checks the filter and applies defaults.
func (f *TransactionFilter) Validate() error {
	switch {
	case f.Limit == 0:
		f.Limit = DefaultPageLimit
	case f.Limit < 1 || f.Limit > MaxPageLimit:
		return FieldErrorf("limit", "must be between 1 and %d", MaxPageLimit)
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return FieldErrorf("to", "%s is before the start date %s", f.To, f.From)
	}
	switch f.Direction {
	case "", DirectionAny, DirectionSpending, DirectionIncome:
	default:
		return FieldErrorf("direction", "must be any, spending or income")
	}
	if f.Direction != "" {
		for _, p := range []**Decimal{&f.MinAmount, &f.MaxAmount} {
			if *p != nil {
				abs := (*p).Abs()
				*p = &abs
			}
		}
	}
	if f.MinAmount != nil && f.MaxAmount != nil && decimalLess(*f.MaxAmount, *f.MinAmount) {
		return FieldErrorf("max_amount", "%s is below the minimum amount %s", f.MaxAmount, f.MinAmount)
	}
	if len(f.Query) > 200 {
		return FieldErrorf("q", "is longer than 200 characters")
	}
	return f.validateOrder()
}

// decimalLess compares two decimals exactly, whatever their size: 10 at 18
// decimals already overflows int64, so both are brought to one scale in
// big integers.
func decimalLess(a, b Decimal) bool {
	a, b = a.normalize(), b.normalize()
	x, y := big.NewInt(a.coef), big.NewInt(b.coef)
	ten := big.NewInt(10)
	if a.scale < b.scale {
		x.Mul(x, new(big.Int).Exp(ten, big.NewInt(int64(b.scale-a.scale)), nil))
	} else {
		y.Mul(y, new(big.Int).Exp(ten, big.NewInt(int64(a.scale-b.scale)), nil))
	}
	return x.Cmp(y) < 0
}

// Cursor marks a position in a transaction listing: by (date, id) in the
// date orders, by (amount, id) in the amount orders.
type Cursor struct {
	Date Date
	ID   int64
	// Sort is the order the cursor belongs to; empty is SortDateDesc.
	Sort string
	// AmountMinor is the position's amount, in the amount orders.
	AmountMinor int64
}

// String encodes c as an opaque URL-safe token.
func (c Cursor) String() string {
	if c.Sort != "" && c.Sort != SortDateDesc {
		return c.sortedString()
	}
	var b [12]byte
	binary.BigEndian.PutUint32(b[:4], uint32(c.Date.Int()))
	binary.BigEndian.PutUint64(b[4:], uint64(c.ID))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ParseCursor decodes a token made by Cursor.String.
func ParseCursor(s string) (Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && len(b) == sortedCursorLen {
		return parseSortedCursor(b)
	}
	if err != nil || len(b) != 12 {
		return Cursor{}, FieldErrorf("cursor", "is not a cursor this API returned")
	}
	c := Cursor{Date: DateFromInt(int(binary.BigEndian.Uint32(b[:4]))), ID: int64(binary.BigEndian.Uint64(b[4:]))}
	if c.ID <= 0 || !c.Date.IsZero() && (c.Date.Month < 1 || c.Date.Month > 12 || c.Date.Day < 1 || c.Date.Day > 31) {
		return Cursor{}, FieldErrorf("cursor", "is not a cursor this API returned")
	}
	return c, nil
}

// TransactionService reads transactions, each scoped to one user.
type TransactionService interface {
	// FindTransactions returns one page of the filter's user's transactions
	// that match it, newest first (by date, then id), and the cursor of the
	// next page, nil on the last. Deleted transactions only with
	// IncludeDeleted; an account of another user matches nothing. EINVALID
	// (with the field) when the filter does not validate.
	FindTransactions(ctx context.Context, filter TransactionFilter) ([]*Transaction, *Cursor, error)
	// FindTransactionByID returns the user's transaction, deleted or not;
	// ENOTFOUND if it does not exist or belongs to another user.
	FindTransactionByID(ctx context.Context, userID, id int64) (*Transaction, error)
	// SumTransactions returns, per currency (by code), the count and sum
	// of every transaction the filter selects, whatever its cursor and
	// limit. EINVALID (with the field) when the filter does not validate.
	SumTransactions(ctx context.Context, filter TransactionFilter) ([]TransactionTotal, error)
	// FindTransactionPage is FindTransactions in the filter's Sort order,
	// with the cursors of the next and the previous page (nil on the last
	// and on the first page); with Before it reads the page before it.
	FindTransactionPage(ctx context.Context, filter TransactionFilter) (*TransactionPage, error)
	// FindTags returns the tags on the user's transactions (deleted ones
	// left out), sorted, at most MaxTagChoices of them.
	FindTags(ctx context.Context, userID int64) ([]string, error)
	SavedSearchService
}

// TransactionTotal is how many transactions of one currency a filter
// selects and the exact sum of their amounts, in minor units.
type TransactionTotal struct {
	Currency Currency
	Count    int64
	SumMinor int64
}

// Label is what a person reads: their own wording, else Powens' simplified
// one, else the bank's original text.
func (t *Transaction) Label() string {
	switch {
	case t.Wording != "":
		return t.Wording
	case t.SimplifiedWording != "":
		return t.SimplifiedWording
	}
	return t.OriginalWording
}

// TransactionEdit is a person's change to a transaction; nil fields stay as
// they are. Every field set is marked edited by hand, so no later sync or
// rule overwrites it.
type TransactionEdit struct {
	CategoryID *int64 // 0 removes the category
	Payee      *string
	Note       *string
	Tags       *[]string
	Transfer   *bool
	// Splits splits the transaction across categories; an empty list
	// removes the split. See SplitsOf.
	Splits *[]SplitPart
}

// Validate checks an edit and normalises its text.
func (e *TransactionEdit) Validate() error {
	if e.CategoryID == nil && e.Payee == nil && e.Note == nil && e.Tags == nil && e.Transfer == nil && e.Splits == nil {
		return FieldErrorf("body", "changes nothing: give category_id, payee, note, tags, transfer or splits")
	}
	if e.Payee != nil {
		p := strings.Join(strings.Fields(*e.Payee), " ")
		if utf8.RuneCountInString(p) > 100 || !utf8.ValidString(p) {
			return FieldErrorf("payee", "is longer than %d characters", 100)
		}
		e.Payee = &p
	}
	if e.Note != nil {
		n := strings.TrimSpace(*e.Note)
		if utf8.RuneCountInString(n) > 2000 || !utf8.ValidString(n) || strings.ContainsRune(n, 0) {
			return FieldErrorf("note", "is longer than %d characters", 2000)
		}
		e.Note = &n
	}
	if e.Tags != nil {
		tags, err := NormalizeTags(*e.Tags)
		if err != nil {
			return err
		}
		e.Tags = &tags
	}
	if e.CategoryID != nil && *e.CategoryID < 0 {
		return FieldErrorf("category_id", "is not one of your categories")
	}
	return nil
}

// TransactionEditor changes what a person may change of a transaction.
type TransactionEditor interface {
	// EditTransaction applies e to the user's transaction and returns it.
	// A category chosen by hand also teaches the payee's category to the
	// next ingests. ENOTFOUND for another user's transaction; EINVALID
	// (naming the field) for a bad edit or a category not the user's.
	EditTransaction(ctx context.Context, userID, id int64, e TransactionEdit) (*Transaction, error)
}

// ImportLine is one transaction read from a bank file, ready to be stored in
// a manual account: Line is where it starts in the file, Key identifies it
// across files so that importing it twice adds it once.
type ImportLine struct {
	Line        int
	Key         string
	Date        Date
	AmountMinor int64
	Wording     string
	// Kind is the operation kind read from the file (a Powens type), or "".
	Kind string
}

// Import is a request to add lines read from a bank file to a manual
// account: the user's existing manual account AccountID, or NewAccount
// (Name, Currency and Type are used), created by the import. DryRun does
// everything, then keeps nothing: a preview of exactly what would be stored.
type Import struct {
	UserID     int64
	AccountID  int64
	NewAccount *Account
	Lines      []ImportLine
	DryRun     bool
	// Balance is the account's balance the file states, if any: it
	// becomes a dated balance of the account, and the current balance is
	// it plus what the account holds after its day. Without it the
	// current balance grows by the lines added.
	Balance *DatedBalance
}

// DatedBalance is an account's balance at the end of a day.
type DatedBalance struct {
	Date  Date
	Minor int64
}

// ImportResult says what an import did, or would do.
type ImportResult struct {
	Account *Account
	// Added are the transactions stored, categorised, in the order of the
	// lines; Skipped counts the lines the account already held (same key).
	Added   []*Transaction
	Skipped int
	// BalanceMinor is the account's balance after the import.
	BalanceMinor int64
}

// ImportService keeps manual accounts: accounts with no Powens connection
// whose transactions come from files the person imports.
type ImportService interface {
	// ImportTransactions adds the lines whose key the account does not hold
	// yet and categorises them like ingested transactions, in one database
	// transaction. ENOTFOUND for another user's account; EINVALID (naming
	// the field) for an account with a Powens connection or a bad new account.
	ImportTransactions(ctx context.Context, imp *Import) (*ImportResult, error)
	// FindManualAccounts lists the user's manual accounts.
	FindManualAccounts(ctx context.Context, userID int64) ([]*Account, error)
	// SetManualBalance records a manual account's balance at the end of a
	// day (a dated balance its history and net worth are anchored on) and
	// returns its current balance: the latest dated balance plus the
	// account's transactions after its day. ENOTFOUND for another user's
	// account; EINVALID (account_id) for an account of a connection.
	SetManualBalance(ctx context.Context, userID, accountID int64, b DatedBalance) (int64, error)
}

// ManualAccountTypes are the types a manual account may have.
var ManualAccountTypes = []string{"checking", "savings", "card", "other"}

// ValidateManual checks a new manual account and normalises its name.
func (a *Account) ValidateManual() error {
	a.Name = strings.Join(strings.Fields(a.Name), " ")
	switch {
	case a.Name == "":
		return FieldErrorf("name", "is required")
	case utf8.RuneCountInString(a.Name) > 100 || !utf8.ValidString(a.Name):
		return FieldErrorf("name", "is longer than %d characters", 100)
	case !isISOCode(a.Currency.Code):
		return FieldErrorf("currency", "%q is not a three-letter ISO 4217 code such as EUR", a.Currency.Code)
	}
	if a.Type == "" {
		a.Type = "checking"
	}
	if !slices.Contains(ManualAccountTypes, a.Type) {
		return FieldErrorf("type", "%q is not one of checking, savings, card, other", a.Type)
	}
	a.Currency = LookupCurrency(a.Currency.Code, nil)
	return nil
}
