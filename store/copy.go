package store

import (
	"context"
	"errors"
	"io"
)

// CopyTo copies every row of s into the (empty) database at targetURL, of
// either engine, streamed through the archive format without touching disk,
// and checked like a restore. id names the copy: a copy interrupted part-way
// resumes when run again with the same id and an unchanged source (stop the
// instances writing to the source first).
func (s *Store) CopyTo(ctx context.Context, targetURL, id string, opts RestoreOptions) (*RestoreReport, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := s.Backup(ctx, pw, BackupOptions{ID: id, Source: "copy"})
		pw.CloseWithError(err)
		done <- err
	}()
	opened := false
	open := func() (io.ReadCloser, error) {
		if opened {
			return nil, errors.New("copy: the source stream can be read once")
		}
		opened = true
		return pr, nil
	}
	opts.Check = false
	rep, err := Restore(ctx, targetURL, open, opts)
	pr.CloseWithError(errors.New("copy: the target stopped reading"))
	cancel()
	if berr := <-done; err == nil && berr != nil {
		err = berr
	}
	return rep, err
}
