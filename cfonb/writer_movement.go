package cfonb

import (
	"errors"
	"fmt"
)

// Movement writes a 04 record for m and its 05 complements: LIB records for
// the rest of a long label, NPY or NBE for the counterparty, REF for a long
// reference, then m.Complements. Everything is checked before the first
// byte is written, so a refused movement leaves no trace in the output.
func (w *Writer) Movement(m Movement) error {
	if w.err != nil {
		return w.err
	}
	if !w.open {
		return errors.New("cfonb: Movement: no statement is open; call Begin first")
	}
	if err := w.movement(&m); err != nil {
		return fmt.Errorf("cfonb: movement %d of the statement: %w", w.movements+1, err)
	}
	return w.err
}

// movementText is where the folded texts of one movement sit in scratch.
type movementText struct {
	label, counterparty, reference []byte
}

func (w *Writer) movement(m *Movement) error {
	booking, value, err := w.movementDates(m)
	if err != nil {
		return err
	}
	balance, ok := addBalance(w.balance, m.AmountMinor)
	if !ok {
		return fmt.Errorf("amount %d overflows the running balance %d", m.AmountMinor, w.balance)
	}
	r := w.rec[:]
	if err := putAmount(r[posAmount:posAmount+amountWidth], m.AmountMinor); err != nil {
		return err
	}
	opCode := m.OperationCode
	if opCode == "" {
		opCode = OperationCode(m.PowensType, m.AmountMinor)
	}
	if err := checkCodes(m, opCode); err != nil {
		return err
	}
	txt, err := w.foldMovement(m)
	if err != nil {
		return err
	}

	// From here on nothing can fail but the write itself.
	copy(r[posCode:], "04")
	putText(r[posInternal:posInternal+internalWidth], m.InternalCode)
	copy(r[posOpCode:], opCode)
	putDate(r[posDate:], booking)
	putText(r[posReject:posReject+2], m.RejectCode)
	putDate(r[posValueDate:], value)
	w.chunks = splitLabel(txt.label, labelWidth, w.chunks[:0])
	putText(r[posLabel:posLabel+labelWidth], w.chunks[0])
	copy(r[posLabel+labelWidth:posEntry], spaces)
	putDigits(r[posEntry:posEntry+entryWidth], int64(m.EntryNumber))
	r[posExempt], r[posUnavail] = flagByte(m.CommissionExempt), flagByte(m.Unavailable)
	ref := txt.reference
	if len(ref) > refZoneWidth {
		ref = ref[len(ref)-refZoneWidth:] // the tail is the most distinctive part of an id
	}
	putText(r[posRefZone:recordLen], ref)
	if w.emit() != nil {
		return nil // the sticky write error is returned by Movement
	}

	// 05 records repeat the 04's header zone, operation code and booking date.
	copy(r[posCode:], "05")
	copy(r[posDate+dateWidth:posQualifier], spaces)
	copy(r[posInfo+infoWidth:recordLen], spaces)
	for _, c := range w.chunks[1:] {
		w.complement("LIB", c)
	}
	// A long counterparty continues in further NPY or NBE records, cut the
	// same way as the label, so that no name is shortened.
	w.chunks = splitLabel(txt.counterparty, infoWidth, w.chunks[:0])
	for _, c := range w.chunks {
		w.complement(counterpartyQualifier(m.AmountMinor), c)
	}
	if len(txt.reference) > refZoneWidth {
		// REF is payment-information id, then instruction id: ours is the latter.
		copy(r[posInfo:posInfo+halfInfoWidth], spaces)
		putText(r[posInfo+halfInfoWidth:posInfo+infoWidth], txt.reference)
		copy(r[posQualifier:], "REF")
		w.emit()
	}
	for _, c := range m.Complements {
		w.scratch = appendFold(w.scratch[:0], c.Info, false)
		w.complement(c.Qualifier, w.scratch)
	}
	w.balance, w.lastDay = balance, max(w.lastDay, booking)
	w.movements++
	return nil
}

// complement writes a 05 record; the header, operation code and date are
// still those of the 04 just written.
func (w *Writer) complement(qualifier string, info []byte) {
	copy(w.rec[posQualifier:], qualifier)
	putText(w.rec[posInfo:posInfo+infoWidth], info)
	w.emit()
}

// movementDates checks the dates of m against the open statement.
func (w *Writer) movementDates(m *Movement) (booking, value day, err error) {
	if booking, err = dayOf(m.BookingDate); err != nil {
		return 0, 0, fmt.Errorf("booking %w", err)
	}
	// Movements belong to the period after the old balance (reference §1.11).
	if booking <= w.openDay {
		return 0, 0, fmt.Errorf("booking date %s is not after the old-balance date %s", booking, w.openDay)
	}
	value = booking
	if !m.ValueDate.IsZero() {
		if value, err = dayOf(m.ValueDate); err != nil {
			return 0, 0, fmt.Errorf("value %w", err)
		}
	}
	return booking, value, nil
}

// checkCodes validates the fixed-format codes of m, which are data from a
// bank or from us and must not be silently rewritten.
func checkCodes(m *Movement, opCode string) error {
	switch {
	case len(opCode) != 2 || !codeChars(opCode):
		return fmt.Errorf("operation code %q is not 2 digits or upper-case letters", opCode)
	case len(m.InternalCode) > internalWidth || !allAllowed(m.InternalCode):
		return fmt.Errorf("internal operation code %q is not up to 4 CFONB characters", m.InternalCode)
	case m.RejectCode != "" && (len(m.RejectCode) != 2 || !allDigits(m.RejectCode)):
		return fmt.Errorf("reject code %q is not 2 digits", m.RejectCode)
	case m.EntryNumber < 0 || m.EntryNumber > MaxEntryNumber:
		return fmt.Errorf("entry number %d is not between 0 and %d", m.EntryNumber, MaxEntryNumber)
	}
	cpq := counterpartyQualifier(m.AmountMinor)
	for _, c := range m.Complements {
		switch {
		case len(c.Qualifier) != 3 || !allAllowed(c.Qualifier):
			return fmt.Errorf("complement qualifier %q is not 3 CFONB characters", c.Qualifier)
		case c.Qualifier == "LIB":
			return errors.New("complement LIB: put the whole text in Label, the writer continues it in LIB records")
		case c.Qualifier == "REF":
			return errors.New("complement REF: put our reference in Reference")
		case c.Qualifier == cpq:
			return fmt.Errorf("complement %s: put the counterparty in Counterparty", cpq)
		}
	}
	return nil
}

// foldMovement folds the texts of m into scratch and cuts them to size.
func (w *Writer) foldMovement(m *Movement) (movementText, error) {
	s := appendFold(w.scratch[:0], m.Label, true)
	nl := len(s)
	s = appendFold(s, m.Counterparty, true)
	nc := len(s)
	s = appendFold(s, m.Reference, true)
	w.scratch = s
	txt := movementText{label: s[:nl:nl], counterparty: s[nl:nc:nc], reference: s[nc:]}
	if len(txt.reference) > halfInfoWidth {
		// A cut id would no longer identify anything: refuse rather than truncate.
		return txt, fmt.Errorf("reference %q is longer than %d characters", txt.reference, halfInfoWidth)
	}
	if !hasWord(txt.label) {
		// The 04 label is mandatory and readers refuse or lose a blank one:
		// a wording with nothing CFONB can show (emoji, an unknown script)
		// is named by its kind instead.
		n := len(s)
		s = append(s, KindLabel(m.PowensType, m.AmountMinor)...)
		w.scratch = s
		txt = movementText{label: s[n:], counterparty: s[nl:nc:nc], reference: s[nc:n:n]}
	}
	return txt, nil
}

// flagByte renders a boolean flag of positions 89 and 90.
func flagByte(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}

// allAllowed reports whether every byte of s is in the CFONB character set.
func allAllowed(s string) bool {
	for i := 0; i < len(s); i++ {
		if !Allowed(s[i]) {
			return false
		}
	}
	return true
}
