package export

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
)

var _ freenahi.StatementExporter = (*Exporter)(nil)

// Exporter writes account statements as CFONB 120 or CSV from the store.
type Exporter struct {
	Source freenahi.StatementSource
	// Now is the clock that says which bank days have ended (default time.Now).
	Now func() time.Time
}

// LastEndedDay is the last bank day that has ended: statements stop there.
func (e *Exporter) LastEndedDay() freenahi.Date {
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	return freenahi.LastEndedBankDay(now())
}

// Dates a CFONB 120 file can carry: two-digit years read as 1980–2079, and
// a statement opens the day before its period.
var (
	minDate = freenahi.Date{Year: 1980, Month: 1, Day: 2}
	maxDate = freenahi.Date{Year: 2079, Month: 12, Day: 31}
)

// ExportStatement checks req, then streams the statement to w. Every check
// (the account, its IBAN or the RIB given, its currency, the dates) happens
// before the first byte is written, so a refused request leaves w untouched.
func (e *Exporter) ExportStatement(ctx context.Context, w io.Writer, req freenahi.StatementRequest) (*freenahi.StatementSummary, error) {
	if err := checkRequest(&req); err != nil {
		return nil, err
	}
	stopped, err := stopAtEndedDay(&req, e.LastEndedDay())
	if err != nil {
		return nil, err
	}
	q := freenahi.StatementQuery{UserID: req.UserID, AccountID: req.AccountID, From: req.From, To: req.To,
		Extras: req.Format == freenahi.FormatCSV}
	var sum *freenahi.StatementSummary
	err = e.Source.ReadStatement(ctx, q, func(d *freenahi.StatementData) error {
		var err error
		switch req.Format {
		case freenahi.FormatCSV:
			sum, err = writeCSV(w, req, d)
		case freenahi.FormatCamt053:
			sum, err = writeCamt053(w, req, d)
		case freenahi.FormatOFX:
			sum, err = writeOFX(w, req, d)
		default:
			sum, err = writeCFONB(w, req, d)
		}
		return err
	})
	if sum != nil {
		sum.From, sum.To, sum.Stopped = req.From, req.To, stopped
	}
	return sum, err
}

// stopAtEndedDay ends the period at last, the last bank day that has
// ended, and says whether it had to: a statement of a day still open would
// be contradicted by the bookings still to come.
func stopAtEndedDay(req *freenahi.StatementRequest, last freenahi.Date) (bool, error) {
	if req.From.After(last) {
		return false, freenahi.FieldErrorf("from", "%s has not ended yet: the last bank day that has ended is %s", req.From, last)
	}
	if req.To.After(last) {
		req.To = last
		return true, nil
	}
	return false, nil
}

// checkRequest validates the request and applies defaults.
func checkRequest(req *freenahi.StatementRequest) error {
	switch req.Format {
	case "":
		req.Format = freenahi.FormatCFONB
	case freenahi.FormatCFONB, freenahi.FormatCSV, freenahi.FormatCamt053, freenahi.FormatOFX:
	default:
		return freenahi.FieldErrorf("format", "%q is not cfonb, csv, camt053 or ofx", req.Format)
	}
	switch req.Separator {
	case 0:
		req.Separator = ';'
	case ';', ',':
	default:
		return freenahi.FieldErrorf("separator", "%q is not ; or ,", req.Separator)
	}
	switch {
	case req.From.IsZero():
		return freenahi.FieldErrorf("from", "is required (YYYY-MM-DD)")
	case req.To.IsZero():
		return freenahi.FieldErrorf("to", "is required (YYYY-MM-DD)")
	case req.To.Before(req.From):
		return freenahi.FieldErrorf("to", "%s is before the start date %s", req.To, req.From)
	case req.Format == freenahi.FormatCFONB && req.From.Before(minDate):
		return freenahi.FieldErrorf("from", "%s is before %s, the first date CFONB 120 can carry", req.From, minDate)
	case req.Format == freenahi.FormatCFONB && req.To.After(maxDate):
		return freenahi.FieldErrorf("to", "%s is after %s, the last date CFONB 120 can carry", req.To, maxDate)
	}
	return nil
}

// writeCFONB writes the statements of d.
func writeCFONB(w io.Writer, req freenahi.StatementRequest, d *freenahi.StatementData) (*freenahi.StatementSummary, error) {
	acct, err := accountIdentity(d.Account, req.RIB)
	if err != nil {
		return nil, err
	}
	opening := d.ClosingMinor - d.PeriodMinor
	sw := newStatementWriter(w, acct, req.PerPeriod, req.From.AddDays(-1), opening)
	for t, err := range d.Transactions {
		if err != nil {
			return nil, err
		}
		if err := sw.add(t); err != nil {
			return nil, err
		}
	}
	closing, err := sw.finish(req.To)
	if err != nil {
		return nil, err
	}
	if closing != d.ClosingMinor {
		// The snapshot guarantees this; a difference means a bug, and a
		// statement whose balances lie must not pass for a good one.
		return nil, fmt.Errorf("statement closes at %d, the account rule says %d", closing, d.ClosingMinor)
	}
	return &freenahi.StatementSummary{Statements: sw.statements, Movements: sw.movements, OpeningMinor: opening,
		ClosingMinor: closing, Currency: d.Account.Currency}, nil
}

// cfonbAccountFor is accountIdentity for callers outside a statement.
func cfonbAccountFor(a *freenahi.Account, iban string) (cfonb.Account, error) {
	acct, err := cfonb.AccountFromIBAN(iban)
	if err != nil {
		return acct, ibanError("iban", err)
	}
	return withCurrency(acct, a)
}
