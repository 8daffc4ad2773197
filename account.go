package freenahi

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AccountGroup is how accounts are grouped and totalled for a person.
type AccountGroup string

// Account groups.
const (
	GroupChecking    AccountGroup = "checking"
	GroupSavings     AccountGroup = "savings"
	GroupInvestments AccountGroup = "investments"
	GroupLoans       AccountGroup = "loans"
	GroupOther       AccountGroup = "other"
)

// AccountGroups lists the groups in display order.
var AccountGroups = []AccountGroup{GroupChecking, GroupSavings, GroupInvestments, GroupLoans, GroupOther}

// GroupOf returns the group of a Powens account type; unknown types go to "other".
func GroupOf(accountType string) AccountGroup {
	switch accountType {
	case "checking", "card", "joint", "deposit":
		return GroupChecking
	case "savings", "livret_a", "livret_b", "ldds", "lep", "cel", "pel", "cat", "csl":
		return GroupSavings
	case "market", "pea", "pee", "per", "perco", "perp", "lifeinsurance", "capitalisation",
		"madelin", "article83", "rsp", "crowdlending", "real_estate":
		return GroupInvestments
	case "loan", "mortgage", "consumercredit", "revolvingcredit":
		return GroupLoans
	}
	return GroupOther
}

// Account is a bank account as Powens reports it.
type Account struct {
	ID                 int64
	UserID             int64
	ConnectionID       int64
	PowensID           int64
	PowensConnectionID int64
	// PowensParentID is the Powens id of the parent account (a card's checking account).
	PowensParentID *int64
	// ParentID is our id of the parent account when it is known.
	ParentID       *int64
	PowensSourceID *int64
	Type           string
	Usage          string
	IBAN           string
	BIC            string
	Number         string
	Name           string
	OriginalName   string
	CompanyName    string
	Currency       Currency
	BalanceMinor   *int64
	ComingMinor    *int64
	Display        bool
	Bookmarked     bool
	Error          string
	OpeningDate    Date
	Disabled       *time.Time
	Deleted        *time.Time
	LastUpdate     *time.Time
	UpdatedAt      time.Time
	// Manual is an account with no Powens connection, fed by imported
	// files (see ImportService). Its PowensID is negative: Powens never
	// hands one out.
	Manual bool
	// The person's choices, which a sync never changes.
	//
	// DisplayName is the name the person gave the account; "" shows
	// Powens' Name.
	DisplayName string
	// Hidden and Archived accounts count in no total and no net worth;
	// they stay listed on request.
	Hidden   bool
	Archived bool
	// ChosenGroup is the group the person put the account in; "" keeps the
	// group of its type.
	ChosenGroup AccountGroup
	// BankName is the bank of the account's connection, read with it.
	BankName string
	// Shared is set when the account was read for a person it is shared
	// with (AccountFilter.WithShared, FindVisibleAccount); nil for the owner.
	Shared *SharedAccount
}

// ReadOnlyFor reports whether a, as read, may not be changed by its reader:
// it is shared with them read-only.
func (a *Account) ReadOnly() bool { return a.Shared != nil && a.Shared.Access != ShareFull }

// Group returns the group the person chose for a, else that of its type.
func (a *Account) Group() AccountGroup {
	if a.ChosenGroup != "" {
		return a.ChosenGroup
	}
	return GroupOf(a.Type)
}

// Title is the name to show: the person's, else Powens'.
func (a *Account) Title() string {
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Name
}

// Counted reports whether a counts in totals and net worth: activated, not
// deleted, neither hidden nor archived by the person.
func (a *Account) Counted() bool {
	return a.Disabled == nil && a.Deleted == nil && !a.Hidden && !a.Archived
}

// Balance returns the balance as Money, or nil when Powens gave none.
func (a *Account) Balance() *Money {
	if a.BalanceMinor == nil {
		return nil
	}
	return &Money{Minor: *a.BalanceMinor, Currency: a.Currency}
}

// AccountFilter selects accounts of one user.
type AccountFilter struct {
	UserID         int64
	Type           string
	Group          AccountGroup
	ConnectionID   *int64
	IncludeDeleted bool
	// WithShared adds the accounts other users share with UserID (their
	// Shared field set), after the user's own.
	WithShared bool
}

// GroupTotal is the sum of balances of one group in one currency.
type GroupTotal struct {
	Group AccountGroup
	Money Money
	Count int
}

// Totals sums balances per group and currency, in group order, then currency code.
// Only counted accounts (see Counted) add up.
func Totals(accounts []*Account) []GroupTotal {
	type key struct {
		g AccountGroup
		c string
	}
	sums := map[key]*GroupTotal{}
	var order []key
	for _, a := range accounts {
		if !a.Counted() || a.BalanceMinor == nil {
			continue
		}
		k := key{a.Group(), a.Currency.Code}
		t := sums[k]
		if t == nil {
			t = &GroupTotal{Group: k.g, Money: Money{Currency: a.Currency}}
			sums[k] = t
			order = append(order, k)
		}
		t.Money.Minor += *a.BalanceMinor
		t.Count++
	}
	var out []GroupTotal
	for _, g := range AccountGroups {
		var codes []string
		for _, k := range order {
			if k.g == g {
				codes = append(codes, k.c)
			}
		}
		slices.Sort(codes)
		for _, c := range codes {
			out = append(out, *sums[key{g, c}])
		}
	}
	return out
}

// BalanceSnapshot is the balance of an account at one sync.
type BalanceSnapshot struct {
	AccountID    int64
	At           time.Time
	BalanceMinor int64
	ComingMinor  *int64
	Currency     Currency
}

// AccountService reads accounts and their balance history. Every method is
// scoped to one user: another user's accounts are never read.
type AccountService interface {
	// FindAccounts returns the filter's user's accounts that match it, by
	// connection then id; deleted accounts only with IncludeDeleted. No
	// match is an empty list, not an error.
	FindAccounts(ctx context.Context, filter AccountFilter) ([]*Account, error)
	// FindAccountByID returns the user's account, deleted or not; ENOTFOUND
	// if it does not exist or belongs to another user.
	FindAccountByID(ctx context.Context, userID, id int64) (*Account, error)
	// FindVisibleAccount returns an account the user owns or that is shared
	// with them (Shared set), deleted or not; ENOTFOUND otherwise. For
	// reading only: writes stay on the owner's id.
	FindVisibleAccount(ctx context.Context, userID, id int64) (*Account, error)
	// FindBalances returns the balance snapshots of the user's account,
	// oldest first, taken from the start of from to the end of to (a zero
	// date leaves that side open); ENOTFOUND if the account does not exist
	// or belongs to another user.
	FindBalances(ctx context.Context, userID, accountID int64, from, to Date) ([]*BalanceSnapshot, error)
	// UpdateAccountChoices applies the person's choices to their account and
	// returns it; EINVALID naming the field for a bad choice, ENOTFOUND if
	// the account does not exist or belongs to another user.
	UpdateAccountChoices(ctx context.Context, userID, id int64, c AccountChoices) (*Account, error)
}

// AccountChoices are the changes a person asks for on an account; a nil
// field stays as it is.
type AccountChoices struct {
	// Name is the display name; "" gives Powens' name back.
	Name     *string
	Hidden   *bool
	Archived *bool
	// Group is the chosen group; "" gives the group of the type back.
	Group *AccountGroup
}

// Validate checks the choices and trims the name.
func (c *AccountChoices) Validate() error {
	if c.Name != nil {
		n := strings.TrimSpace(*c.Name)
		if err := checkName(n); err != nil {
			return err
		}
		c.Name = &n
	}
	if c.Group != nil && *c.Group != "" && !slices.Contains(AccountGroups, *c.Group) {
		return FieldErrorf("group", "%q is not checking, savings, investments, loans or other", string(*c.Group))
	}
	return nil
}

// checkName checks a name a person typed (the "name" field): at most 100
// characters, no control characters.
func checkName(n string) error {
	if utf8.RuneCountInString(n) > 100 {
		return FieldErrorf("name", "is longer than %d characters", 100)
	}
	if strings.ContainsFunc(n, unicode.IsControl) || !utf8.ValidString(n) {
		return FieldErrorf("name", "contains control characters")
	}
	return nil
}
