package export

import (
	"bytes"
	"fmt"

	"github.com/freenahi/freenahi"
)

// BuildBatchFile writes the CFONB file of a ledger batch: one statement per
// bank day of its transactions, the first opening at in.OpeningDate and
// in.OpeningMinor, each next one where the previous closed, the last
// closing on its own day. The account is identified by the IBAN registered
// in the dossier, so that Inqom routes the statements to it. The name
// depends on the batch alone, so a resend carries the same name.
func BuildBatchFile(in *freenahi.BatchInput) (string, []byte, error) {
	if len(in.Transactions) == 0 {
		return "", nil, fmt.Errorf("batch %d of mapping %d has no transaction", in.Seq, in.Mapping.ID)
	}
	acct, err := cfonbAccountFor(in.Account, in.Mapping.IBAN)
	if err != nil {
		return "", nil, err
	}
	var buf bytes.Buffer
	// About three records of 122 bytes per movement (04, REF, a 05 more).
	buf.Grow(len(in.Transactions)*3*122 + 2*122)
	sw := newStatementWriter(&buf, acct, false, in.OpeningDate, in.OpeningMinor)
	for _, t := range in.Transactions {
		if err := sw.add(t); err != nil {
			return "", nil, err
		}
	}
	if _, err := sw.finish(freenahi.Date{}); err != nil {
		return "", nil, err
	}
	first, last := in.Transactions[0].Date, in.Transactions[len(in.Transactions)-1].Date
	name := fmt.Sprintf("freenahi-m%d-b%05d-%08d-%08d.txt", in.Mapping.ID, in.Seq, first.Int(), last.Int())
	return name, buf.Bytes(), nil
}
