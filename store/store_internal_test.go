package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/freenahi/freenahi/seal"
)

// TestSQLiteDSN_Pragmas asks SQLite itself, on a connection of each pool,
// for the settings sqliteDSN means to make: the driver passes a parameter it
// does not know on to SQLite, which ignores it, so a misspelt one would be
// lost without an error. The expected values are SQLite's own spellings:
// synchronous NORMAL is 1, and a negative cache_size is in KiB.
func TestSQLiteDSN_Pragmas(t *testing.T) {
	ctx := context.Background()
	text, _ := seal.GenerateKeyText()
	key, _ := seal.ParseKey(text)
	path := filepath.Join(t.TempDir(), "dsn.db")
	s, err := Open(ctx, "sqlite:"+path, Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for pool, db := range map[string]*sql.DB{"writer": s.wdb, "reader": s.rdb} {
		for _, tc := range []struct{ pragma, want string }{
			{"busy_timeout", "10000"},
			{"journal_mode", "wal"},
			{"foreign_keys", "1"},
			{"synchronous", "1"},
			{"cache_size", "-32000"},
		} {
			var got string
			if err := db.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatalf("%s: PRAGMA %s: %v", pool, tc.pragma, err)
			}
			if got != tc.want {
				t.Errorf("%s: PRAGMA %s = %s, want %s", pool, tc.pragma, got, tc.want)
			}
		}
	}

	// The writer's transactions take the write lock as they begin (BEGIN
	// IMMEDIATE): another connection cannot take it then, even before the
	// writer has written anything. A reader's transaction takes no lock.
	other, err := sql.Open(SQLiteDriver, "file:"+path+"?_busy_timeout=0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetMaxOpenConns(1)
	for pool, tc := range map[string]struct {
		db     *sql.DB
		locked bool
	}{"writer": {s.wdb, true}, "reader": {s.rdb, false}} {
		tx, err := tc.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = other.ExecContext(ctx, `BEGIN IMMEDIATE`)
		if err == nil {
			other.ExecContext(ctx, `ROLLBACK`)
		}
		tx.Rollback()
		if got := err != nil; got != tc.locked {
			t.Errorf("%s transaction open: another connection's BEGIN IMMEDIATE: %v; want it refused: %v", pool, err, tc.locked)
		}
	}
}
