package freenahi

import (
	"context"
	"slices"
	"time"
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
}

// Group returns the group of a's type.
func (a *Account) Group() AccountGroup { return GroupOf(a.Type) }

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
}

// GroupTotal is the sum of balances of one group in one currency.
type GroupTotal struct {
	Group AccountGroup
	Money Money
	Count int
}

// Totals sums balances per group and currency, in group order, then currency code.
// Disabled and deleted accounts do not count.
func Totals(accounts []*Account) []GroupTotal {
	type key struct {
		g AccountGroup
		c string
	}
	sums := map[key]*GroupTotal{}
	var order []key
	for _, a := range accounts {
		if a.Disabled != nil || a.Deleted != nil || a.BalanceMinor == nil {
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
	// FindBalances returns the balance snapshots of the user's account,
	// oldest first, taken from the start of from to the end of to (a zero
	// date leaves that side open); ENOTFOUND if the account does not exist
	// or belongs to another user.
	FindBalances(ctx context.Context, userID, accountID int64, from, to Date) ([]*BalanceSnapshot, error)
}
