package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/freenahi/freenahi/seal"
)

// TestSQLiteMemoryStatisticsOff asks SQLite itself, after a store has
// opened, migrated and written, how much memory its statistics counted:
// with them on (the default), open connections hold hundreds of KiB.
func TestSQLiteMemoryStatisticsOff(t *testing.T) {
	if sqliteMemstatusOff != 0 {
		t.Fatalf("sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) = %d, want SQLITE_OK", sqliteMemstatusOff)
	}
	text, err := seal.GenerateKeyText()
	if err != nil {
		t.Fatal(err)
	}
	key, err := seal.ParseKey(text)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "db.sqlite"), Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateUser(context.Background(), "memstatus@example.com", ""); err != nil {
		t.Fatal(err)
	}
	if used := sqliteMemoryUsed(); used != 0 {
		t.Errorf("sqlite3_memory_used() = %d with a store open, want 0: memory statistics are on", used)
	}
}
