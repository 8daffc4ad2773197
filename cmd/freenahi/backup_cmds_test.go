package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// backup → restore elsewhere → copy to PostgreSQL, through the commands,
// with the key questions a person meets on the way.
func TestCommands_BackupRestoreCopy(t *testing.T) {
	src := newTestMain(t, store.SQLite)
	src.run("", "user", "create", "--email", "ana@example.com")
	src.run("tok-ana\n", "user", "link-powens", "--email", "ana@example.com", "--powens-user-id", "42", "--powens-token-stdin")
	archive := filepath.Join(t.TempDir(), "freenahi.archive.gz")
	out := src.run("", "backup", "-o", archive)
	if !strings.Contains(out, "backed up") || !strings.Contains(out, archive) {
		t.Fatalf("backup output: %s", out)
	}
	if fi, err := os.Stat(archive); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("archive: %v, %v (want mode 0600)", fi, err)
	}

	// Another machine without the key file: refused, saying what is needed.
	dst := newTestMain(t, store.SQLite)
	err := dst.runErr("", "restore", "-i", archive)
	if err == nil || !strings.Contains(err.Error(), "FREENAHI_SECRET_KEY") || !strings.Contains(err.Error(), "secret.key") {
		t.Fatalf("restore without a key: %v", err)
	}
	// With another key: refused as well.
	other, _ := seal.GenerateKeyText()
	dst.env["FREENAHI_SECRET_KEY"] = other
	if err := dst.runErr("", "restore", "-i", archive); err == nil || !strings.Contains(err.Error(), "sealed with another key") {
		t.Fatalf("restore with another key: %v", err)
	}
	// With the key file of the source: restored and checked.
	delete(dst.env, "FREENAHI_SECRET_KEY")
	keyText, err := os.ReadFile(filepath.Join(src.env["FREENAHI_DATA_DIR"], "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dst.env["FREENAHI_DATA_DIR"], "secret.key"), keyText, 0o600)
	out = dst.run("", "restore", "-i", archive)
	if !strings.Contains(out, "restored") || !strings.Contains(out, "checked:") {
		t.Fatalf("restore output: %s", out)
	}
	if out := dst.run("", "user", "list"); !strings.Contains(out, "ana@example.com") || !strings.Contains(out, "42") {
		t.Fatalf("users after restore: %s", out)
	}
	// A second restore into the now full database is refused without --force.
	if err := dst.runErr("", "restore", "-i", archive); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore into a full database: %v", err)
	}
	dst.run("", "restore", "-i", archive, "--force")

	// The scale path: copy to PostgreSQL, then serve from there.
	pg := storetest.URL(t, store.Postgres)
	out = src.run("", "copy", "--to", pg)
	if !strings.Contains(out, "copied") || !strings.Contains(out, "FREENAHI_SECRET_KEY") {
		t.Fatalf("copy output: %s", out)
	}
	src.env["FREENAHI_DATABASE_URL"] = pg
	if out := src.run("", "user", "list"); !strings.Contains(out, "ana@example.com") {
		t.Fatalf("users on PostgreSQL: %s", out)
	}
}

// serve with FREENAHI_BACKUP_DIR writes a backup at start-up.
func TestServe_ScheduledBackup(t *testing.T) {
	tm := newTestMain(t, store.SQLite)
	dir := filepath.Join(t.TempDir(), "backups")
	tm.env["FREENAHI_BACKUP_DIR"] = dir
	tm.env["FREENAHI_BACKUP_KEEP"] = "3"
	_, stop := tm.serve()
	defer stop()
	deadline := time.Now().Add(30 * time.Second)
	for {
		entries, _ := os.ReadDir(dir)
		if len(entries) == 1 && strings.HasSuffix(entries[0].Name(), ".archive.gz") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no backup in %s after 30 s: %v", dir, entries)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestConfig_Backup(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"FREENAHI_BACKUP_INTERVAL", "10s", "shorter than 1m"},
		{"FREENAHI_BACKUP_KEEP", "0", "between 1 and"},
	} {
		_, err := LoadConfig(func(k string) (string, bool) {
			if k == tc.name {
				return tc.value, true
			}
			return "", false
		})
		if err == nil || !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%s: err = %v", tc.name, tc.value, err)
		}
	}
}
