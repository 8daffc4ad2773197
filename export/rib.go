package export

import (
	"errors"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
)

// ParseRIB reads a RIB a person types: bank code (5 digits), branch code
// (5 digits), account number (11 digits or letters) and optionally the
// 2-digit key, with or without spaces; or a French IBAN. The key, when
// given, must match.
func ParseRIB(s string) (cfonb.Account, error) {
	t := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(t) >= 2 && t[0] >= 'A' && t[0] <= 'Z' && t[1] >= 'A' && t[1] <= 'Z' {
		acct, err := cfonb.AccountFromIBAN(t)
		if err != nil {
			return cfonb.Account{}, ibanError("rib", err)
		}
		return acct, nil
	}
	notRIB := freenahi.FieldErrorf("rib",
		"%q is not a RIB: bank (5 digits), branch (5 digits), account number (11 characters) and optionally the key (2 digits)", s)
	if len(t) != 21 && len(t) != 23 {
		return cfonb.Account{}, notRIB
	}
	acct := cfonb.Account{BankCode: t[:5], BranchCode: t[5:10], AccountNumber: t[10:21], Currency: "EUR", Exponent: 2}
	key, err := cfonb.RIBKey(acct.BankCode, acct.BranchCode, acct.AccountNumber)
	if err != nil {
		return cfonb.Account{}, notRIB // a letter in the bank or branch code, or a sign in the account number
	}
	if len(t) == 23 && t[21:] != key {
		return cfonb.Account{}, freenahi.FieldErrorf("rib", "key %s does not match bank %s, branch %s, account %s (the key is %s): check for a typo",
			t[21:], acct.BankCode, acct.BranchCode, acct.AccountNumber, key)
	}
	acct.RIBKey = key
	return acct, nil
}

// ibanError says why an IBAN cannot name an account in CFONB 120, about
// the input field that gave it, in a sentence of its own per problem so
// that each can be translated.
func ibanError(field string, err error) error {
	var ie *cfonb.IBANError
	if !errors.As(err, &ie) {
		return err
	}
	iban := strings.ToUpper(strings.Join(strings.Fields(ie.IBAN), ""))
	switch ie.Problem {
	case cfonb.IBANShape:
		return freenahi.FieldErrorf(field, "IBAN %s is malformed: an IBAN has two letters, two check digits, then 11 to 30 letters or digits.", iban)
	case cfonb.IBANChecksum:
		return freenahi.FieldErrorf(field, "IBAN %s has wrong check digits: it likely has a typo.", iban)
	case cfonb.IBANCountry:
		return freenahi.FieldErrorf(field, "IBAN %s is from %s, not France or Monaco, and CFONB 120 needs a French RIB.", iban, iban[:2])
	case cfonb.IBANLength:
		return freenahi.FieldErrorf(field, "IBAN %s has %d characters; a French IBAN has 27.", iban, len(iban))
	case cfonb.IBANAccountNumber:
		return freenahi.FieldErrorf(field, "The account number in IBAN %s has a character a RIB does not allow.", iban)
	case cfonb.IBANRIBKey:
		return freenahi.FieldErrorf(field, "The RIB key in IBAN %s does not match its bank, branch and account number: it likely has a typo.", iban)
	}
	return freenahi.FieldErrorf(field, "IBAN %s is not a valid French IBAN.", iban)
}

// accountIdentity returns the CFONB identity of a: from the RIB override
// when given, else from its IBAN, in the account's currency. The error names
// the account and says how to give a RIB.
func accountIdentity(a *freenahi.Account, rib string) (cfonb.Account, error) {
	var acct cfonb.Account
	var err error
	switch {
	case strings.TrimSpace(rib) != "":
		if acct, err = ParseRIB(rib); err != nil {
			return acct, err
		}
	case strings.TrimSpace(a.IBAN) == "":
		return acct, freenahi.FieldErrorf("rib",
			"Account %d (%s) has no IBAN, and CFONB 120 needs its French RIB: give its bank code, branch code and account number (rib).", a.ID, a.Name)
	default:
		if acct, err = cfonb.AccountFromIBAN(a.IBAN); err != nil {
			return acct, ibanError("rib", err)
		}
	}
	return withCurrency(acct, a)
}

// withCurrency sets the account's currency on a CFONB identity, which
// carries 0 to 3 decimals and a 3-letter ISO code.
func withCurrency(acct cfonb.Account, a *freenahi.Account) (cfonb.Account, error) {
	c := a.Currency
	if len(c.Code) != 3 || strings.Trim(c.Code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" || c.Exponent < 0 || c.Exponent > 3 {
		return acct, freenahi.Errorf(freenahi.EINVALID,
			"Account %d (%s) is in %s, whose exponent is %d; CFONB 120 carries ISO currencies with 0 to 3 decimals.", a.ID, a.Name, c.Code, c.Exponent)
	}
	acct.Currency, acct.Exponent = c.Code, c.Exponent
	return acct, nil
}
