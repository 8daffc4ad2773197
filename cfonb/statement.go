package cfonb

import (
	"fmt"
	"time"
)

// Account identifies the account of a statement as CFONB 120 records carry it
// on every line: bank, branch and account number of the RIB, currency and
// number of decimals.
type Account struct {
	BankCode      string // 5 digits, positions 3–7
	BranchCode    string // 5 digits, positions 12–16
	AccountNumber string // 11 digits or upper-case letters, positions 22–32
	// RIBKey is not written (CFONB 120 has no room for it). The writer checks
	// it when set, to catch an account number typed wrong; the reader
	// computes it, so that an importer can match the account to its IBAN.
	RIBKey   string
	Currency string // ISO 4217 alphabetic code, positions 17–19
	Exponent int    // decimals of the currency, 0 to 3, position 20
}

// validate checks the identity the writer is about to repeat on every record.
func (a Account) validate() error {
	switch {
	case len(a.BankCode) != 5 || !allDigits(a.BankCode):
		return fmt.Errorf("bank code %q is not 5 digits", a.BankCode)
	case len(a.BranchCode) != 5 || !allDigits(a.BranchCode):
		return fmt.Errorf("branch code %q is not 5 digits", a.BranchCode)
	case len(a.AccountNumber) != accountWidth || !codeChars(a.AccountNumber):
		return fmt.Errorf("account number %q is not 11 digits or upper-case letters", a.AccountNumber)
	case len(a.Currency) != 3 || !isUpper(a.Currency[0]) || !isUpper(a.Currency[1]) || !isUpper(a.Currency[2]):
		return fmt.Errorf("currency %q is not a 3-letter ISO 4217 code", a.Currency)
	case a.Exponent < 0 || a.Exponent > 3:
		return fmt.Errorf("currency exponent %d is not between 0 and 3", a.Exponent)
	}
	if a.RIBKey != "" {
		key, err := RIBKey(a.BankCode, a.BranchCode, a.AccountNumber)
		if err != nil {
			return err
		}
		if key != a.RIBKey {
			return fmt.Errorf("RIB key %q does not match bank %s branch %s account %s (key %s)",
				a.RIBKey, a.BankCode, a.BranchCode, a.AccountNumber, key)
		}
	}
	return nil
}

// MaxEntryNumber is the largest entry (cheque, document) number that the
// 7 digits of positions 82–88 can carry.
const MaxEntryNumber = 9_999_999

// Movement is one booked entry: a 04 record and the 05 records that
// complete it. Amounts are signed minor units in the account's currency,
// from the holder's view: money in is positive, money out negative.
type Movement struct {
	// OperationCode is the interbank code of positions 33–34 (two digits or
	// upper-case letters). When empty the writer derives it from PowensType
	// and the sign of AmountMinor (see OperationCode); the reader fills it.
	OperationCode string
	// PowensType is the Powens transaction type; only the writer uses it.
	PowensType string
	// InternalCode is the bank's own operation code of positions 8–11, up to
	// 4 characters; usually empty for us.
	InternalCode string
	// BookingDate and ValueDate are dates: only their calendar day in their
	// own location is written. A zero ValueDate is written as BookingDate.
	BookingDate time.Time
	ValueDate   time.Time
	// RejectCode is the 2-digit reject or return reason (41–42), empty for
	// normal movements.
	RejectCode  string
	AmountMinor int64
	// Label is folded (see Fold); the first 31 characters go to the 04 record
	// and the rest to as many 05 LIB records as needed, cut at word
	// boundaries; a label with no letter or digit is replaced by KindLabel.
	Label string
	// Reference is our transaction reference. It goes whole in the 04
	// reference zone (105–120) when it fits in 16 characters; a longer one
	// (up to 35) goes in a 05 REF record, its last 16 characters in the zone.
	Reference string
	// Counterparty is the other party's name, written in a 05 NPY (payer) for
	// a credit or zero amount and in a 05 NBE (beneficiary) for a debit.
	Counterparty string
	// EntryNumber is the cheque or document number of 82–88, 0 if none.
	EntryNumber      int
	CommissionExempt bool // position 89: '1' exempt, '0' not
	Unavailable      bool // position 90: '1' funds unavailable, '0' available
	// Complements are further 05 records, written after LIB, NPY/NBE and REF
	// in their order. The writer refuses LIB, REF and the qualifier that
	// Counterparty uses, which have their own fields; the reader returns here
	// every 05 it did not fold into those fields.
	Complements []Complement
}

// Complement is one 05 record: a 3-character qualifier (LCC, RCN, RUM, …, or
// a bank's own) and its 70-character information zone.
type Complement struct {
	Qualifier string
	// Info is folded without collapsing spaces, because two-part zones align
	// their second part at character 36 (e.g. RUM: mandate, then "RCUR").
	// The reader returns it with trailing spaces removed.
	Info string
}

// counterpartyQualifier returns NPY for money in (the counterparty paid) and
// NBE for money out (the counterparty received).
func counterpartyQualifier(amountMinor int64) string {
	if amountMinor < 0 {
		return "NBE"
	}
	return "NPY"
}

// Statement is one account's statement as the Reader returns it: old
// balance (01), movements (04 and their 05s) and new balance (07).
type Statement struct {
	Account      Account
	OpeningDate  time.Time // midnight UTC
	OpeningMinor int64
	Movements    []Movement
	ClosingDate  time.Time // midnight UTC
	ClosingMinor int64
}
