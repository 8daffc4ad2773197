package bankfile

import (
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

// parseAmount reads an amount as banks write it: an optional sign (leading,
// trailing, or parentheses), a currency sign or code around it, digits
// grouped by spaces, apostrophes or the separator that is not the decimal
// one. decimalComma says which of ',' and '.' separates the decimals.
func parseAmount(s string, decimalComma bool) (freenahi.Decimal, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	s = strings.TrimSpace(strings.Trim(s, "€$£"))
	for _, code := range []string{"EUR", "USD", "GBP", "CHF"} {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, code), code))
	}
	switch {
	case strings.HasSuffix(s, "-"):
		neg, s = !neg, s[:len(s)-1]
	case strings.HasPrefix(s, "-"), strings.HasPrefix(s, "\u2212"):
		neg, s = !neg, strings.TrimPrefix(strings.TrimPrefix(s, "-"), "\u2212")
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	s = strings.TrimSpace(strings.Trim(s, "€$£"))
	group, point := ",", "."
	if decimalComma {
		group, point = ".", ","
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case string(r) == point:
			b.WriteByte('.')
		case string(r) == group, r == ' ', r == '\'', r == '\u00a0', r == '\u202f':
			// a group separator
		default:
			return freenahi.Decimal{}, false
		}
	}
	t := b.String()
	if t == "" || strings.Count(t, ".") > 1 || len(t) > 24 {
		return freenahi.Decimal{}, false
	}
	if neg {
		t = "-" + t
	}
	d, err := freenahi.ParseDecimal(t)
	return d, err == nil
}

// guessDecimalComma says whether the amounts use a decimal comma: the last
// separator of an amount followed by one or two digits is the decimal one.
func guessDecimalComma(amounts []string) bool {
	commas, points := 0, 0
	for _, a := range amounts {
		a = strings.TrimRight(strings.TrimSpace(a), "-)€ ")
		i := strings.LastIndexAny(a, ",.")
		if i < 0 || len(a)-i-1 > 2 || len(a)-i-1 == 0 {
			continue
		}
		if a[i] == ',' {
			commas++
		} else {
			points++
		}
	}
	return commas > points
}

// DateFormats are the date layouts a CSV mapping may name, in the order a
// form offers them.
var DateFormats = []string{"dd/mm/yyyy", "yyyy-mm-dd", "dd/mm/yy", "dd-mm-yyyy", "dd.mm.yyyy", "mm/dd/yyyy", "yyyymmdd"}

var dateLayouts = map[string]string{
	"dd/mm/yyyy": "2/1/2006", "yyyy-mm-dd": "2006-1-2", "dd/mm/yy": "2/1/06", "dd-mm-yyyy": "2-1-2006",
	"dd.mm.yyyy": "2.1.2006", "mm/dd/yyyy": "1/2/2006", "yyyymmdd": "20060102",
}

// parseDate reads s in a format of DateFormats (days and months of one
// or two digits); a time after the date
// ("2024-03-01 10:00" or "2024-03-01T10:00:00") is ignored.
func parseDate(s, format string) (freenahi.Date, bool) {
	layout, ok := dateLayouts[format]
	if !ok {
		return freenahi.Date{}, false
	}
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i >= 0 {
		s = s[:i]
	}
	t, err := time.Parse(layout, s)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return freenahi.Date{}, false
	}
	return freenahi.DateOf(t), true
}

// guessDateFormat returns the first format of DateFormats that reads every
// sample, or "" when none does.
func guessDateFormat(samples []string) string {
	for _, f := range DateFormats {
		ok := len(samples) > 0
		for _, s := range samples {
			if _, good := parseDate(s, f); !good {
				ok = false
				break
			}
		}
		if ok {
			return f
		}
	}
	return ""
}
