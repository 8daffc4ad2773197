package cfonb

import (
	"bytes"
)

// pending is a movement whose 05 records may still follow.
type pending struct {
	Movement
	header             [internalWidth]byte // 8–11, which its 05s repeat
	codeDate           [2 + dateWidth]byte // 33–40, which its 05s repeat
	haveParty, haveRef bool                // NPY/NBE and REF already taken
	lastQualifier      string              // of the previous 05, to join a name continued over several
}

// opening parses a 01 record into a new statement and checks the chain.
func (r *Reader) opening(rec []byte) (*Statement, day, error) {
	st := &Statement{}
	d, err := r.balanceRecord(rec, &st.Account, &st.OpeningMinor)
	if err != nil {
		return nil, 0, err
	}
	st.OpeningDate = d.time()
	prev, ok := r.chain[identityOf(rec)]
	if !ok || r.SkipChainCheck {
		return st, d, nil
	}
	exp := st.Account.Exponent
	if d != prev.date {
		return nil, 0, errorf(r.line, posDate+1, "old balance date %s does not chain: the previous statement of this account closed on %s (line %d)",
			d, prev.date, prev.line)
	}
	if st.OpeningMinor != prev.balance {
		return nil, 0, errorf(r.line, posAmount+1, "old balance %s does not chain: the previous statement of this account closed at %s (line %d)",
			FormatMinor(st.OpeningMinor, exp), FormatMinor(prev.balance, exp), prev.line)
	}
	return st, d, nil
}

// closing parses the 07 record and checks it against the 01 and movements.
func (r *Reader) closing(rec []byte, st *Statement, open day, sum int64) error {
	var acct Account
	d, err := r.balanceRecord(rec, &acct, &st.ClosingMinor)
	if err != nil {
		return err
	}
	st.ClosingDate = d.time()
	if d < open {
		return errorf(r.line, posDate+1, "new balance date %s is before the old balance date %s", d, open)
	}
	exp := acct.Exponent
	want, ok := addBalance(st.OpeningMinor, sum)
	if !ok || want != st.ClosingMinor {
		return errorf(r.line, posAmount+1, "new balance %s does not equal the old balance %s plus %d movements totalling %s",
			FormatMinor(st.ClosingMinor, exp), FormatMinor(st.OpeningMinor, exp), len(st.Movements), FormatMinor(sum, exp))
	}
	r.chain[identityOf(rec)] = chainPoint{line: r.line, date: d, balance: st.ClosingMinor}
	return nil
}

// balanceRecord parses a 01 or 07: account zone, date and amount, with the
// reserved zones blank. Positions 105–120 are not checked beyond the
// character set: banks put their own data there (reference §1.4).
func (r *Reader) balanceRecord(rec []byte, acct *Account, amount *int64) (day, error) {
	if err := r.accountZone(rec, acct); err != nil {
		return 0, err
	}
	for _, z := range [][2]int{{posInternal, internalWidth}, {posOpCode, 2}, {posDate + dateWidth, posAmount - posDate - dateWidth}} {
		if err := r.blank(rec, z[0], z[1]); err != nil {
			return 0, err
		}
	}
	d, err := r.date(rec, posDate, "balance")
	if err != nil {
		return 0, err
	}
	*amount, err = r.amount(rec)
	return d, err
}

// accountZone checks and decodes positions 3–7, 12–32.
func (r *Reader) accountZone(rec []byte, acct *Account) error {
	if err := r.digits(rec, posBank, 5, "bank code"); err != nil {
		return err
	}
	if err := r.digits(rec, posBranch, 5, "branch code"); err != nil {
		return err
	}
	for i := posCurrency; i < posCurrency+3; i++ {
		if !isUpper(rec[i]) {
			return errorf(r.line, i+1, "currency %q is not a 3-letter ISO 4217 code", rec[posCurrency:posCurrency+3])
		}
	}
	if e := rec[posExponent]; e < '0' || e > '3' {
		return errorf(r.line, posExponent+1, "number of decimals %q is not 0 to 3", rec[posExponent:posExponent+1])
	}
	if err := r.blank(rec, posReserved21, 1); err != nil {
		return err
	}
	account := rec[posAccount : posAccount+accountWidth]
	if !codeChars(string(account)) {
		return errorf(r.line, posAccount+1, "account number %q is not 11 digits or upper-case letters", account)
	}
	*acct = Account{
		BankCode:      string(rec[posBank : posBank+5]),
		BranchCode:    string(rec[posBranch : posBranch+5]),
		AccountNumber: string(account),
		Currency:      string(rec[posCurrency : posCurrency+3]),
		Exponent:      int(rec[posExponent] - '0'),
	}
	// A computed key lets a caller rebuild the IBAN the account was registered with.
	acct.RIBKey, _ = RIBKey(acct.BankCode, acct.BranchCode, acct.AccountNumber)
	return nil
}

// movement parses a 04 record.
func (r *Reader) movement(rec []byte) (*pending, error) {
	p := &pending{}
	copy(p.header[:], rec[posInternal:])
	copy(p.codeDate[:], rec[posOpCode:])
	if !codeChars(string(rec[posOpCode : posOpCode+2])) {
		return nil, errorf(r.line, posOpCode+1, "operation code %q is not 2 digits or upper-case letters", rec[posOpCode:posOpCode+2])
	}
	booking, err := r.date(rec, posDate, "booking")
	if err != nil {
		return nil, err
	}
	if !isBlank(rec[posReject : posReject+2]) {
		if err := r.digits(rec, posReject, 2, "reject code"); err != nil {
			return nil, err
		}
		p.RejectCode = string(rec[posReject : posReject+2])
	}
	value, err := r.date(rec, posValueDate, "value")
	if err != nil {
		return nil, err
	}
	if err := r.blank(rec, posLabel+labelWidth, posEntry-posLabel-labelWidth); err != nil {
		return nil, err
	}
	if err := r.digits(rec, posEntry, entryWidth, "entry number"); err != nil {
		return nil, err
	}
	for _, pos := range []int{posExempt, posUnavail} {
		if c := rec[pos]; c != '0' && c != '1' && c != ' ' {
			return nil, errorf(r.line, pos+1, "flag %q is not 0, 1 or space", rec[pos:pos+1])
		}
	}
	if p.AmountMinor, err = r.amount(rec); err != nil {
		return nil, err
	}
	p.OperationCode = string(rec[posOpCode : posOpCode+2])
	p.InternalCode = string(bytes.TrimRight(rec[posInternal:posInternal+internalWidth], " "))
	p.BookingDate, p.ValueDate = booking.time(), value.time()
	p.EntryNumber = int(atoi(rec[posEntry : posEntry+entryWidth]))
	p.CommissionExempt, p.Unavailable = rec[posExempt] == '1', rec[posUnavail] == '1'
	p.Reference = string(bytes.TrimSpace(rec[posRefZone:recordLen]))
	r.label = append(r.label[:0], trimSpaces(rec[posLabel:posLabel+labelWidth])...)
	return p, nil
}

// complement parses a 05 record into the pending movement. LIB continues
// the label; the first NPY (credit) or NBE (debit) is the counterparty; the
// first REF with a blank first half carries our reference; any other 05 is
// kept verbatim in Complements.
func (r *Reader) complement(rec []byte, p *pending) error {
	if !bytes.Equal(rec[posInternal:posInternal+internalWidth], p.header[:]) {
		return errorf(r.line, posInternal+1, "internal operation code %q differs from %q in its 04", rec[posInternal:posInternal+internalWidth], p.header[:])
	}
	if !bytes.Equal(rec[posOpCode:posOpCode+2], p.codeDate[:2]) {
		return errorf(r.line, posOpCode+1, "operation code %q differs from %q in its 04", rec[posOpCode:posOpCode+2], p.codeDate[:2])
	}
	if !bytes.Equal(rec[posDate:posDate+dateWidth], p.codeDate[2:]) {
		return errorf(r.line, posDate+1, "booking date %q differs from %q in its 04", rec[posDate:posDate+dateWidth], p.codeDate[2:])
	}
	if err := r.blank(rec, posDate+dateWidth, posQualifier-posDate-dateWidth); err != nil {
		return err
	}
	if err := r.blank(rec, posInfo+infoWidth, recordLen-posInfo-infoWidth); err != nil {
		return err
	}
	q, info := string(rec[posQualifier:posInfo]), rec[posInfo:posInfo+infoWidth]
	defer func() { p.lastQualifier = q }()
	switch {
	case q == "LIB":
		r.label = joinLabel(r.label, info)
	case q == counterpartyQualifier(p.AmountMinor) && (!p.haveParty || p.lastQualifier == q):
		// Consecutive records continue one long name.
		p.Counterparty = string(joinLabel([]byte(p.Counterparty), info))
		p.haveParty = true
	case q == "REF" && !p.haveRef && isBlank(info[:halfInfoWidth]) && !isBlank(info[halfInfoWidth:]):
		p.Reference, p.haveRef = string(bytes.TrimSpace(info[halfInfoWidth:])), true
	default:
		p.Complements = append(p.Complements, Complement{Qualifier: q, Info: string(bytes.TrimRight(info, " "))})
	}
	return nil
}

// finish appends the pending movement, if any, with its joined label.
func (r *Reader) finish(st *Statement, p *pending) {
	if p == nil {
		return
	}
	p.Label = string(bytes.TrimSpace(r.label))
	st.Movements = append(st.Movements, p.Movement)
}

// date checks and decodes a DDMMYY zone.
func (r *Reader) date(rec []byte, pos int, what string) (day, error) {
	d, msg := parseDate(rec[pos : pos+dateWidth])
	if msg != "" {
		return 0, errorf(r.line, pos+1, "%s %s", what, msg)
	}
	return d, nil
}

// amount checks and decodes the signed amount at 91–104.
func (r *Reader) amount(rec []byte) (int64, error) {
	v, off, msg := decodeAmount(rec[posAmount : posAmount+amountWidth])
	if msg != "" {
		return 0, errorf(r.line, posAmount+off+1, "%s", msg)
	}
	return v, nil
}

// digits checks a numeric zone.
func (r *Reader) digits(rec []byte, pos, width int, what string) error {
	for i := pos; i < pos+width; i++ {
		if !isDigit(rec[i]) {
			return errorf(r.line, i+1, "%s %q is not %d digits", what, rec[pos:pos+width], width)
		}
	}
	return nil
}

// blank checks a reserved zone, which the standard wants filled with spaces.
func (r *Reader) blank(rec []byte, pos, width int) error {
	for i := pos; i < pos+width; i++ {
		if rec[i] != ' ' {
			return errorf(r.line, i+1, "reserved zone at positions %d–%d holds %q, want spaces", pos+1, pos+width, rec[pos:pos+width])
		}
	}
	return nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}
