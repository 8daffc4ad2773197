// Package aggregator links freenahi users to Powens: it creates each user's
// Powens user when first needed (its permanent token sealed at rest), renews
// a refused token, pulls accounts and transactions (the reconcile that catches
// missed webhooks), asks for syncs, and builds webview links.
//
// Pulled data is not written directly: it is put in the webhook inbox as a
// "reconcile" event in the CONNECTION_SYNCED shape, so that it goes through
// the same ingestion, the same idempotent upserts and the same one-at-a-time
// ordering per Powens user as webhooks.
package aggregator

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// Store is what the service needs of the database.
type Store interface {
	freenahi.UserService
	freenahi.ConnectionService
	freenahi.InboxService
	UpdatePowensToken(ctx context.Context, userID, powensUserID int64, token string) error
	PullDue(ctx context.Context, now time.Time, limit int) ([]int64, error)
	RecordPull(ctx context.Context, userID int64, started, next time.Time, pullErr string) error
	// ClaimPull reserves a due pull, so that one instance makes it.
	ClaimPull(ctx context.Context, userID int64, now, until time.Time) (bool, error)
	// Lock waits for a lock shared by every instance on the database.
	Lock(ctx context.Context, name string) (release func(), err error)
	DeleteUser(ctx context.Context, userID int64) error
}

// Service links users to Powens. Set the fields, then use it; it is safe for
// concurrent use.
type Service struct {
	Powens *powens.Client
	Store  Store
	Logger *slog.Logger
	// Webview settings (POWENS_REDIRECT_URL, OTHER_LANGUAGE).
	RedirectURL string
	Language    string
	// StateKey signs the state of webview visits (derived from the secrets key).
	StateKey []byte
	// ReconcileInterval is the period of the background pull (default 6 h).
	ReconcileInterval time.Duration
	// EventQueued is called after pulled data is queued, to wake the worker.
	EventQueued func()
	// PollInterval is how often a decoupled validation is polled (default 2 s).
	PollInterval time.Duration
	Now          func() time.Time

	mu    sync.Mutex
	locks map[int64]*sync.Mutex
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// lockUser serialises Powens-user creation and token renewal of a user
// within this process and then across every instance on the database: two
// instances must not both create a (billable) Powens user for one person.
func (s *Service) lockUser(ctx context.Context, userID int64) (release func(), err error) {
	l := s.userLock(userID)
	l.Lock()
	dbRelease, err := s.Store.Lock(ctx, "powens-user:"+strconv.FormatInt(userID, 10))
	if err != nil {
		l.Unlock()
		return nil, err
	}
	return func() { dbRelease(); l.Unlock() }, nil
}

// userLock serialises Powens-user creation and token renewal per user within
// this process, so two requests do not create two Powens users.
func (s *Service) userLock(userID int64) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.locks == nil {
		s.locks = map[int64]*sync.Mutex{}
	}
	l := s.locks[userID]
	if l == nil {
		l = &sync.Mutex{}
		s.locks[userID] = l
	}
	return l
}

// Client returns the shared Powens client (connectors, public key, URL builders).
func (s *Service) Client() *powens.Client { return s.Powens }

// PowensUser returns the user's Powens link, creating the Powens user with
// POST /auth/init on first need. /auth/init creates a billable user and is
// never retried blindly, so creation happens under a per-user lock.
func (s *Service) PowensUser(ctx context.Context, userID int64) (*freenahi.PowensUser, error) {
	pu, err := s.Store.FindPowensUser(ctx, userID)
	if freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
		return pu, err
	}
	release, err := s.lockUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	defer release()
	if pu, err := s.Store.FindPowensUser(ctx, userID); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
		return pu, err
	}
	tok, err := s.Powens.InitUser(ctx)
	if err != nil {
		return nil, powensError("create your Powens user", err)
	}
	pu = &freenahi.PowensUser{UserID: userID, PowensUserID: tok.IDUser, Token: tok.Token}
	if _, err := s.Store.LinkPowensUser(ctx, *pu); err != nil {
		return nil, fmt.Errorf("store Powens user %d: %w", tok.IDUser, err)
	}
	s.logger().Info("Powens user created", slog.Int64("user_id", userID), slog.Int64("powens_user_id", tok.IDUser))
	return pu, nil
}

// Do calls fn with a client for the user's Powens user. When Powens refuses
// the token (401), a new permanent token is obtained with /auth/renew, stored,
// and fn is called once more.
func (s *Service) Do(ctx context.Context, userID int64, fn func(*powens.UserClient) error) error {
	pu, err := s.PowensUser(ctx, userID)
	if err != nil {
		return err
	}
	err = fn(s.Powens.User(pu.Token))
	if !powens.IsUnauthorized(err) {
		return err
	}
	token, rerr := s.renew(ctx, pu)
	if rerr != nil {
		return rerr
	}
	return fn(s.Powens.User(token))
}

func (s *Service) renew(ctx context.Context, stale *freenahi.PowensUser) (string, error) {
	release, err := s.lockUser(ctx, stale.UserID)
	if err != nil {
		return "", err
	}
	defer release()
	// Another request may have renewed it while we waited.
	if cur, err := s.Store.FindPowensUser(ctx, stale.UserID); err == nil && cur.Token != stale.Token {
		return cur.Token, nil
	}
	tok, err := s.Powens.RenewToken(ctx, stale.PowensUserID, false)
	if err != nil {
		return "", powensError("renew the access to your Powens user", err)
	}
	if err := s.Store.UpdatePowensToken(ctx, stale.UserID, stale.PowensUserID, tok.Token); err != nil {
		return "", err
	}
	s.logger().Warn("Powens refused the stored token; renewed it", slog.Int64("user_id", stale.UserID))
	return tok.Token, nil
}

// DeleteUser deletes the user's Powens user (and with it the data Powens
// holds), then the freenahi user and everything it owns.
func (s *Service) DeleteUser(ctx context.Context, userID int64) error {
	if _, err := s.Store.FindPowensUser(ctx, userID); err == nil {
		err := s.Do(ctx, userID, func(u *powens.UserClient) error { return u.DeleteUser(ctx) })
		if err != nil && !powens.IsNotFound(err) {
			return powensError("delete your Powens user", err)
		}
	} else if freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
		return err
	}
	return s.Store.DeleteUser(ctx, userID)
}
