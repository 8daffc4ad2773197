package store_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

// TestSQLite_CheckpointsInBackground checks that the writer does not copy
// SQLite's log into the database file itself when a commit makes the log
// large (an 8 MB webhook body: 2,000 pages, above the 1,000 at which SQLite
// would), and that the store's own checkpoints do: the database file grows
// by the body once they run, within their period.
func TestSQLite_CheckpointsInBackground(t *testing.T) {
	s, _, url := MustOpenStoreURL(t, store.SQLite)
	_, path := store.ParseURL(url)
	path, _, _ = strings.Cut(path, "?")
	size := func(name string) int64 {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	s.StopCheckpoints()
	before := size(path)
	const body = 8 << 20
	pid := int64(42)
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "wd:big", PowensUserID: &pid,
		Auth: freenahi.AuthHMAC, Body: []byte(`{"pad":"` + strings.Repeat("x", body) + `"}`)}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if wal := size(path + "-wal"); wal < body {
		t.Fatalf("the log holds %d bytes after an %d-byte body", wal, body)
	}
	if grew := size(path) - before; grew >= body/2 {
		t.Fatalf("the database file grew by %d bytes at the commit: the writer checkpointed", grew)
	}
	s.StartCheckpoints()
	deadline := time.Now().Add(time.Minute)
	for size(path)-before < body {
		if time.Now().After(deadline) {
			t.Fatalf("the database file grew by %d bytes in a minute: no checkpoint ran", size(path)-before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
