package freenahi

import "strings"

// Currency is an ISO 4217 code (or another code Powens uses, such as a crypto
// asset) with the number of decimals of its minor unit.
type Currency struct {
	Code     string
	Exponent int
}

// isoExponents lists the ISO 4217 currencies whose minor unit is not 1/100.
var isoExponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// LookupCurrency returns the currency for code. The ISO 4217 exponent wins;
// for codes ISO does not know, precision (as Powens reports it) is used when
// given, else 2. The result is always usable.
func LookupCurrency(code string, precision *int) Currency {
	code = strings.ToUpper(strings.TrimSpace(code))
	if e, ok := isoExponents[code]; ok {
		return Currency{Code: code, Exponent: e}
	}
	if precision != nil && *precision >= 0 && *precision <= maxDecimalScale && !isISOCode(code) {
		return Currency{Code: code, Exponent: *precision}
	}
	return Currency{Code: code, Exponent: 2}
}

// isISOCode reports whether code looks like an ISO 4217 alphabetic code; those
// not in isoExponents use two decimals whatever a payload claims.
func isISOCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	for _, c := range code {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// Money is an exact amount in minor units of a currency.
type Money struct {
	Minor    int64
	Currency Currency
}

// String renders m as "123.45 EUR".
func (m Money) String() string {
	return FormatMinor(m.Minor, m.Currency.Exponent) + " " + m.Currency.Code
}

// Decimal returns the amount as exact decimal text without the currency, e.g. "-0.01".
func (m Money) Decimal() string { return FormatMinor(m.Minor, m.Currency.Exponent) }
