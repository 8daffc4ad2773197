package freenahi

import (
	"context"
	"time"
)

// ShareAccess is what a person an account is shared with may do with it.
//
// ShareRead lets them see the account everywhere its owner sees it: in
// their accounts list, dashboard, totals and net worth, its page, balance
// history, transactions (list, search, detail), investments and loan.
// ShareFull adds editing the account's transactions: payee, note, tags and
// transfer mark. Categories and splits stay the owner's: they are filed in
// the owner's category tree, reports and budgets. The connection, Powens and
// Inqom, the account's display choices (name, hidden, archived, group),
// deletion and sharing stay the owner's in both cases.
type ShareAccess string

// Share access levels.
const (
	ShareRead ShareAccess = "read"
	ShareFull ShareAccess = "full"
)

// Valid reports whether a is a known access level.
func (a ShareAccess) Valid() bool { return a == ShareRead || a == ShareFull }

// AccountShare is one account of its owner shared with another user of this
// freenahi (the grantee).
type AccountShare struct {
	ID        int64
	AccountID int64
	OwnerID   int64
	GranteeID int64
	Access    ShareAccess
	CreatedAt time.Time
	// Read with the share, for display.
	OwnerEmail   string
	GranteeEmail string
	AccountName  string
}

// ShareInput is an owner's request to share an account.
type ShareInput struct {
	OwnerID   int64
	AccountID int64
	// Email is the grantee's address among this freenahi's users.
	Email  string
	Access ShareAccess
}

// ShareService keeps who an account is shared with. Every method is scoped
// to the user it names: an account or share of someone else is ENOTFOUND.
type ShareService interface {
	// ShareAccount shares the owner's account with the user of that e-mail,
	// or changes the access of an existing share; EINVALID naming the
	// field for an unknown address, the owner's own or a bad access level;
	// ENOTFOUND if the account is not the owner's (a grantee cannot share
	// an account shared with them).
	ShareAccount(ctx context.Context, in ShareInput) (*AccountShare, error)
	// FindAccountShares lists the shares of the owner's account, oldest first.
	FindAccountShares(ctx context.Context, ownerID, accountID int64) ([]*AccountShare, error)
	// FindShares lists the shares the user gave (owner) and received (grantee).
	FindShares(ctx context.Context, userID int64) (given, received []*AccountShare, err error)
	// RevokeShare deletes a share of the owner's account; ENOTFOUND if the
	// share is not of one of the owner's accounts.
	RevokeShare(ctx context.Context, ownerID, shareID int64) error
	// LeaveShare deletes a share the user received; ENOTFOUND otherwise.
	LeaveShare(ctx context.Context, granteeID, shareID int64) error
	// FindVisibleTransaction returns a transaction of the user or of an
	// account shared with them, and that account as they read it;
	// ENOTFOUND otherwise. For reading only.
	FindVisibleTransaction(ctx context.Context, userID, id int64) (*Transaction, *Account, error)
}

// OwnerOnly returns the error of a change only an account's owner may make,
// asked by someone else: EFORBIDDEN when they can see the account (it is
// shared with them), else the lookup's ENOTFOUND, so that an account they
// cannot see stays indistinguishable from one that does not exist.
func OwnerOnly(ctx context.Context, accounts AccountService, userID, accountID int64) error {
	if _, err := accounts.FindAccountByID(ctx, userID, accountID); err == nil || ErrorCode(err) != ENOTFOUND {
		return err
	}
	if _, err := accounts.FindVisibleAccount(ctx, userID, accountID); err != nil {
		return err
	}
	return Errorf(EFORBIDDEN, "Only the owner of this account can do that; it is shared with you.")
}

// SharedAccount tells, on an account read for someone other than its owner,
// who shares it and how.
type SharedAccount struct {
	ShareID    int64
	OwnerEmail string
	Access     ShareAccess
}
