package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
)

// MigratedURL returns the URL of a new database of the engine holding the
// current schema and no data, copied from a template migrated once:
//
//   - SQLite: a file in the system temporary directory named by the
//     migrations' digest, built once (atomically renamed into place, so
//     concurrent test processes share it) and copied for each test;
//   - PostgreSQL: a database named by the digest, built once under an
//     advisory lock, and cloned with CREATE DATABASE … TEMPLATE for each
//     test, dropped at cleanup.
//
// A change to any migration changes the digest, so a stale template is never
// used.
func MigratedURL(tb testing.TB, engine store.Engine) string {
	tb.Helper()
	if engine == store.SQLite {
		return migratedSQLite(tb)
	}
	return migratedPostgres(tb)
}

func digest() string { return store.MigrationsDigest()[:16] }

var sqliteTemplate struct {
	once sync.Once
	path string
	err  error
}

func migratedSQLite(tb testing.TB) string {
	tb.Helper()
	t := &sqliteTemplate
	t.once.Do(func() { t.path, t.err = buildSQLiteTemplate() })
	if t.err != nil {
		tb.Fatalf("migrated SQLite template: %v", t.err)
	}
	dst := filepath.Join(tb.TempDir(), "freenahi.db")
	if err := copyFile(t.path, dst); err != nil {
		tb.Fatalf("copy SQLite template: %v", err)
	}
	return "sqlite:" + dst
}

func buildSQLiteTemplate() (string, error) {
	final := filepath.Join(os.TempDir(), "freenahi-storetest-"+digest()+".db")
	if _, err := os.Stat(final); err == nil {
		return final, nil
	}
	dir, err := os.MkdirTemp("", "freenahi-template-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	built := filepath.Join(dir, "migrated.db")
	s, err := store.Open(ctx, "sqlite:"+built, store.Options{Secrets: newKey(), Migrate: true})
	if err != nil {
		return "", err
	}
	s.Close()
	// VACUUM INTO writes one self-contained file (no -wal beside it).
	db, err := sql.Open("sqlite", built)
	if err != nil {
		return "", err
	}
	defer db.Close()
	packed := filepath.Join(dir, "packed.db")
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, packed); err != nil {
		return "", fmt.Errorf("vacuum into: %w", err)
	}
	if err := os.Rename(packed, final); err != nil {
		return "", err
	}
	return final, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

var postgresTemplate struct {
	once sync.Once
	name string
	err  error
}

func migratedPostgres(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		testenv.Skip(tb, "%s is not set", PostgresEnv)
	}
	t := &postgresTemplate
	t.once.Do(func() { t.name, t.err = buildPostgresTemplate(base) })
	if t.err != nil {
		tb.Fatalf("migrated PostgreSQL template (is PostgreSQL at %s up?): %v", base, t.err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	name := "t_" + randomHex(6)
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + t.name); err != nil {
		admin.Close()
		tb.Fatalf("create database from template: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		admin.Close()
	})
	return withDatabase(tb, base, name)
}

// buildPostgresTemplate creates the template database once per schema
// version; concurrent test processes wait for each other on an advisory lock.
func buildPostgresTemplate(base string) (string, error) {
	ctx := context.Background()
	name := "freenahi_tmpl_" + digest()
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	key := int64(binary.BigEndian.Uint64([]byte("fnhtmpl!")))
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, key)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
		return "", err
	}
	s, err := store.Open(ctx, withDatabaseURL(base, building), store.Options{Secrets: newKey(), Migrate: true})
	if err != nil {
		return "", err
	}
	s.Close()
	// Renamed only once complete: a test never clones a half-migrated schema.
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
		return "", err
	}
	return name, nil
}

func withDatabase(tb testing.TB, base, name string) string {
	tb.Helper()
	u := withDatabaseURL(base, name)
	if u == "" {
		tb.Fatalf("%s is not a URL", PostgresEnv)
	}
	return u
}

func withDatabaseURL(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}

func newKey() *seal.Key {
	text, err := seal.GenerateKeyText()
	if err != nil {
		panic(err)
	}
	k, err := seal.ParseKey(text)
	if err != nil {
		panic(err)
	}
	return k
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
