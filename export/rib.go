package export

import (
	"errors"
	"fmt"
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
			return cfonb.Account{}, freenahi.FieldErrorf("rib", "%s", ibanProblem(err))
		}
		return acct, nil
	}
	if len(t) != 21 && len(t) != 23 {
		return cfonb.Account{}, freenahi.FieldErrorf("rib",
			"%q is not a RIB: bank (5 digits), branch (5 digits), account number (11 characters) and optionally the key (2 digits)", s)
	}
	acct := cfonb.Account{BankCode: t[:5], BranchCode: t[5:10], AccountNumber: t[10:21], Currency: "EUR", Exponent: 2}
	key, err := cfonb.RIBKey(acct.BankCode, acct.BranchCode, acct.AccountNumber)
	if err != nil {
		return cfonb.Account{}, freenahi.FieldErrorf("rib", "%v", err)
	}
	if len(t) == 23 && t[21:] != key {
		return cfonb.Account{}, freenahi.FieldErrorf("rib", "key %s does not match bank %s, branch %s, account %s (the key is %s): check for a typo",
			t[21:], acct.BankCode, acct.BranchCode, acct.AccountNumber, key)
	}
	acct.RIBKey = key
	return acct, nil
}

// ibanProblem is the reason part of a cfonb IBAN error.
func ibanProblem(err error) string {
	var ie *cfonb.IBANError
	if errors.As(err, &ie) {
		return "IBAN " + ie.IBAN + " " + ie.Msg
	}
	return err.Error()
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
		return acct, &freenahi.Error{Code: freenahi.EINVALID, Field: "rib", Message: fmt.Sprintf(
			"Account %d (%s) has no IBAN. CFONB 120 needs its French RIB: give bank, branch and account number (rib).", a.ID, a.Name)}
	default:
		if acct, err = cfonb.AccountFromIBAN(a.IBAN); err != nil {
			return acct, &freenahi.Error{Code: freenahi.EINVALID, Field: "rib", Message: fmt.Sprintf(
				"Account %d (%s) cannot be written as CFONB 120: %s. Give its French RIB (bank, branch and account number) instead (rib).",
				a.ID, a.Name, ibanProblem(err))}
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
			"Account %d (%s) is in %s with %d decimals; CFONB 120 carries ISO currencies with 0 to 3 decimals.", a.ID, a.Name, c.Code, c.Exponent)
	}
	acct.Currency, acct.Exponent = c.Code, c.Exponent
	return acct, nil
}
