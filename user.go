package freenahi

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// User is a person (or a firm) using freenahi. Every other row belongs to one.
type User struct {
	ID        int64
	Email     string
	CreatedAt time.Time
	// PowensUserID is the id of the linked Powens user, if any.
	PowensUserID *int64
}

// NormalizeEmail lower-cases and checks an e-mail address.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return "", FieldErrorf("email", "is required")
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email {
		return "", FieldErrorf("email", "%q is not an e-mail address", email)
	}
	return email, nil
}

// PowensUser is the Powens user a freenahi user is mapped to, with its
// permanent token in clear text; the store keeps the token encrypted.
type PowensUser struct {
	UserID       int64
	PowensUserID int64
	Token        string
	LinkedAt     time.Time
	// LastPullAt is when the last successful reconcile pull started.
	LastPullAt *time.Time
	// PullError says why the last reconcile pull failed, if it did.
	PullError string
}

// APIToken is a bearer token for the JSON API. Only its hash is stored; the
// clear value exists once, when it is created.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	// Secret is the clear token, set only on creation.
	Secret string
}

// UserService manages users, their Powens link and their API tokens.
type UserService interface {
	// CreateUser creates a user with the e-mail address lower-cased;
	// passwordHash may be empty for API-only users. EINVALID if the address
	// is not one, ECONFLICT if a user already has it.
	CreateUser(ctx context.Context, email string, passwordHash string) (*User, error)
	// FindUserByEmail returns the user with that address, in any case;
	// EINVALID if it is not an address, ENOTFOUND if no user has it.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUserByID returns the user; ENOTFOUND if there is none.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// LinkPowensUser attaches a Powens user and its token to a freenahi user
	// (again: the token is replaced) and releases the inbox events that were
	// waiting for it, returning how many. EINVALID for a Powens id that is not
	// positive or an empty token, ECONFLICT if the Powens user is linked to
	// another freenahi user, ENOTFOUND if the freenahi user does not exist.
	LinkPowensUser(ctx context.Context, pu PowensUser) (released int, err error)
	// FindPowensUser returns the user's Powens link, token included;
	// ENOTFOUND if the user is not (or no longer) linked.
	FindPowensUser(ctx context.Context, userID int64) (*PowensUser, error)
	// FindPowensUserByPowensID returns the link of a Powens user id, token
	// included; ENOTFOUND if no freenahi user is linked to it.
	FindPowensUserByPowensID(ctx context.Context, powensUserID int64) (*PowensUser, error)

	// CreateAPIToken creates a token of the user and returns it with its
	// clear Secret, which is never shown again. An empty name becomes
	// "token". EINVALID if the name is longer than 100 characters, ENOTFOUND
	// if the user does not exist.
	CreateAPIToken(ctx context.Context, userID int64, name string) (*APIToken, error)
	// FindAPITokens returns the user's active tokens, oldest first, without
	// their secrets.
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// RevokeAPIToken revokes one of the user's active tokens; ENOTFOUND if it
	// does not exist, is already revoked or belongs to another user.
	RevokeAPIToken(ctx context.Context, userID, tokenID int64) error
	// AuthenticateAPIToken returns the user an active clear token belongs
	// to; EUNAUTHORIZED for any token that is not one.
	AuthenticateAPIToken(ctx context.Context, secret string) (*User, error)
}
