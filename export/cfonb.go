package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
)

// statementWriter writes CFONB statements of one account from transactions
// given oldest first: one statement per bank day with movements, or one for
// the whole period. It keeps the running balance, so each statement opens
// where the previous one closed.
type statementWriter struct {
	w         *cfonb.Writer
	acct      cfonb.Account
	perPeriod bool

	open     bool
	day      freenahi.Date // booking day of the open per-day statement
	lastDate freenahi.Date // closing date of the last statement, or the opening date
	balance  int64         // closing balance of the last statement, or the opening balance
	ref      [len(refPrefix) + refDigits]byte

	statements int
	movements  int64
}

// refPrefix and refDigits make our reference: "FREENAHI" and the
// transaction id on 16 digits. Longer than the 16 characters of the 04
// reference zone, it goes whole into a 05 REF, and its tail, the id alone,
// into the zone.
const (
	refPrefix = "FREENAHI"
	refDigits = 16
)

func newStatementWriter(w io.Writer, acct cfonb.Account, perPeriod bool, openDate freenahi.Date, opening int64) *statementWriter {
	sw := &statementWriter{w: cfonb.NewWriter(w), acct: acct, perPeriod: perPeriod, lastDate: openDate, balance: opening}
	copy(sw.ref[:], refPrefix)
	return sw
}

// add writes one transaction on its own date, opening a statement when needed.
func (sw *statementWriter) add(t *freenahi.Transaction) error {
	return sw.addBooked(t, t.Date, freenahi.Date{})
}

// addBooked writes one transaction booked on booking; a non-zero value
// replaces its value date.
func (sw *statementWriter) addBooked(t *freenahi.Transaction, booking, value freenahi.Date) error {
	if !sw.open || (!sw.perPeriod && booking != sw.day) {
		if sw.open {
			if err := sw.end(sw.day); err != nil {
				return err
			}
		}
		if err := sw.w.Begin(sw.acct, sw.lastDate.Time(), sw.balance); err != nil {
			return err
		}
		sw.open, sw.day = true, booking
		sw.statements++
	}
	m := sw.movement(t)
	m.BookingDate = booking.Time()
	if !value.IsZero() {
		m.ValueDate = value.Time()
	}
	if err := sw.w.Movement(m); err != nil {
		return fmt.Errorf("transaction %d of %s: %w", t.ID, t.Date, err)
	}
	sw.movements++
	return nil
}

// finish closes the last statement on end (or on its own day when end is
// zero or earlier) and flushes; with no movement at all it writes one empty
// statement, 01 and 07 with the same balance, so the file is never empty.
func (sw *statementWriter) finish(end freenahi.Date) (int64, error) {
	if !sw.open {
		if err := sw.w.Begin(sw.acct, sw.lastDate.Time(), sw.balance); err != nil {
			return 0, err
		}
		sw.open, sw.day = true, sw.lastDate
		sw.statements++
	}
	if end.IsZero() || end.Before(sw.day) {
		end = sw.day
	}
	if err := sw.end(end); err != nil {
		return 0, err
	}
	return sw.balance, sw.w.Flush()
}

func (sw *statementWriter) end(d freenahi.Date) error {
	closing, err := sw.w.End(d.Time())
	if err != nil {
		return err
	}
	sw.open, sw.balance, sw.lastDate = false, closing, d
	return nil
}

// movement maps a transaction to a CFONB movement.
func (sw *statementWriter) movement(t *freenahi.Transaction) cfonb.Movement {
	m := cfonb.Movement{PowensType: t.Type, BookingDate: t.Date.Time(), AmountMinor: t.ValueMinor,
		Label: Label(t), Reference: sw.reference(t.ID)}
	if !t.VDate.IsZero() {
		m.ValueDate = t.VDate.Time()
	}
	if t.Counterparty != nil {
		m.Counterparty = t.Counterparty.Label
	}
	if strings.EqualFold(t.Type, "check") {
		// Banks put the cheque number in 82–88, and accounting software
		// matches cheques on it.
		m.EntryNumber = ChequeNumber(t)
	}
	return m
}

// ChequeNumber is the number of a cheque as its wording gives it ("CHEQUE
// N° 1234567", "CHQ 0001234", "REMISE CHQ 8812345"): the first run of 1 to
// 7 digits after a cheque word, else the only such run in the wording; 0
// when the wording does not say, or says it ambiguously.
func ChequeNumber(t *freenahi.Transaction) int {
	for _, s := range []string{t.OriginalWording, t.Wording, t.SimplifiedWording} {
		if n := chequeNumberIn(s); n > 0 {
			return n
		}
	}
	return 0
}

func chequeNumberIn(s string) int {
	words := strings.FieldsFunc(strings.ToUpper(cfonb.Fold(s)), func(r rune) bool {
		return r == ' ' || r == '.' || r == '/' || r == '-' || r == '*' || r == '(' || r == ')'
	})
	afterKeyword, only, runs := 0, 0, 0
	keyword := false
	for _, w := range words {
		switch w {
		case "CHEQUE", "CHEQUES", "CHQ", "CHQS", "CHECK", "CH", "NO", "N", "NUM", "NUMERO":
			keyword = keyword || w != "NO" && w != "N" && w != "NUM" && w != "NUMERO"
			continue
		}
		n, ok := digitsOnly(w)
		if !ok {
			continue
		}
		if keyword && afterKeyword == 0 {
			afterKeyword = n
		}
		only, runs = n, runs+1
	}
	switch {
	case afterKeyword > 0:
		return afterKeyword
	case runs == 1:
		return only
	}
	return 0
}

// digitsOnly parses a word of 1 to 7 digits, what 82–88 can carry.
func digitsOnly(w string) (int, bool) {
	if len(w) == 0 || len(w) > 7 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return 0, false
		}
		n = n*10 + int(w[i]-'0')
	}
	return n, n > 0
}

// reference renders our id into the reusable buffer.
func (sw *statementWriter) reference(id int64) string {
	b := sw.ref[len(refPrefix):]
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + id%10)
		id /= 10
	}
	return string(sw.ref[:])
}

// Label is what a statement shows for t: the bank's own wording, which an
// accountant matches against paper statements, else Powens' cleaned ones.
func Label(t *freenahi.Transaction) string {
	for _, s := range []string{t.OriginalWording, t.Wording, t.SimplifiedWording} {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return t.Type
}
