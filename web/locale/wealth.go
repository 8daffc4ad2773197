package locale

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/freenahi/freenahi"
)

var frMonthsLong = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
	"octobre", "novembre", "décembre"}

// MonthYear formats a date's month: "Mar 2025" or "mars 2025".
func (l *Locale) MonthYear(d freenahi.Date) string {
	if l.lang == "fr" {
		return fmt.Sprintf("%s %d", frMonths[d.Month-1], d.Year)
	}
	return fmt.Sprintf("%s %d", d.Month.String()[:3], d.Year)
}

// DayMonth formats a date without its year: "5 Mar" or "5 mars".
func (l *Locale) DayMonth(d freenahi.Date) string {
	if l.lang == "fr" {
		return fmt.Sprintf("%d %s", d.Day, frMonths[d.Month-1])
	}
	return fmt.Sprintf("%d %s", d.Day, d.Month.String()[:3])
}

// MoneyWhole formats an amount without its minor digits when it has none
// ("€12,000", "12 000 €"), else as Money does.
func (l *Locale) MoneyWhole(minor int64, c freenahi.Currency) string {
	unit := int64(1)
	for range c.Exponent {
		unit *= 10
	}
	if minor%unit != 0 {
		return l.Money(minor, c)
	}
	return l.Money(minor/unit, freenahi.Currency{Code: c.Code})
}

// PercentOf formats num/den as a percentage with two decimals, rounded half
// away from zero, exactly (big integers, so no amount overflows).
func (l *Locale) PercentOf(num, den int64) string {
	n := new(big.Int).Mul(big.NewInt(num), big.NewInt(20000)) // twice the hundredths of a percent
	q := new(big.Int).Quo(n, big.NewInt(den))
	// q is twice the value, truncated toward zero: round half away from zero.
	if q.Sign() >= 0 {
		q.Add(q, big.NewInt(1))
	} else {
		q.Sub(q, big.NewInt(1))
	}
	q.Quo(q, big.NewInt(2))
	return l.percentText(freenahi.FormatMinor(q.Int64(), 2))
}

func (l *Locale) percentText(s string) string {
	if l.lang == "fr" {
		return strings.Replace(s, ".", ",", 1) + nbsp + "%"
	}
	return s + "%"
}

// Percent formats a ratio (1 = 100 %) with two decimals, rounded half away
// from zero from the exact decimal: "12.35%" or "12,35 %".
func (l *Locale) Percent(ratio freenahi.Decimal) string {
	return l.percentText(freenahi.FormatMinor(ratio.Round(4), 2))
}

// Number formats an exact decimal with the language's separators: "1,234.5"
// or "1 234,5".
func (l *Locale) Number(d freenahi.Decimal) string {
	s := d.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	group, dec := ",", "."
	if l.lang == "fr" {
		group, dec = nnbsp, ","
	}
	out := sign + groupThousands(intPart, group)
	if frac != "" {
		out += dec + frac
	}
	return out
}
