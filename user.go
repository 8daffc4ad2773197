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
	CreateUser(ctx context.Context, email string, passwordHash string) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// LinkPowensUser attaches a Powens user and its token to a freenahi user and
	// releases the inbox events that were waiting for it.
	LinkPowensUser(ctx context.Context, pu PowensUser) (released int, err error)
	FindPowensUser(ctx context.Context, userID int64) (*PowensUser, error)
	// FindPowensUserByPowensID returns the link for a Powens user id, token included.
	FindPowensUserByPowensID(ctx context.Context, powensUserID int64) (*PowensUser, error)

	CreateAPIToken(ctx context.Context, userID int64, name string) (*APIToken, error)
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, tokenID int64) error
	// AuthenticateAPIToken returns the user a clear token belongs to, or EUNAUTHORIZED.
	AuthenticateAPIToken(ctx context.Context, secret string) (*User, error)
}
