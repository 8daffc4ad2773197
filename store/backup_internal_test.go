package store

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"slices"
	"testing"

	"github.com/freenahi/freenahi/seal"
)

// An archive written at an older schema (here: without the latest
// migration) restores into this freenahi: the schema is built at the
// archive's migrations, the rows loaded, then the newer migrations applied.
func TestRestore_OlderArchiveIsMigrated(t *testing.T) {
	ctx := context.Background()
	text, _ := seal.GenerateKeyText()
	key, _ := seal.ParseKey(text)
	old, err := openDB(ctx, "sqlite:"+filepath.Join(t.TempDir(), "old.db"), Options{Secrets: key})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	p, err := old.provider()
	if err != nil {
		t.Fatal(err)
	}
	var versions []int64
	for _, src := range p.ListSources() {
		versions = append(versions, src.Version)
	}
	latest := slices.Max(versions)
	for _, v := range versions {
		if v != latest {
			if _, err := p.ApplyVersion(ctx, v, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := old.wdb.ExecContext(ctx, `INSERT INTO users (email, password_hash, created_at) VALUES ('old@example.com', '', 1)`); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	sum, err := old.Backup(ctx, &buf, BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(sum.Header.Migrations, latest) {
		t.Fatalf("the old archive has migration %d", latest)
	}
	target := "sqlite:" + filepath.Join(t.TempDir(), "new.db")
	rep, err := Restore(ctx, target, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil },
		RestoreOptions{Secrets: key, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Migrated, []int64{latest}) {
		t.Errorf("migrated after loading: %v, want [%d]", rep.Migrated, latest)
	}
	s, err := Open(ctx, target, Options{Secrets: key})
	if err != nil {
		t.Fatalf("open the restored database without migrating: %v", err)
	}
	defer s.Close()
	if _, err := s.FindUserByEmail(ctx, "old@example.com"); err != nil {
		t.Fatal(err)
	}
}
