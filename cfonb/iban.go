package cfonb

import (
	"fmt"
	"strings"
)

// RIB is a French bank account identifier (relevé d'identité bancaire): the
// BBAN of a French IBAN. CFONB 120 records carry the first three parts.
type RIB struct {
	BankCode      string // 5 digits, code banque
	BranchCode    string // 5 digits, code guichet
	AccountNumber string // 11 digits or upper-case letters
	Key           string // 2 digits, clé RIB
}

// isRIBCountry reports whether an IBAN country's BBAN is a French RIB:
// France and Monaco (reference §5).
func isRIBCountry(cc string) bool { return cc == "FR" || cc == "MC" }

// ribIBANLength is the length of an FR or MC IBAN: country, check, 23-character RIB.
const ribIBANLength = 27

// normalizeIBAN removes the spaces of the paper form and upper-cases, so that
// "fr76 3000 6000 …" and "FR7630006000…" are the same IBAN.
func normalizeIBAN(iban string) string {
	return strings.ToUpper(strings.ReplaceAll(iban, " ", ""))
}

// ValidateIBAN checks any country's IBAN for shape (two letters, two check
// digits, 11 to 30 letters or digits) and for the ISO 7064 MOD 97-10 check.
// It does not know each country's length; ParseIBAN does for FR and MC.
func ValidateIBAN(iban string) error {
	s := normalizeIBAN(iban)
	if msg := ibanShape(s); msg != "" {
		return &IBANError{IBAN: iban, Msg: msg, Problem: IBANShape}
	}
	return ibanChecksum(iban, s)
}

// ibanShape returns what is wrong with the form of a normalized IBAN, or "".
func ibanShape(s string) string {
	switch {
	case len(s) < 15 || len(s) > 34:
		return fmt.Sprintf("has %d characters, an IBAN has 15 to 34", len(s))
	case !isUpper(s[0]) || !isUpper(s[1]):
		return "does not start with a two-letter country code"
	case !isDigit(s[2]) || !isDigit(s[3]):
		return "characters 3 and 4 are not check digits"
	}
	for i := 4; i < len(s); i++ {
		if !isDigit(s[i]) && !isUpper(s[i]) {
			return fmt.Sprintf("character %d %q is neither a digit nor a letter", i+1, s[i:i+1])
		}
	}
	return ""
}

// ibanChecksum checks the MOD 97-10 digits of a well-formed normalized IBAN:
// moving the country and check digits to the end makes the number ≡ 1 (mod 97).
func ibanChecksum(iban, s string) error {
	if mod97(s[4:]+s[:4]) != 1 {
		return &IBANError{IBAN: iban, Msg: fmt.Sprintf("check digits %s are wrong (the IBAN checksum fails, likely a typo)", s[2:4]),
			Problem: IBANChecksum}
	}
	return nil
}

// ParseIBAN validates a French (or Monegasque) IBAN, including its RIB key,
// and returns its RIB. Other countries are refused: CFONB 120 has no room for
// their account numbers.
func ParseIBAN(iban string) (RIB, error) {
	s := normalizeIBAN(iban)
	if msg := ibanShape(s); msg != "" {
		return RIB{}, &IBANError{IBAN: iban, Msg: msg, Problem: IBANShape}
	}
	if !isRIBCountry(s[:2]) {
		return RIB{}, &IBANError{IBAN: iban, Msg: fmt.Sprintf("country %s is not France (FR) or Monaco (MC); CFONB 120 needs a French RIB", s[:2]),
			Problem: IBANCountry}
	}
	if len(s) != ribIBANLength {
		return RIB{}, &IBANError{IBAN: iban, Msg: fmt.Sprintf("has %d characters, a French IBAN has %d", len(s), ribIBANLength),
			Problem: IBANLength}
	}
	if err := ibanChecksum(iban, s); err != nil {
		return RIB{}, err
	}
	rib := RIB{BankCode: s[4:9], BranchCode: s[9:14], AccountNumber: s[14:25], Key: s[25:27]}
	key, err := RIBKey(rib.BankCode, rib.BranchCode, rib.AccountNumber)
	if err != nil {
		return RIB{}, &IBANError{IBAN: iban, Msg: err.Error(), Problem: IBANAccountNumber}
	}
	if key != rib.Key {
		return RIB{}, &IBANError{IBAN: iban, Msg: fmt.Sprintf("RIB key %s is wrong, bank %s branch %s account %s give key %s",
			rib.Key, rib.BankCode, rib.BranchCode, rib.AccountNumber, key), Problem: IBANRIBKey}
	}
	return rib, nil
}

// AccountFromIBAN returns the CFONB account identity of a French IBAN, in
// euros with 2 decimals; change Currency and Exponent for other currencies.
func AccountFromIBAN(iban string) (Account, error) {
	rib, err := ParseIBAN(iban)
	if err != nil {
		return Account{}, err
	}
	return Account{
		BankCode:      rib.BankCode,
		BranchCode:    rib.BranchCode,
		AccountNumber: rib.AccountNumber,
		RIBKey:        rib.Key,
		Currency:      "EUR",
		Exponent:      2,
	}, nil
}

// RIBKey computes the 2-digit RIB key of a bank code (5 digits), branch code
// (5 digits) and account number (11 digits or letters; letters count as
// A,J→1 B,K,S→2 … I,R,Z→9): 97 − ((89×bank + 15×branch + 3×account) mod 97).
func RIBKey(bank, branch, account string) (string, error) {
	if len(bank) != 5 || !allDigits(bank) {
		return "", fmt.Errorf("bank code %q is not 5 digits", bank)
	}
	if len(branch) != 5 || !allDigits(branch) {
		return "", fmt.Errorf("branch code %q is not 5 digits", branch)
	}
	if len(account) != 11 {
		return "", fmt.Errorf("account number %q is not 11 characters", account)
	}
	var acct int64
	for i := 0; i < len(account); i++ {
		d, ok := ribDigit(account[i])
		if !ok {
			return "", fmt.Errorf("account number %q has %q, neither a digit nor an upper-case letter", account, account[i:i+1])
		}
		acct = acct*10 + d
	}
	// 89×99999 + 15×99999 + 3×(10^11−1) stays far below 2^63.
	sum := 89*atoi(bank) + 15*atoi(branch) + 3*acct
	return fmt.Sprintf("%02d", 97-sum%97), nil
}

// ribDigit converts an account-number character: digits stand for themselves,
// letters follow the RIB table, which cycles 1–9 over A–I, J–R and S–Z from 2.
func ribDigit(c byte) (int64, bool) {
	switch {
	case isDigit(c):
		return int64(c - '0'), true
	case c >= 'A' && c <= 'I':
		return int64(c-'A') + 1, true
	case c >= 'J' && c <= 'R':
		return int64(c-'J') + 1, true
	case c >= 'S' && c <= 'Z':
		return int64(c-'S') + 2, true
	}
	return 0, false
}

// mod97 returns the remainder by 97 of the number spelt by s (letters count
// as 10–35), carried digit by digit so that no big integer is needed.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi converts a string already checked to be digits.
func atoi[S ~string | ~[]byte](s S) int64 {
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	return v
}
