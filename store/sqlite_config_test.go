package store_test

import (
	"testing"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestSQLiteMemoryStatisticsOff asks SQLite itself, after a store has
// opened, migrated and written, how much memory its statistics counted:
// with them on (the default), open connections hold hundreds of KiB.
func TestSQLiteMemoryStatisticsOff(t *testing.T) {
	if answer, _ := store.SQLiteMemoryStatistics(); answer != 0 {
		t.Fatalf("sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) = %d, want SQLITE_OK", answer)
	}
	s := storetest.MustOpen(t, store.SQLite)
	MustCreateUser(t, s, "memstatus@example.com", 1)
	if _, used := store.SQLiteMemoryStatistics(); used != 0 {
		t.Errorf("sqlite3_memory_used() = %d with a store open, want 0: memory statistics are on", used)
	}
}
