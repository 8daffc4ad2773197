package webtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/store"
)

// User is a freenahi user with the fixture's data and an API token.
type User struct {
	*freenahi.User
	// Token is the secret of the user's API token.
	Token string
}

// FixtureBody returns the connection_synced webhook fixture of the ingest
// package: a Powens user 42 with five accounts in four currencies.
func FixtureBody(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(tb), "ingest", "testdata", "connection_synced.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// moduleRoot finds the module's directory above the working directory,
// which is the directory of the package under test.
func moduleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// MustUserWithData creates a user, linked to Powens user powensUser, with
// the fixture's data and an API token; users with different Powens users
// have different data.
func MustUserWithData(tb testing.TB, s *store.Store, email string, powensUser int64) *User {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), email, "")
	if err != nil {
		tb.Fatal(err)
	}
	return MustAddData(tb, s, u, powensUser)
}

// MustAddData links an existing user to Powens user powensUser, ingests the
// fixture for it through the inbox, and gives it an API token.
func MustAddData(tb testing.TB, s *store.Store, u *freenahi.User, powensUser int64) *User {
	tb.Helper()
	ctx := context.Background()
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUser, Token: "powens-token-" + u.Email}); err != nil {
		tb.Fatal(err)
	}
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "test:" + u.Email, PowensUserID: &powensUser,
		Auth: freenahi.AuthHMAC, Body: FixtureBody(tb)}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		tb.Fatal(err)
	}
	w := &ingest.Worker{Inbox: s, MaxAttempts: 1}
	if n, err := w.Drain(ctx); err != nil || n != 1 {
		tb.Fatalf("drain: %d %v", n, err)
	}
	tok, err := s.CreateAPIToken(ctx, u.ID, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return &User{User: u, Token: tok.Secret}
}

// DrainInbox processes every event waiting in the inbox, as the worker does.
func DrainInbox(tb testing.TB, s *store.Store) {
	tb.Helper()
	w := &ingest.Worker{Inbox: s, MaxAttempts: 1}
	if _, err := w.Drain(context.Background()); err != nil {
		tb.Fatal(err)
	}
}

// FrenchAccount returns the user's fixture account with a French IBAN (the
// EUR checking account), which statements and Inqom take without a RIB.
func FrenchAccount(tb testing.TB, s *store.Store, userID int64) *freenahi.Account {
	tb.Helper()
	accounts, err := s.FindAccounts(context.Background(), freenahi.AccountFilter{UserID: userID})
	if err != nil {
		tb.Fatal(err)
	}
	for _, a := range accounts {
		if strings.HasPrefix(a.IBAN, "FR") {
			return a
		}
	}
	tb.Fatal("the fixture has no account with a French IBAN")
	return nil
}
