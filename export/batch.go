package export

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/freenahi/freenahi"
)

// BuildBatchFile writes the CFONB file of a ledger batch: one statement per
// bank day of its transactions, the first opening at in.OpeningDate and
// in.OpeningMinor, each next one where the previous closed, the last
// closing on its own day. The account is identified by the IBAN registered
// in the dossier, so that Inqom routes the statements to it. The name
// depends on the batch alone, so a resend carries the same name.
//
// A sent statement is never contradicted (invariant 9): a transaction dated
// on or before in.OpeningDate arrived after the file covering its day was
// made, so it is booked on the next bank day after in.OpeningDate, with
// its own date as value date, and sets in.ClosingDate. Transactions dated
// after lastDay, the last bank day that has ended, are left out of
// in.Transactions (they wait for their day to end), and so are late ones
// while their booking day has not ended either.
func BuildBatchFile(in *freenahi.BatchInput, lastDay freenahi.Date) (string, []byte, error) {
	lateDay := freenahi.NextBankDay(in.OpeningDate)
	entries := make([]bookedTransaction, 0, len(in.Transactions))
	kept := in.Transactions[:0:0]
	for _, t := range in.Transactions {
		e := bookedTransaction{t: t, booking: t.Date}
		if !t.Date.After(in.OpeningDate) {
			e.booking, e.value = lateDay, t.Date
		}
		if e.booking.After(lastDay) {
			continue
		}
		entries, kept = append(entries, e), append(kept, t)
	}
	in.Transactions = kept
	if len(entries) == 0 {
		return "", nil, nil // nothing whose day has ended: the store finds no batch
	}
	// Late transactions may now come after transactions of a weekend day.
	slices.SortStableFunc(entries, func(x, y bookedTransaction) int { return x.booking.Compare(y.booking) })
	acct, err := cfonbAccountFor(in.Account, in.Mapping.IBAN)
	if err != nil {
		return "", nil, err
	}
	var buf bytes.Buffer
	// About three records of 122 bytes per movement (04, REF, a 05 more).
	buf.Grow(len(entries)*3*122 + 2*122)
	sw := newStatementWriter(&buf, acct, false, in.OpeningDate, in.OpeningMinor)
	for _, e := range entries {
		if err := sw.addBooked(e.t, e.booking, e.value); err != nil {
			return "", nil, err
		}
	}
	if _, err := sw.finish(freenahi.Date{}); err != nil {
		return "", nil, err
	}
	first, last := entries[0].booking, entries[len(entries)-1].booking
	in.ClosingDate = last
	name := fmt.Sprintf("freenahi-m%d-b%05d-%08d-%08d.txt", in.Mapping.ID, in.Seq, first.Int(), last.Int())
	return name, buf.Bytes(), nil
}

// bookedTransaction is a transaction with the day its statement books it
// on, and the value date to write when it is not the bank's.
type bookedTransaction struct {
	t              *freenahi.Transaction
	booking, value freenahi.Date
}
