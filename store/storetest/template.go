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
	db, err := sql.Open(store.SQLiteDriver, built)
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
	name, err := pgPool.take(base, t.name)
	if err != nil {
		tb.Fatalf("create database from template: %v", err)
	}
	tb.Cleanup(func() { pgPool.give(base, t.name, name) })
	return withDatabase(tb, base, name)
}

// pgPool keeps the databases of finished tests for the next ones. Cloning
// the template (CREATE DATABASE … TEMPLATE) writes and syncs the whole
// database, seconds on a loaded machine, for each of hundreds of tests;
// emptying the tables of a used one takes a fraction of that. A database
// comes back only if its schema is still the template's (a test that
// altered it, or rolled migrations back, gets its database dropped) and
// emptying it worked; so every test still starts from the template's state:
// current schema, no rows, identities from 1.
var pgPool databasePool

type databasePool struct {
	mu     sync.Mutex
	free   []string
	n      int
	swept  bool
	shapes map[string]string // template name → its schema's fingerprint
}

// poolPrefix names this process's pooled databases; those of test processes
// that have ended are dropped by the next one (sweep).
func poolPrefix(pid int) string { return fmt.Sprintf("t_pool_%d_", pid) }

// take returns a database holding the template's state.
func (p *databasePool) take(base, template string) (string, error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	p.mu.Lock()
	if !p.swept {
		p.swept = true
		sweep(admin)
	}
	if n := len(p.free); n > 0 {
		name := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return name, nil
	}
	p.n++
	name := fmt.Sprintf("%s%d", poolPrefix(os.Getpid()), p.n)
	p.mu.Unlock()
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + template); err != nil {
		return "", err
	}
	return name, nil
}

// give takes back a test's database: emptied for the next test when its
// schema is intact, dropped otherwise.
func (p *databasePool) give(base, template, name string) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer admin.Close()
	// What the test left connected (a server still stopping) is cut off,
	// as DROP DATABASE … WITH (FORCE) did.
	admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name)
	err = p.reset(base, template, name)
	// A new name for the next test: a connection pool the test leaked
	// cannot reach it (renaming fails while anything is connected).
	p.mu.Lock()
	p.n++
	next := fmt.Sprintf("%s%d", poolPrefix(os.Getpid()), p.n)
	p.mu.Unlock()
	if err == nil {
		_, err = admin.Exec(`ALTER DATABASE ` + name + ` RENAME TO ` + next)
	}
	if err != nil {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		return
	}
	p.mu.Lock()
	p.free = append(p.free, next)
	p.mu.Unlock()
}

// reset empties every table of name, after checking that its schema is the
// template's.
func (p *databasePool) reset(base, template, name string) error {
	want, err := p.shape(base, template)
	if err != nil {
		return err
	}
	db, err := sql.Open("pgx", withDatabaseURL(base, name))
	if err != nil {
		return err
	}
	defer db.Close()
	got, err := schemaShape(db)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("database %s: schema changed by the test", name)
	}
	var tables string
	err = db.QueryRow(`SELECT coalesce(string_agg(format('%I.%I', schemaname, tablename), ', '), '')
		FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'`).Scan(&tables)
	if err != nil || tables == "" {
		return err
	}
	_, err = db.Exec(`TRUNCATE ` + tables + ` RESTART IDENTITY CASCADE`)
	return err
}

// shape is the template's schema fingerprint, read once.
func (p *databasePool) shape(base, template string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.shapes[template]; ok {
		return s, nil
	}
	db, err := sql.Open("pgx", withDatabaseURL(base, template))
	if err != nil {
		return "", err
	}
	defer db.Close()
	s, err := schemaShape(db)
	if err != nil {
		return "", err
	}
	// Rows a migration put in the template would be lost by emptying: no
	// pool then (a shape no database matches).
	var probe string
	if err := db.QueryRow(`SELECT coalesce(string_agg(format('SELECT %L WHERE EXISTS (SELECT 1 FROM %I)', tablename, tablename), ' UNION ALL '), '')
		FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'`).Scan(&probe); err != nil {
		return "", err
	}
	if probe != "" {
		var seeded string
		if err := db.QueryRow(`SELECT coalesce(string_agg(t, ', '), '') FROM (` + probe + `) AS seeded(t)`).Scan(&seeded); err != nil {
			return "", err
		}
		if seeded != "" {
			s = "seeded: " + seeded
		}
	}
	if p.shapes == nil {
		p.shapes = map[string]string{}
	}
	p.shapes[template] = s
	return s, nil
}

// schemaShape fingerprints what a test could change besides rows: relations
// and their columns, constraints, triggers, functions, and the migrations
// recorded as applied.
func schemaShape(db *sql.DB) (string, error) {
	var shape string
	err := db.QueryRow(`SELECT md5(concat_ws('|',
		(SELECT string_agg(format('%s:%s:%s:%s:%s:%s', c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)), ';' ORDER BY c.relname, a.attnum)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
			LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
			WHERE n.nspname = 'public'),
		(SELECT string_agg(format('%s:%s', conname, pg_get_constraintdef(oid)), ';' ORDER BY conname)
			FROM pg_constraint WHERE connamespace = 'public'::regnamespace),
		(SELECT string_agg(format('%s:%s', tgname, pg_get_triggerdef(oid)), ';' ORDER BY tgname)
			FROM pg_trigger WHERE NOT tgisinternal),
		(SELECT string_agg(format('%s:%s', proname, md5(prosrc)), ';' ORDER BY proname, md5(prosrc))
			FROM pg_proc WHERE pronamespace = 'public'::regnamespace),
		(SELECT string_agg(format('%s:%s', version_id, is_applied), ';' ORDER BY id) FROM goose_db_version)))`).Scan(&shape)
	return shape, err
}

// sweep drops the pooled databases of test processes that have ended.
func sweep(admin *sql.DB) {
	rows, err := admin.Query(`SELECT datname FROM pg_database WHERE datname LIKE 't\_pool\_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		var pid int
		if _, err := fmt.Sscanf(name, "t_pool_%d_", &pid); err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
			continue // still running (another package's tests)
		}
		stale = append(stale, name)
	}
	rows.Close()
	for _, name := range stale {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	}
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
