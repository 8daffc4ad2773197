package bankfile

import (
	"errors"
	"io"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
)

// parseCFONB reads every statement of a CFONB 120 file with the strict
// reader: a file it refuses is refused whole, with the line and column the
// reader names, since a damaged statement's balances cannot be trusted.
func parseCFONB(text string) (*File, error) {
	r := cfonb.NewReader(strings.NewReader(text))
	f := &File{}
	// The reader numbers its errors but not its movements: the n-th
	// movement is the n-th 04 record.
	var lines []int
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "04") {
			lines = append(lines, i+1)
		}
	}
	for {
		st, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var ce *cfonb.Error
			if errors.As(err, &ce) {
				f.Entries = nil // statements before the bad one are refused with it
				f.Errors = append(f.Errors, LineError{ce.Line, freenahi.FieldErrorf("cfonb", "column %d: %s", ce.Column, ce.Msg)})
				return f, nil
			}
			return nil, freenahi.FieldErrorf("file", "is not a CFONB 120 file: %s", err.Error())
		}
		if f.Currency == "" {
			f.Currency = st.Account.Currency
		}
		// Statements come in date order (the strict reader chains them):
		// the last closing balance is the latest.
		f.Balance = &Balance{Date: freenahi.DateOf(st.ClosingDate), Amount: freenahi.DecimalFromMinor(st.ClosingMinor, st.Account.Exponent)}
		for _, m := range st.Movements {
			if len(f.Entries) >= MaxEntries {
				return nil, freenahi.FieldErrorf("file", "holds more than %d transactions", MaxEntries)
			}
			line := 0
			if n := len(f.Entries); n < len(lines) {
				line = lines[n]
			}
			f.Entries = append(f.Entries, Entry{Line: line, Date: freenahi.DateOf(m.BookingDate),
				Amount: freenahi.DecimalFromMinor(m.AmountMinor, st.Account.Exponent), Wording: cleanWording(m.Label),
				Kind: kindOfCFONB(m.OperationCode, m.Label)})
		}
	}
	return f, nil
}
