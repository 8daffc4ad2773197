package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"text/tabwriter"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/backup"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
)

func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.flags("backup", "-o FILE", "Write every row of the configured database to FILE (a compressed archive, the same\n"+
		"format for SQLite and PostgreSQL), read in one snapshot while the server keeps serving.\n"+
		"Secrets stay sealed: restoring needs the same FREENAHI_SECRET_KEY or key file.\n"+
		"serve also takes backups on its own with FREENAHI_BACKUP_DIR.")
	out := fs.String("o", "", "archive to write (required; - writes to stdout)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup: -o FILE is required")
	}
	return m.withStore(ctx, func(s *store.Store) error {
		cfg, _ := m.config()
		opts := store.BackupOptions{Source: redactURL(cfg.DatabaseURL), Freenahi: Version()}
		var sum *store.BackupSummary
		var err error
		if *out == "-" {
			sum, err = s.Backup(ctx, m.Stdout, opts)
		} else {
			sum, err = backup.WriteFile(ctx, s, *out, opts)
		}
		if err != nil {
			return err
		}
		w := m.Stdout
		if *out == "-" {
			w = m.Stderr
		}
		var rows int64
		for _, n := range sum.Rows {
			rows += n
		}
		fmt.Fprintf(w, "backed up %d rows of %d tables (%s, schema migrations %v) to %s\n", rows, len(sum.Rows), s.Engine(), sum.Header.Migrations, *out)
		printFigures(w, sum.Accounts, nil)
		return nil
	})
}

func (m *Main) runRestore(ctx context.Context, args []string) error {
	fs := m.flags("restore", "-i FILE [--force]", "Load an archive written by freenahi backup into the configured database (SQLite or\n"+
		"PostgreSQL, whichever wrote it). The database must be empty unless --force, which\n"+
		"replaces everything in it. The archive is read through once before anything is\n"+
		"written; after loading, row counts and each account's transaction count and sum are\n"+
		"compared with the archive's. An interrupted restore resumes when run again.\n"+
		"Stop the servers using the database first.")
	in := fs.String("i", "", "archive to read (required)")
	force := fs.Bool("force", false, "replace whatever the database holds")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *in == "" {
		return errors.New("restore: -i FILE is required")
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	if _, err := os.Stat(*in); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	key, err := m.existingSecretsKey(cfg)
	if err != nil {
		return err
	}
	rep, err := store.Restore(ctx, cfg.DatabaseURL, func() (io.ReadCloser, error) { return os.Open(*in) },
		store.RestoreOptions{Secrets: key, Force: *force, Check: true, Logger: m.logger(cfg, slog.LevelWarn), Progress: m.progress()})
	if rep != nil && len(rep.Restored) > 0 {
		printFigures(m.Stdout, rep.Expected, rep.Restored)
	}
	if err != nil {
		return err
	}
	m.printRestore(rep, "restored "+*in)
	return nil
}

func (m *Main) runCopy(ctx context.Context, args []string) error {
	fs := m.flags("copy", "--to URL [--force] [--commit-every N]", "Copy every row of the configured database into another one, of either engine:\n"+
		"the way from the embedded SQLite to PostgreSQL when one machine is not enough.\n"+
		"Stop the servers first. The target must be empty unless --force; the copy is\n"+
		"checked (row counts, each account's transaction count and sum) and, if\n"+
		"interrupted, resumes when run again. The instances on the new database need\n"+
		"the same FREENAHI_SECRET_KEY (or key file) as this one.")
	to := fs.String("to", "", "target database URL, postgres://… or sqlite:PATH (required)")
	force := fs.Bool("force", false, "replace whatever the target holds")
	commitEvery := fs.Int("commit-every", 10_000, "rows per transaction on the target; what is committed stays if the copy is interrupted")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *commitEvery < 1 {
		return errors.New("copy: --commit-every must be at least 1")
	}
	if *to == "" {
		return errors.New("copy: --to URL is required")
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	if *to == cfg.DatabaseURL {
		return errors.New("copy: --to names the configured database itself")
	}
	log := m.logger(cfg, slog.LevelWarn)
	key, err := m.existingSecretsKey(cfg)
	if err != nil {
		return err
	}
	s, err := m.openDatabase(ctx, cfg, key, log)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.CopyTo(ctx, *to, "copy of "+redactURL(cfg.DatabaseURL),
		store.RestoreOptions{Secrets: key, Force: *force, Logger: log, Progress: m.progress(), CommitRows: *commitEvery})
	if rep != nil && len(rep.Restored) > 0 {
		printFigures(m.Stdout, rep.Expected, rep.Restored)
	}
	if err != nil {
		return err
	}
	m.printRestore(rep, "copied "+redactURL(cfg.DatabaseURL)+" to "+redactURL(*to))
	fmt.Fprintln(m.Stdout, "Point FREENAHI_DATABASE_URL at the new database, with the same FREENAHI_SECRET_KEY (or key file).")
	return nil
}

// existingSecretsKey is the key for restoring: never a new one, which
// could not open what the archive holds.
func (m *Main) existingSecretsKey(cfg *Config) (*seal.Key, error) {
	if cfg.SecretKey != "" {
		return m.secretsKey(cfg, m.logger(cfg, slog.LevelWarn))
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("the secrets key is missing: set FREENAHI_SECRET_KEY, or put the key file of the backed-up database at %s (a new key could not open the Powens tokens and Inqom passwords in the archive)", path)
	}
	return m.secretsKey(cfg, m.logger(cfg, slog.LevelWarn))
}

// progress reports long loads on stderr, every commit.
func (m *Main) progress() func(table string, loaded, total int64) {
	return func(table string, loaded, total int64) {
		if total < 0 {
			fmt.Fprintf(m.Stderr, "  %s: %d rows…\n", table, loaded)
		}
	}
}

func (m *Main) printRestore(rep *store.RestoreReport, what string) {
	var rows, skipped int64
	for _, t := range rep.Tables {
		rows += t.Rows
		skipped += t.Skipped
	}
	fmt.Fprintf(m.Stdout, "%s: %d rows of %d tables, written by freenahi %s from %s at %s (schema migrations %v)\n",
		what, rows, len(rep.Tables), rep.Header.Freenahi, rep.Header.Engine, rep.Header.CreatedAt.Format("2006-01-02 15:04:05 UTC"), rep.Header.Migrations)
	if rep.Resumed {
		fmt.Fprintf(m.Stdout, "resumed an interrupted run: %d rows were already loaded\n", skipped)
	}
	if len(rep.Migrated) > 0 {
		fmt.Fprintf(m.Stdout, "then applied this freenahi's newer migrations %v\n", rep.Migrated)
	}
	fmt.Fprintln(m.Stdout, "checked: every table's row count, and each account's transactions, their sum and its balance, match the archive")
}

// printFigures prints each account's figures; with restored, side by side.
func printFigures(w io.Writer, expected, restored []store.AccountFigure) {
	if len(expected) == 0 && len(restored) == 0 {
		return
	}
	got := map[int64]store.AccountFigure{}
	for _, f := range restored {
		got[f.ID] = f
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	if restored == nil {
		fmt.Fprintln(tw, "ACCOUNT\tUSER\tCURRENCY\tTRANSACTIONS\tSUM\tBALANCE\t")
	} else {
		fmt.Fprintln(tw, "ACCOUNT\tUSER\tCURRENCY\tTRANSACTIONS\tSUM\tBALANCE\tRESTORED TRANSACTIONS\tRESTORED SUM\tRESTORED BALANCE\t")
	}
	ids := make([]int64, 0, len(expected))
	byID := map[int64]store.AccountFigure{}
	for _, f := range expected {
		ids = append(ids, f.ID)
		byID[f.ID] = f
	}
	for _, f := range restored {
		if _, ok := byID[f.ID]; !ok {
			ids = append(ids, f.ID)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	cols := func(f store.AccountFigure, ok bool) string {
		if !ok {
			return "-\t-\t-\t"
		}
		bal := "-"
		if f.BalanceMinor != nil {
			bal = freenahi.FormatMinor(*f.BalanceMinor, f.Exponent)
		}
		return fmt.Sprintf("%d\t%s\t%s\t", f.Transactions, formatSum(f.SumMinor, f.Exponent), bal)
	}
	for _, id := range ids {
		e, eok := byID[id]
		r, rok := got[id]
		head := e
		if !eok {
			head = r
		}
		line := fmt.Sprintf("%d\t%d\t%s\t%s", id, head.UserID, head.Currency, cols(e, eok))
		if restored != nil {
			line += cols(r, rok)
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
}

// formatSum writes a sum of minor units as a decimal, when it fits 64 bits.
func formatSum(minor string, exponent int) string {
	n, err := strconv.ParseInt(minor, 10, 64)
	if err != nil {
		return minor + " (minor units)"
	}
	return freenahi.FormatMinor(n, exponent)
}

// redactURL drops a password from a database URL, for headers and output.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
