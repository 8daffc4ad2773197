package backup_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi/backup"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

var ctx = context.Background()

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func openStore(t *testing.T, url string, key *seal.Key) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Backups are taken when the newest is Interval old, the Keep newest stay,
// files that are not scheduled backups are never touched, and each file
// restores.
func TestScheduler_IntervalAndRetention(t *testing.T) {
	key := storetest.Key(t)
	s := openStore(t, storetest.URL(t, store.SQLite), key)
	if _, err := s.CreateUser(ctx, "ana@example.com", ""); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)
	os.WriteFile(filepath.Join(dir, "freenahi-yesterday.archive.gz"), []byte("mine too"), 0o600)
	now := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	sch := &backup.Scheduler{Store: s, Dir: dir, Interval: 24 * time.Hour, Keep: 2, Now: func() time.Time { return now }}
	var written []string
	for _, step := range []struct {
		advance time.Duration
		writes  bool
	}{{0, true}, {time.Hour, false}, {23 * time.Hour, true}, {23*time.Hour + 59*time.Minute, false}, {time.Minute, true}, {48 * time.Hour, true}} {
		now = now.Add(step.advance)
		path, err := sch.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if (path != "") != step.writes {
			t.Fatalf("at %s: wrote %q, want a file: %v", now, path, step.writes)
		}
		if path != "" {
			written = append(written, filepath.Base(path))
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("backup file %s: %v, %v (want mode 0600)", path, fi, err)
			}
		}
	}
	want := append([]string{"freenahi-yesterday.archive.gz"}, written[len(written)-2:]...)
	want = append(want, "notes.txt")
	slices.Sort(want)
	if got := listDir(t, dir); !slices.Equal(got, want) {
		t.Fatalf("directory holds %v, want %v", got, want)
	}
	if written[0] != "freenahi-20260301T020000Z.archive.gz" {
		t.Errorf("first file named %s", written[0])
	}
	last := filepath.Join(dir, written[len(written)-1])
	rep, err := store.Restore(ctx, storetest.URL(t, store.SQLite), func() (io.ReadCloser, error) { return os.Open(last) },
		store.RestoreOptions{Secrets: key, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range rep.Tables {
		if tr.Name == "users" && tr.Rows != 1 {
			t.Errorf("restored %d users", tr.Rows)
		}
	}
}

// Three instances on one PostgreSQL sharing a directory, all due at once:
// one file.
func TestScheduler_OneInstanceAtATime(t *testing.T) {
	key := storetest.Key(t)
	url := storetest.URL(t, store.Postgres)
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	paths := make([]string, 3)
	for i := range paths {
		sch := &backup.Scheduler{Store: openStore(t, url, key), Dir: dir, Interval: time.Hour, Keep: 5,
			Now: func() time.Time { return now.Add(time.Duration(i) * time.Second) }}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if paths[i], err = sch.RunOnce(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := listDir(t, dir); len(got) != 1 {
		t.Fatalf("directory holds %v (instances wrote %q), want one backup", got, paths)
	}
}
