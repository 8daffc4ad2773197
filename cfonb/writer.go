package cfonb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Writer writes CFONB 120 statements, one record at a time, through a
// bufio.Writer: memory does not grow with the number of movements, and each
// record is built in one reusable 122-byte buffer (120 + CRLF). The same
// calls always produce the same bytes.
//
// A statement is Begin, any number of Movement, then End; call Flush when
// done. A validation error leaves the Writer usable (nothing of the refused
// call was written); a write error is returned by every later call.
type Writer struct {
	bw  *bufio.Writer
	rec [recordLen + 2]byte
	// scratch holds folded text between calls so that folding allocates
	// only until it reaches the longest label seen.
	scratch []byte
	chunks  [][]byte // cuts of the label or counterparty being written
	err     error

	open      bool
	openDay   day
	lastDay   day // latest booking date of the open statement
	balance   int64
	movements int // movements of the open statement, for messages
}

// NewWriter returns a Writer that buffers its output to w.
func NewWriter(w io.Writer) *Writer {
	wr := &Writer{bw: bufio.NewWriterSize(w, 64*1024)}
	wr.rec[recordLen], wr.rec[recordLen+1] = '\r', '\n'
	return wr
}

// Begin writes the 01 record that opens a statement of acct: the old
// balance openingMinor at date (normally the closing date of the previous
// statement of the account).
func (w *Writer) Begin(acct Account, date time.Time, openingMinor int64) error {
	if w.err != nil {
		return w.err
	}
	if w.open {
		return errors.New("cfonb: Begin: the previous statement is still open; call End first")
	}
	if err := acct.validate(); err != nil {
		return fmt.Errorf("cfonb: Begin: %w", err)
	}
	d, err := dayOf(date)
	if err != nil {
		return fmt.Errorf("cfonb: Begin: old balance %w", err)
	}
	if err := putAmount(w.rec[posAmount:posAmount+amountWidth], openingMinor); err != nil {
		return fmt.Errorf("cfonb: Begin: old balance: %w", err)
	}
	// The identity zone is the same on every record of the statement: write it once.
	copy(w.rec[posBank:], acct.BankCode)
	copy(w.rec[posBranch:], acct.BranchCode)
	copy(w.rec[posCurrency:], acct.Currency)
	w.rec[posExponent] = byte('0' + acct.Exponent)
	w.rec[posReserved21] = ' '
	copy(w.rec[posAccount:], acct.AccountNumber)

	w.open, w.openDay, w.lastDay, w.balance, w.movements = true, d, d, openingMinor, 0
	return w.writeBalance("01", d)
}

// End writes the 07 record that closes the statement, dated date, and
// returns the new balance it carries: the old balance plus every movement.
func (w *Writer) End(date time.Time) (closingMinor int64, err error) {
	if w.err != nil {
		return 0, w.err
	}
	if !w.open {
		return 0, errors.New("cfonb: End: no statement is open; call Begin first")
	}
	d, err := dayOf(date)
	if err != nil {
		return 0, fmt.Errorf("cfonb: End: new balance %w", err)
	}
	if d < w.lastDay {
		return 0, fmt.Errorf("cfonb: End: new balance date %s is before %s, the latest booking or old-balance date", d, w.lastDay)
	}
	if err := putAmount(w.rec[posAmount:posAmount+amountWidth], w.balance); err != nil {
		return 0, fmt.Errorf("cfonb: End: new balance: %w", err)
	}
	w.open = false
	return w.balance, w.writeBalance("07", d)
}

// writeBalance writes a 01 or 07 whose amount is already in place.
func (w *Writer) writeBalance(code string, d day) error {
	r := w.rec[:]
	copy(r[posCode:], code)
	copy(r[posInternal:posInternal+internalWidth], spaces)
	copy(r[posOpCode:posDate], spaces)
	putDate(r[posDate:], d)
	copy(r[posDate+dateWidth:posAmount], spaces)
	copy(r[posAmount+amountWidth:recordLen], spaces)
	return w.emit()
}

// Flush writes any buffered records to the underlying io.Writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("cfonb: write: %w", err)
	}
	return w.err
}

// emit writes the record buffer; a write error sticks, since a half-written
// statement cannot be repaired.
func (w *Writer) emit() error {
	if _, err := w.bw.Write(w.rec[:]); err != nil {
		w.err = fmt.Errorf("cfonb: write: %w", err)
	}
	return w.err
}

// addBalance adds without wrapping around: a wrapped sum would write a
// balanced-looking but false statement.
func addBalance(a, b int64) (int64, bool) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, false
	}
	return a + b, true
}
