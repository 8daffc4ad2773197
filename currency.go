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

// isoCodes lists the active ISO 4217 alphabetic codes (the standard's public
// list), so that a crypto asset such as BTC is not mistaken for one.
const isoCodes = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP " +
	"BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP " +
	"GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD " +
	"KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK " +
	"NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN " +
	"SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG " +
	"XAU XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG"

// isISOCode reports whether code is an ISO 4217 code; those not in
// isoExponents use two decimals whatever a payload claims.
func isISOCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	i := strings.Index(isoCodes, code)
	return i >= 0 && i%4 == 0
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
