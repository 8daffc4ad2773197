package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

var ctx = context.Background()

// t0 is where every test store's clock starts.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// clock is a test store's clock: it stands still until the test moves it.
type clock struct{ now time.Time }

// Add moves the clock and returns the new time.
func (c *clock) Add(d time.Duration) time.Time {
	c.now = c.now.Add(d)
	return c.now
}

// MustOpenStore opens an empty, migrated store of the engine, closed at
// cleanup, with its clock standing at t0.
func MustOpenStore(tb testing.TB, engine store.Engine) (*store.Store, *clock) {
	tb.Helper()
	s := storetest.MustOpen(tb, engine)
	clk := &clock{now: t0}
	s.Now = func() time.Time { return clk.now }
	return s, clk
}

// MustOpenStoreURL is MustOpenStore that also returns the database's URL,
// for tests that look at the database directly.
func MustOpenStoreURL(tb testing.TB, engine store.Engine) (*store.Store, *clock, string) {
	tb.Helper()
	url := storetest.MigratedURL(tb, engine)
	s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(tb), Migrate: true})
	if err != nil {
		tb.Fatalf("open %s store: %v", engine, err)
	}
	tb.Cleanup(func() { s.Close() })
	clk := &clock{now: t0}
	s.Now = func() time.Time { return clk.now }
	return s, clk, url
}

// engines are the engines tests run on; PostgreSQL's tests skip without
// FREENAHI_TEST_POSTGRES_URL.
var engines = []store.Engine{store.SQLite, store.Postgres}

// eachEngine runs fn on an empty store of each engine: SQLite always,
// PostgreSQL when FREENAHI_TEST_POSTGRES_URL is set.
func eachEngine(t *testing.T, fn func(t *testing.T, s *store.Store, clk *clock)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		clk := &clock{now: t0}
		s.Now = func() time.Time { return clk.now }
		fn(t, s, clk)
	})
}

// MustCreateUser creates a user and, when powensUserID is not 0, links it
// to that Powens user with the token "tok-<email>".
func MustCreateUser(tb testing.TB, s *store.Store, email string, powensUserID int64) *freenahi.User {
	tb.Helper()
	u, err := s.CreateUser(ctx, email, "")
	if err != nil {
		tb.Fatalf("create user %s: %v", email, err)
	}
	if powensUserID != 0 {
		if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUserID, Token: "tok-" + email}); err != nil {
			tb.Fatalf("link user %s: %v", email, err)
		}
		u.PowensUserID = &powensUserID
	}
	return u
}

// deliveries numbers the events MustSync delivers.
var deliveries atomic.Int64

// MustSync runs fn with a SyncWriter of the user inside one processed inbox
// event, as ingestion does, and returns the event's id. The user must be
// linked to a Powens user and have no other event waiting.
func MustSync(tb testing.TB, s *store.Store, u *freenahi.User, fn func(w freenahi.SyncWriter) error) int64 {
	tb.Helper()
	e := mustReceive(tb, s, freenahi.EventConnectionSynced, fmt.Sprintf("sync:%d", deliveries.Add(1)), *u.PowensUserID)
	claimed := mustClaim(tb, s, e.ID)
	if err := s.ProcessEvent(ctx, claimed, func(_ context.Context, w freenahi.SyncWriter) error { return fn(w) }); err != nil {
		tb.Fatalf("process event %d: %v", e.ID, err)
	}
	return e.ID
}

// mustReceive stores an event of a Powens user as the webhook receiver does.
func mustReceive(tb testing.TB, s *store.Store, event, key string, powensUserID int64) *freenahi.InboxEvent {
	tb.Helper()
	e := &freenahi.InboxEvent{Event: event, DeliveryKey: key, PowensUserID: &powensUserID, Auth: freenahi.AuthHMAC,
		Body: []byte(`{"key":"` + key + `"}`)}
	if dup, err := s.ReceiveEvent(ctx, e); err != nil || dup {
		tb.Fatalf("receive %s: duplicate=%v err=%v", key, dup, err)
	}
	return e
}

// mustClaim claims the next event and checks it is the one wanted.
func mustClaim(tb testing.TB, s *store.Store, want int64) *freenahi.InboxEvent {
	tb.Helper()
	e, err := s.ClaimEvent(ctx, time.Minute)
	if err != nil {
		tb.Fatalf("claim event %d: %v", want, err)
	}
	if e.ID != want {
		tb.Fatalf("claimed event %d, want %d", e.ID, want)
	}
	return e
}

// bank is what MustSeedBank writes for a user: one connection with two
// sources and an account of each kind. Every user gets the same Powens ids,
// so that lookups by Powens id are shown to stay within their user.
type bank struct {
	user                                       *freenahi.User
	conn                                       *freenahi.Connection
	checking, card, savings, loan, market, yen *freenahi.Account
}

var (
	eur = freenahi.Currency{Code: "EUR", Exponent: 2}
	jpy = freenahi.Currency{Code: "JPY", Exponent: 0}
)

// MustSeedBank writes a user's connection and accounts through the sync path.
func MustSeedBank(tb testing.TB, s *store.Store, u *freenahi.User) *bank {
	tb.Helper()
	b := &bank{user: u}
	MustSync(tb, s, u, func(w freenahi.SyncWriter) error {
		b.conn = &freenahi.Connection{PowensID: 1, BankName: "Banque Test", Active: true, ConnectorID: ptr(int64(40)),
			Sources: []freenahi.ConnectionSource{
				{PowensID: 2, Name: "openapi", AccessExpire: ptr(t0.Add(90 * 24 * time.Hour))},
				{PowensID: 3, Name: "directaccess", Disabled: ptr(t0)},
			}}
		if err := w.UpsertConnection(ctx, b.conn); err != nil {
			return err
		}
		account := func(powensID int64, typ, name string, cur freenahi.Currency, balance int64) *freenahi.Account {
			return &freenahi.Account{ConnectionID: b.conn.ID, PowensID: powensID, PowensConnectionID: 1, Type: typ,
				Name: name, Currency: cur, BalanceMinor: ptr(balance), Display: true, IBAN: "FR76300060000112345678901" + fmt.Sprint(powensID)}
		}
		b.checking = account(10, "checking", "Compte courant", eur, 150000)
		b.card = account(11, "card", "Carte", eur, -4000)
		b.card.PowensParentID = ptr(int64(10))
		b.savings = account(12, "livret_a", "Livret A", eur, 1000000)
		b.loan = account(13, "loan", "Prêt auto", eur, -800000)
		b.market = account(14, "pea", "PEA", eur, 500000)
		b.yen = account(15, "checking", "Compte yen", jpy, 20000)
		// The card comes before its parent, as Powens may list it.
		for _, a := range []*freenahi.Account{b.card, b.checking, b.savings, b.loan, b.market, b.yen} {
			if err := w.UpsertAccount(ctx, a); err != nil {
				return err
			}
			a.UserID = u.ID
		}
		return nil
	})
	return b
}

func ptr[T any](v T) *T { return &v }

// date parses YYYY-MM-DD.
func date(s string) freenahi.Date {
	d, err := freenahi.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// wantCode fails the test unless err carries the domain error code, still
// findable with errors.As through the store's context.
func wantCode(tb testing.TB, err error, code string, what string) {
	tb.Helper()
	if got := freenahi.ErrorCode(err); got != code {
		tb.Fatalf("%s: err=%v (code %q), want code %q", what, err, got, code)
	}
}

// rawDB opens the database behind a store URL directly, for what the store
// offers no method for (looking at bytes at rest, breaking a schema).
func rawDB(tb testing.TB, rawURL string) *sql.DB {
	tb.Helper()
	driver := store.SQLiteDriver
	engine, target := store.ParseURL(rawURL)
	if engine == store.Postgres {
		driver = "pgx"
	}
	db, err := sql.Open(driver, target)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url    string
		engine store.Engine
		target string
	}{
		{"postgres://u@h/db", store.Postgres, "postgres://u@h/db"},
		{"postgresql://u@h/db", store.Postgres, "postgresql://u@h/db"},
		{"sqlite:///var/lib/f.db", store.SQLite, "/var/lib/f.db"},
		{"sqlite:data/f.db", store.SQLite, "data/f.db"},
		{"file:f.db", store.SQLite, "f.db"},
		{"./freenahi-data/freenahi.db", store.SQLite, "./freenahi-data/freenahi.db"},
	} {
		if engine, target := store.ParseURL(tc.url); engine != tc.engine || target != tc.target {
			t.Errorf("ParseURL(%q)=%s %q, want %s %q", tc.url, engine, target, tc.engine, tc.target)
		}
	}
}

func TestOpen(t *testing.T) {
	t.Run("SecretsRequired", func(t *testing.T) {
		if _, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "f.db"), store.Options{Migrate: true}); err == nil {
			t.Fatal("opened without a secrets key")
		}
	})
	t.Run("UnreachablePostgres", func(t *testing.T) {
		_, err := store.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
			store.Options{Secrets: storetest.Key(t), Migrate: true})
		if err == nil || !strings.Contains(err.Error(), "connect to postgres database") {
			t.Fatalf("err=%v, want a connection error naming the engine", err)
		}
	})
	t.Run("UncreatableDirectory", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Open(ctx, "sqlite:"+filepath.Join(file, "sub", "f.db"), store.Options{Secrets: storetest.Key(t)}); err == nil {
			t.Fatal("opened a database under a regular file")
		}
	})
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) { testOpenSchema(t, engine) })
	}
}

// testOpenSchema checks that Open without Migrate refuses a schema that
// misses any migration, the latest or an older one, and accepts a current one.
func testOpenSchema(t *testing.T, engine store.Engine) {
	url := storetest.URL(t, engine)
	key := storetest.Key(t)
	if _, err := store.Open(ctx, url, store.Options{Secrets: key}); err == nil || !strings.Contains(err.Error(), "freenahi migrate") {
		t.Fatalf("empty database without Migrate: err=%v, want a refusal naming freenahi migrate", err)
	}
	s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Engine(); got != engine {
		t.Fatalf("Engine()=%s, want %s", got, engine)
	}
	current, latest, err := s.SchemaVersion(ctx)
	if err != nil || current != latest || latest < 6 {
		t.Fatalf("SchemaVersion()=%d, %d, %v; want current = latest ≥ 6", current, latest, err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Ping(ctx), freenahi.EUNAVAILABLE, "Ping after Close")

	s, err = store.Open(ctx, url, store.Options{Secrets: key})
	if err != nil {
		t.Fatalf("current schema without Migrate: %v", err)
	}
	s.Close()
	// A migration that landed after later ones were applied (they are
	// numbered by change, and changes merge in any order) is pending too,
	// although the latest version is applied.
	db := rawDB(t, url)
	if _, err := db.ExecContext(ctx, `DELETE FROM goose_db_version WHERE version_id = 3`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, url, store.Options{Secrets: key}); err == nil || !strings.Contains(err.Error(), "freenahi migrate") {
		t.Fatalf("schema missing migration 3 without Migrate: err=%v, want a refusal", err)
	}
}

// TestOpen_PrivateFiles: the SQLite database and the -wal and -shm files
// SQLite creates beside it are readable by their owner only, whatever the
// umask lets through; files an older version left 0644 are tightened.
func TestOpen_PrivateFiles(t *testing.T) {
	perms := func(t *testing.T, file string) {
		t.Helper()
		for _, name := range []string{file, file + "-wal", file + "-shm"} {
			fi, err := os.Stat(name)
			if err != nil {
				t.Fatalf("%s: %v (WAL mode keeps it while the store is open)", name, err)
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Errorf("%s: mode %v, want -rw-------", filepath.Base(name), got)
			}
		}
	}
	t.Run("Created", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "f.db")
		s, err := store.Open(ctx, "sqlite:"+file, store.Options{Secrets: storetest.Key(t), Migrate: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.CreateUser(ctx, "perm@example.com", ""); err != nil {
			t.Fatal(err)
		}
		perms(t, file)
	})
	t.Run("LeftOpenByAnOlderVersion", func(t *testing.T) {
		// A migrated database as an older freenahi left it, files 0644.
		_, file := store.ParseURL(storetest.MigratedURL(t, store.SQLite))
		for _, name := range []string{file, file + "-wal", file + "-shm"} {
			// The -wal and -shm files go when the last connection closes;
			// empty ones are what a crash leaves, and SQLite accepts them.
			f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			if err := os.Chmod(name, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := store.Open(ctx, "sqlite:"+file, store.Options{Secrets: storetest.Key(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		perms(t, file)
	})
}
