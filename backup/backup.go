// Package backup writes archives of the database to files: on demand
// (freenahi backup) and on a schedule run by serve, keeping the newest few.
// With several instances on one PostgreSQL, one of them at a time backs up:
// an advisory lock serialises them, and the newest file in the directory
// says whether a backup is due, so instances sharing a directory write one
// file per interval between them.
package backup

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/freenahi/freenahi/store"
)

// Store is what backups need of the database.
type Store interface {
	Backup(ctx context.Context, w io.Writer, opts store.BackupOptions) (*store.BackupSummary, error)
	TryLock(ctx context.Context, name string) (release func(), ok bool, err error)
}

// WriteFile writes an archive to path atomically: a temporary file in the
// same directory, readable by its owner only (it holds bank data and sealed
// secrets), synced, then renamed.
func WriteFile(ctx context.Context, s Store, path string, opts store.BackupOptions) (*store.BackupSummary, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(f.Name())
	sum, err := s.Backup(ctx, f, opts)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return nil, fmt.Errorf("backup to %s: %w", path, err)
	}
	return sum, nil
}

// File names: freenahi-20261206T173000Z.archive.gz, so that names sort by time.
const (
	prefix     = "freenahi-"
	suffix     = ".archive.gz"
	timeFormat = "20060102T150405Z"
)

// FileName is the name of a scheduled backup taken at t.
func FileName(t time.Time) string { return prefix + t.UTC().Format(timeFormat) + suffix }

// Scheduler takes a backup every Interval into Dir and keeps the Keep newest.
type Scheduler struct {
	Store    Store
	Dir      string
	Interval time.Duration
	Keep     int
	Logger   *slog.Logger
	// Freenahi is the program's version, written in each archive.
	Freenahi string
	// Now is the clock; tests may replace it.
	Now func() time.Time
}

// scheduled lists the scheduled backups in Dir, oldest first, with their times.
func (s *Scheduler) scheduled() ([]string, []time.Time, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	var times []time.Time
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(n, prefix) || !strings.HasSuffix(n, suffix) {
			continue
		}
		t, err := time.Parse(timeFormat, strings.TrimSuffix(strings.TrimPrefix(n, prefix), suffix))
		if err != nil {
			continue // not one of ours
		}
		names, times = append(names, n), append(times, t)
	}
	return names, times, nil
}

// due tells whether the newest scheduled backup is Interval old.
func (s *Scheduler) due(now time.Time) (bool, error) {
	_, times, err := s.scheduled()
	if err != nil {
		return false, err
	}
	return len(times) == 0 || !now.Before(slices.MaxFunc(times, time.Time.Compare).Add(s.Interval)), nil
}

// RunOnce takes a backup if one is due and no other instance is taking one,
// then deletes all but the Keep newest. It returns the file written, or "".
func (s *Scheduler) RunOnce(ctx context.Context) (string, error) {
	now := time.Now().UTC()
	if s.Now != nil {
		now = s.Now().UTC()
	}
	if due, err := s.due(now); err != nil || !due {
		return "", err
	}
	release, ok, err := s.Store.TryLock(ctx, "scheduled-backup")
	if err != nil || !ok {
		return "", err
	}
	defer release()
	// Another instance sharing the directory may have just finished one.
	if due, err := s.due(now); err != nil || !due {
		return "", err
	}
	path := filepath.Join(s.Dir, FileName(now))
	sum, err := WriteFile(ctx, s.Store, path, store.BackupOptions{Source: "scheduled", Freenahi: s.Freenahi})
	if err != nil {
		return "", err
	}
	var rows int64
	for _, n := range sum.Rows {
		rows += n
	}
	s.logger().Info("backup written", slog.String("path", path), slog.Int("tables", len(sum.Rows)), slog.Int64("rows", rows))
	return path, s.prune()
}

func (s *Scheduler) prune() error {
	names, _, err := s.scheduled()
	if err != nil {
		return err
	}
	slices.Sort(names)
	for len(names) > max(s.Keep, 1) {
		if err := os.Remove(filepath.Join(s.Dir, names[0])); err != nil {
			return fmt.Errorf("remove an old backup: %w", err)
		}
		s.logger().Info("old backup removed", slog.String("path", filepath.Join(s.Dir, names[0])))
		names = names[1:]
	}
	return nil
}

func (s *Scheduler) logger() *slog.Logger { return cmp.Or(s.Logger, slog.New(slog.DiscardHandler)) }

// Run checks every minute (or Interval, if shorter) whether a backup is
// due, until ctx ends. A failure is logged and tried again after
// min(Interval, 10 minutes).
func (s *Scheduler) Run(ctx context.Context) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		s.logger().Error("scheduled backups are off: cannot create their directory", slog.String("dir", s.Dir), slog.Any("error", err))
		return
	}
	tick := min(s.Interval, time.Minute)
	retry := min(s.Interval, 10*time.Minute)
	var failedAt time.Time
	for {
		if failedAt.IsZero() || time.Since(failedAt) >= retry {
			failedAt = time.Time{}
			if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
				s.logger().Error("scheduled backup failed", slog.String("dir", s.Dir), slog.Any("error", err))
				failedAt = time.Now()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(tick):
		}
	}
}
