package bankfile

import (
	"context"
	"sort"

	"github.com/freenahi/freenahi"
)

// Importer reads bank files and imports them into manual accounts.
type Importer struct {
	Store    freenahi.ImportService
	Accounts freenahi.AccountService
	// Transfers, when set, pairs transfers between the person's own
	// accounts after an import, as the ingest worker does after a sync:
	// history imported into a manual account meets its other side.
	Transfers freenahi.TransferDetector
}

// Service imports bank files; the web API and pages ask it, and Importer
// implements it.
type Service interface {
	Import(ctx context.Context, req Request) (*Outcome, error)
	// SetBalance sets a manual account's balance on a day (see
	// freenahi.ImportService.SetManualBalance).
	SetBalance(ctx context.Context, userID, accountID int64, b freenahi.DatedBalance) (int64, error)
}

// SetBalance sets a manual account's balance on a day.
func (im *Importer) SetBalance(ctx context.Context, userID, accountID int64, b freenahi.DatedBalance) (int64, error) {
	return im.Store.SetManualBalance(ctx, userID, accountID, b)
}

var _ Service = (*Importer)(nil)

// Request is one file to import: into the user's manual account AccountID,
// or into NewAccount, created by the import. DryRun previews.
type Request struct {
	UserID     int64
	AccountID  int64
	NewAccount *freenahi.Account
	Data       []byte
	Options    Options
	DryRun     bool
}

// Outcome is what an import read, did (or would do), and the lines it left
// out, in line order.
type Outcome struct {
	File   *File
	Result *freenahi.ImportResult
	Errors []LineError
}

// Import reads req's file and adds its readable lines to the account; the
// unreadable ones are reported in Outcome.Errors and left out. It fails
// when the file cannot be read at all, is in another currency than the
// account, holds no readable line, or the account is not the user's
// manual account.
func (im *Importer) Import(ctx context.Context, req Request) (*Outcome, error) {
	f, err := Parse(req.Data, req.Options)
	if err != nil {
		return nil, err
	}
	var currency freenahi.Currency
	if req.NewAccount != nil {
		a := *req.NewAccount
		if err := a.ValidateManual(); err != nil {
			return nil, err
		}
		currency = a.Currency
	} else {
		a, err := im.Accounts.FindAccountByID(ctx, req.UserID, req.AccountID)
		if err != nil {
			return nil, err
		}
		if !a.Manual {
			return nil, freenahi.FieldErrorf("account_id", "is an account of a bank connection: import only into a manual account")
		}
		currency = a.Currency
	}
	if f.Currency != "" && f.Currency != currency.Code {
		return nil, freenahi.FieldErrorf("currency", "the file is in %s, the account in %s", f.Currency, currency.Code)
	}
	lines, errs := ImportLines(f.Entries, currency.Exponent)
	errs = append(append([]LineError{}, f.Errors...), errs...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	if len(lines) == 0 {
		return nil, freenahi.FieldErrorf("file", "has no line that can be imported (%d lines with errors)", len(errs))
	}
	var balance *freenahi.DatedBalance
	if b := f.Balance; b != nil {
		// A stated balance finer than the currency is not the account's:
		// the balance is then counted from the lines.
		if minor, err := b.Amount.Minor(currency.Exponent); err == nil {
			balance = &freenahi.DatedBalance{Date: b.Date, Minor: minor}
		}
	}
	res, err := im.Store.ImportTransactions(ctx, &freenahi.Import{UserID: req.UserID, AccountID: req.AccountID,
		NewAccount: req.NewAccount, Lines: lines, DryRun: req.DryRun, Balance: balance})
	if err != nil {
		return nil, err
	}
	if im.Transfers != nil && !req.DryRun {
		// The import is kept whatever happens here; the next sync or
		// import runs the detection again.
		im.Transfers.DetectTransfers(ctx, req.UserID)
	}
	return &Outcome{File: f, Result: res, Errors: errs}, nil
}
