// Package storetest opens real stores for tests: SQLite in a temporary
// directory always, and PostgreSQL when FREENAHI_TEST_POSTGRES_URL is set, each
// test in its own database (or schema) so packages can run in parallel against
// one server.
// Without FREENAHI_TEST_POSTGRES_URL the PostgreSQL half skips, or fails when
// FREENAHI_CI is set (see internal/testenv).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
)

// PostgresEnv names the variable holding the PostgreSQL URL for tests.
const PostgresEnv = "FREENAHI_TEST_POSTGRES_URL"

// Engines runs fn as a subtest once per available engine.
func Engines(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("SQLite", func(t *testing.T) { fn(t, MustOpen(t, store.SQLite)) })
	t.Run("Postgres", func(t *testing.T) {
		if os.Getenv(PostgresEnv) == "" {
			testenv.Skip(t, "%s is not set; PostgreSQL tests skipped", PostgresEnv)
		}
		fn(t, MustOpen(t, store.Postgres))
	})
}

// Key returns a fresh secrets key.
func Key(tb testing.TB) *seal.Key {
	tb.Helper()
	text, err := seal.GenerateKeyText()
	if err != nil {
		tb.Fatal(err)
	}
	k, err := seal.ParseKey(text)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// MustOpen opens a migrated, empty store of the given engine, closed at cleanup.
// The database is a copy of a template migrated once per schema version
// (see MigratedURL): applying every migration for each test cost seconds per
// test under -race on a loaded machine.
func MustOpen(tb testing.TB, engine store.Engine) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), MigratedURL(tb, engine), store.Options{Secrets: Key(tb), Migrate: true})
	if err != nil {
		tb.Fatalf("open %s store: %v", engine, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// URL returns a database URL for a new empty database of the engine: a file
// in a temporary directory, or a fresh PostgreSQL schema dropped at cleanup.
func URL(tb testing.TB, engine store.Engine) string {
	tb.Helper()
	if engine == store.SQLite {
		return "sqlite:" + filepath.Join(tb.TempDir(), "freenahi.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		testenv.Skip(tb, "%s is not set", PostgresEnv)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema (is PostgreSQL at %s up?): %v", base, err)
	}
	tb.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
