// Package store keeps freenahi's data in SQLite (embedded, the default) or
// PostgreSQL behind database/sql, with embedded migrations per engine.
//
// Both engines run the same SQL: placeholders $1…$n, instants as BIGINT
// microseconds (UTC), dates as INTEGER YYYYMMDD, money as BIGINT minor units.
// Driver errors are translated to freenahi errors at this edge.
package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/seal"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrations embed.FS

// Engine names a database engine.
type Engine string

// Supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is the database. Methods are safe for concurrent use.
type Store struct {
	engine Engine
	// rdb serves reads. wdb serves writes: on SQLite it is a single connection,
	// so writers queue in Go instead of failing with SQLITE_BUSY; on PostgreSQL
	// both are the same pool.
	rdb, wdb    *sql.DB
	secrets     *seal.Key
	logger      *slog.Logger
	receipts    *receiptBatcher     // SQLite only
	ckpt        *checkpointer       // SQLite only (checkpoint.go)
	searchClean *searchIndexCleaner // PostgreSQL only (search_pending.go)
	reads       stmtCache
	handoff     bodyHandoff // bodies just stored, for this instance's worker
	// streamBody: a claimed body above this size is streamed (Options.StreamBodyBytes).
	streamBody int64
	copyRows   int // transactions collected before a COPY (SQLite: a batch); pgCopyRows (transactionBatch) when 0 (tests set it)
	// afterTransferRead, when set (tests), runs between DetectTransfers'
	// read of the candidates and its write of the pairs.
	afterTransferRead func()

	// Now is the store's clock; tests may replace it before use.
	Now func() time.Time
	// SkipCategorization turns off categorisation at ingest; only the
	// ingest benchmark sets it, to measure what categorisation costs.
	SkipCategorization bool
}

// Options configure Open.
type Options struct {
	// Secrets seals Powens tokens at rest. Required.
	Secrets *seal.Key
	Logger  *slog.Logger
	// Migrate applies pending migrations; without it Open refuses an old schema.
	Migrate bool
	// MaxReadConns bounds the read pool (default: 2 × CPUs, at least 4).
	MaxReadConns int
	// StreamBodyBytes is the size above which a claimed event's body is read
	// as it is processed rather than whole into memory (default 16 MiB).
	// Tests lower it to stream bodies of a few MiB.
	StreamBodyBytes int64
}

// Open connects to the database named by rawURL: "sqlite:PATH" (also
// "file:PATH" or a bare path) or "postgres://…".
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	s, err := openDB(ctx, rawURL, opts)
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, opts.Migrate); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s database: %w", s.engine, err)
	}
	if s.engine == SQLite {
		s.receipts = newReceiptBatcher(s)
	}
	return s, nil
}

// openDB connects without looking at the schema (a restore builds it).
func openDB(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	if opts.Secrets == nil {
		return nil, errors.New("open database: a secrets key is required")
	}
	opts.Logger = cmp.Or(opts.Logger, slog.New(slog.DiscardHandler))
	opts.MaxReadConns = cmp.Or(opts.MaxReadConns, max(4, 2*runtime.NumCPU()))
	s := &Store{secrets: opts.Secrets, logger: opts.Logger, Now: time.Now, streamBody: cmp.Or(opts.StreamBodyBytes, streamBodyBytes)}
	var err error
	switch engine, target := ParseURL(rawURL); engine {
	case Postgres:
		s.engine = Postgres
		if s.rdb, err = sql.Open("pgx", target); err != nil {
			return nil, fmt.Errorf("open postgres database: %w", err)
		}
		s.rdb.SetMaxOpenConns(max(opts.MaxReadConns, 8))
		s.rdb.SetMaxIdleConns(max(opts.MaxReadConns, 8))
		s.rdb.SetConnMaxIdleTime(5 * time.Minute)
		s.wdb = s.rdb
		s.searchClean = newSearchIndexCleaner(s.rdb, opts.Logger)
	default:
		s.engine = SQLite
		if sqliteMemstatusOff != 0 {
			opts.Logger.Warn("SQLite's memory statistics stay on, which slows every write (see sqlite_config.go)",
				slog.Int("sqlite3_config", sqliteMemstatusOff))
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
		if err := privateDatabaseFiles(target, opts.Logger); err != nil {
			return nil, fmt.Errorf("open sqlite database: %w", err)
		}
		if s.wdb, err = sql.Open(SQLiteDriver, sqliteDSN(target, true)); err != nil {
			return nil, fmt.Errorf("open sqlite database: %w", err)
		}
		s.wdb.SetMaxOpenConns(1)
		s.wdb.SetConnMaxIdleTime(0)
		if s.rdb, err = sql.Open(SQLiteDriver, sqliteDSN(target, false)); err != nil {
			s.wdb.Close()
			return nil, fmt.Errorf("open sqlite database: %w", err)
		}
		s.rdb.SetMaxOpenConns(opts.MaxReadConns)
		s.rdb.SetMaxIdleConns(opts.MaxReadConns)
	}
	if err := s.wdb.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.engine, err)
	}
	if s.engine == SQLite {
		s.ckpt = newCheckpointer(s.rdb, s.logger)
	}
	return s, nil
}

// ParseURL tells the engine of a FREENAHI_DATABASE_URL and returns what the
// driver needs (a file path for SQLite, the URL for PostgreSQL).
func ParseURL(rawURL string) (Engine, string) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return Postgres, rawURL
	case strings.HasPrefix(rawURL, "sqlite://"):
		return SQLite, strings.TrimPrefix(rawURL, "sqlite://")
	case strings.HasPrefix(rawURL, "sqlite:"):
		return SQLite, strings.TrimPrefix(rawURL, "sqlite:")
	case strings.HasPrefix(rawURL, "file:"):
		return SQLite, strings.TrimPrefix(rawURL, "file:")
	}
	return SQLite, rawURL
}

// sqliteCacheKiB is the page cache of each SQLite connection.
const sqliteCacheKiB = 32000

// sqliteDSN enables WAL (readers never block the writer), foreign keys, a busy
// timeout, and for the writer BEGIN IMMEDIATE so a write transaction holds the
// lock from its start instead of failing when it upgrades.
//
// mattn/go-sqlite3 reads these parameters itself and sets busy_timeout on
// each new connection before the other pragmas: switching a database to WAL
// takes a lock, and a connection opened while another one holds it (a
// second instance starting, or the read pool opening beside the writer)
// must wait for it rather than fail at once with SQLITE_BUSY. Parameters it
// does not know are passed on to SQLite, which ignores them: a misspelt one
// is silently lost, which TestSQLiteDSN_Pragmas guards against.
func sqliteDSN(path string, writer bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "1")
	q.Set("_synchronous", "NORMAL")
	q.Set("_cache_size", "-"+strconv.Itoa(sqliteCacheKiB))
	if writer {
		q.Set("_txlock", "immediate")
		q.Set(backgroundCheckpointParam, "1")
	}
	return "file:" + path + "?" + q.Encode()
}

// privateDatabaseFiles makes the SQLite database readable by its owner only,
// like the key file: it holds bank data. The file is created 0600 before the
// driver opens it, because SQLite gives the -wal and -shm files it creates
// the mode of the database file; files an older freenahi created 0644 lose
// their group and other access here.
func privateDatabaseFiles(path string, logger *slog.Logger) error {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, ":memory:?") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("check database file mode: %w", err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(name, perm&0o700); err != nil {
				return fmt.Errorf("database file %s is readable by others (mode %v) and cannot be changed: %w", name, perm, err)
			}
			logger.Warn("database file was readable by others; now owner-only", slog.String("file", name),
				slog.String("was", perm.String()))
		}
	}
	return nil
}

// Engine returns the engine in use.
func (s *Store) Engine() Engine { return s.engine }

// Close closes the database.
func (s *Store) Close() error {
	if s.receipts != nil {
		s.receipts.close()
		s.receipts = nil
	}
	if s.ckpt != nil {
		s.ckpt.close()
		s.ckpt = nil
	}
	if s.searchClean != nil {
		s.searchClean.close()
		s.searchClean = nil
	}
	s.reads.close()
	var errs []error
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	if s.wdb != nil && s.wdb != s.rdb {
		errs = append(errs, s.wdb.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// Ping checks that the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.PingContext(ctx); err != nil {
		return freenahi.Errorf(freenahi.EUNAVAILABLE, "The database is unreachable.")
	}
	return nil
}

func (s *Store) provider() (*goose.Provider, error) {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	// Migrations are numbered by the change that adds them, and changes land
	// in any order: a database may be asked for 00005 after it has 00006.
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	if s.engine == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
		// Several instances may start at once against one PostgreSQL.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations of %s: %w", s.engine, err)
	}
	return goose.NewProvider(dialect, s.wdb, fsys, opts...)
}

// migrate applies pending migrations, or with apply=false refuses to run on
// an old schema.
func (s *Store) migrate(ctx context.Context, apply bool) error {
	if unfinished, err := s.tableExists(ctx, s.wdb, restoreMarker); err != nil {
		return fmt.Errorf("check for an unfinished restore: %w", err)
	} else if unfinished {
		return errUnfinishedRestore
	}
	p, err := s.provider()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if !apply {
		// HasPending also sees a migration missing below the latest applied
		// one (migrations land out of order), which comparing versions does not.
		pending, err := p.HasPending(ctx)
		if err != nil {
			return fmt.Errorf("check schema version: %w", err)
		}
		if pending {
			return errors.New("the database schema is older than this freenahi: run `freenahi migrate`")
		}
		return nil
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		s.logger.Info("migration applied", slog.String("engine", string(s.engine)), slog.Int64("version", r.Source.Version), slog.Duration("took", r.Duration))
	}
	return nil
}

// SchemaVersion returns the current and latest schema versions.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := s.provider()
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	if current, latest, err = p.GetVersions(ctx); err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	return current, latest, nil
}

// now returns the store clock in UTC, truncated to microseconds like the columns.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// MigrationsDigest identifies the embedded migrations of both engines: two
// binaries with the same digest build the same schema. Tests key their
// migrated template databases by it.
func MigrationsDigest() string {
	h := sha256.New()
	fs.WalkDir(migrations, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrations.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
