package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
)

func (m *Main) runExport(ctx context.Context, args []string) error {
	return m.subcommand(ctx, "export", args, map[string]command{
		"cfonb":   {"write an account's CFONB 120 statements for a period", (*Main).runExportCFONB},
		"csv":     {"write an account's transactions for a period as CSV", (*Main).runExportCSV},
		"camt053": {"write an account's statement for a period as ISO 20022 camt.053.001.02", (*Main).runExportCamt053},
		"ofx":     {"write an account's statement for a period as OFX 2.2", (*Main).runExportOFX},
	})
}

func (m *Main) runExportCamt053(ctx context.Context, args []string) error {
	return m.runExportFormat(ctx, args, freenahi.FormatCamt053)
}

func (m *Main) runExportOFX(ctx context.Context, args []string) error {
	return m.runExportFormat(ctx, args, freenahi.FormatOFX)
}

func (m *Main) runExportCFONB(ctx context.Context, args []string) error {
	return m.runExportFormat(ctx, args, freenahi.FormatCFONB)
}

func (m *Main) runExportCSV(ctx context.Context, args []string) error {
	return m.runExportFormat(ctx, args, freenahi.FormatCSV)
}

// runExportFormat is `freenahi export cfonb|csv`.
func (m *Main) runExportFormat(ctx context.Context, args []string, format string) error {
	name := "export " + format
	summary := "Write an account's booked transactions from --from to --to (inclusive) as CFONB 120\nstatements: one per bank day with movements (--per-period: one for the period), the\nbalances computed from the stored balance. The account must have a French IBAN, or\ngive its RIB with --rib."
	switch format {
	case freenahi.FormatCSV:
		summary = "Write an account's booked transactions from --from to --to (inclusive) as CSV: UTF-8,\na header row, exact amounts with a '.' decimal point, the running balance."
	case freenahi.FormatCamt053:
		summary = "Write an account's booked transactions from --from to --to (inclusive) as one ISO 20022\ncamt.053.001.02 statement: opening and closing booked balances, one entry per transaction."
	case freenahi.FormatOFX:
		summary = "Write an account's booked transactions from --from to --to (inclusive) as an OFX 2.2\nstatement (a card account as a credit-card statement), with the closing balance."
	}
	fs := m.flags(name, "--account ID --from YYYY-MM-DD --to YYYY-MM-DD [-o FILE] [--email E] [flags]", summary)
	account := fs.Int64("account", 0, "account id, as the API returns it (required)")
	from := fs.String("from", "", "first day, YYYY-MM-DD (required)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (required)")
	out := fs.String("o", "", "output file (default: standard output)")
	email := fs.String("email", "", "owner of the account (may be left out when there is one user)")
	perPeriod := fs.Bool("per-period", false, "one statement for the whole period instead of one per bank day")
	rib := fs.String("rib", "", "bank, branch and account number (and key) to use instead of the account's IBAN")
	sep := fs.String("separator", ";", "CSV field separator: ; or ,")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *account <= 0 {
		return fmt.Errorf("%s: --account is required (the id `freenahi` API returns for the account)", name)
	}
	req := freenahi.StatementRequest{AccountID: *account, Format: format, PerPeriod: *perPeriod, RIB: *rib}
	var err error
	if req.From, err = parseDateFlag("from", *from); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if req.To, err = parseDateFlag("to", *to); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(*sep) != 1 {
		return fmt.Errorf("%s: --separator must be ; or ,", name)
	}
	req.Separator = rune((*sep)[0])
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := m.commandUser(ctx, s, *email)
		if err != nil {
			return err
		}
		req.UserID = u.ID
		ex := &export.Exporter{Source: s}
		sum, err := writeOutput(*out, m.Stdout, func(w io.Writer) (*freenahi.StatementSummary, error) {
			return ex.ExportStatement(ctx, w, req)
		})
		if err != nil {
			return humanError(err)
		}
		if sum.Stopped {
			fmt.Fprintf(m.Stderr, "the period stops at %s, the last bank day that has ended: later days may still receive bookings\n", sum.To)
		}
		c := sum.Currency
		fmt.Fprintf(m.Stderr, "%d movement(s) in %d statement(s), %s → %s %s\n", sum.Movements, sum.Statements,
			freenahi.FormatMinor(sum.OpeningMinor, c.Exponent), freenahi.FormatMinor(sum.ClosingMinor, c.Exponent), c.Code)
		return nil
	})
}

func parseDateFlag(name, v string) (freenahi.Date, error) {
	if v == "" {
		return freenahi.Date{}, fmt.Errorf("--%s is required (YYYY-MM-DD)", name)
	}
	d, err := freenahi.ParseDate(v)
	if err != nil {
		return d, fmt.Errorf("--%s: %w", name, err)
	}
	return d, nil
}

// commandUser is the user a command acts for: --email, or the only user.
func (m *Main) commandUser(ctx context.Context, s *store.Store, email string) (*freenahi.User, error) {
	if email != "" {
		u, err := s.FindUserByEmail(ctx, email)
		if err != nil {
			return nil, humanError(err)
		}
		return u, nil
	}
	users, err := s.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	if len(users) != 1 {
		return nil, fmt.Errorf("--email is required: there are %d users", len(users))
	}
	return users[0], nil
}

// writeOutput runs write into path through a temporary file renamed at the
// end, so a failed export never leaves half a file; "" writes to stdout.
func writeOutput[T any](path string, stdout io.Writer, write func(io.Writer) (T, error)) (T, error) {
	if path == "" || path == "-" {
		return write(stdout)
	}
	var zero T
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return zero, err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	v, err := write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return zero, err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return zero, err
	}
	return v, os.Rename(f.Name(), path)
}
