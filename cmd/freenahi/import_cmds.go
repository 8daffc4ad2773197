package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/store"
)

// runImport is `freenahi import`: a bank file into a manual account, the
// same import as the web page and POST /api/v1/imports.
func (m *Main) runImport(ctx context.Context, args []string) error {
	fs := m.flags("import", "(--account ID | --new-account NAME [--currency EUR]) [--email E] [flags] FILE",
		"Import a bank file (CFONB 120, OFX, QIF or CSV) into a manual account: an existing one, or a new\n"+
			"one. Lines already imported are skipped; lines that cannot be read are listed and left out.\n"+
			"--dry-run shows what would be imported and keeps nothing.")
	account := fs.Int64("account", 0, "id of the manual account to import into")
	newAccount := fs.String("new-account", "", "name of a new manual account to create")
	currency := fs.String("currency", "EUR", "currency of the new account")
	email := fs.String("email", "", "owner of the account (may be left out when there is one user)")
	format := fs.String("format", "", "csv, ofx, qif or cfonb (default: detected)")
	dryRun := fs.Bool("dry-run", false, "show what would be imported, keep nothing")
	if err := parse(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("import: give the file to import")
	}
	if (*account == 0) == (*newAccount == "") {
		return fmt.Errorf("import: give --account ID or --new-account NAME")
	}
	data, err := readBounded(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return m.withStore(ctx, func(s *store.Store) error {
		u, err := m.commandUser(ctx, s, *email)
		if err != nil {
			return err
		}
		req := bankfile.Request{UserID: u.ID, AccountID: *account, Data: data, DryRun: *dryRun,
			Options: bankfile.Options{Format: bankfile.Format(*format), DayFirst: true}}
		if *newAccount != "" {
			req.NewAccount = &freenahi.Account{Name: *newAccount, Currency: freenahi.Currency{Code: *currency}}
		}
		out, err := (&bankfile.Importer{Store: s, Accounts: s, Transfers: s}).Import(ctx, req)
		if err != nil {
			return humanError(err)
		}
		for _, e := range out.Errors {
			fmt.Fprintf(m.Stderr, "line %d: %s\n", e.Line, e.Err.Message)
		}
		verb := "imported"
		if *dryRun {
			verb = "would import"
		}
		res := out.Result
		fmt.Fprintf(m.Stdout, "%s: %s %d transaction(s) into account %d %q, %d already there, %d line(s) left out\n",
			out.File.Format, verb, len(res.Added), res.Account.ID, res.Account.Name, res.Skipped, len(out.Errors))
		return nil
	})
}

// readBounded reads a file of at most bankfile.MaxSize bytes.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, bankfile.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > bankfile.MaxSize {
		return nil, fmt.Errorf("%s is larger than %d MB", path, bankfile.MaxSize>>20)
	}
	return data, nil
}
