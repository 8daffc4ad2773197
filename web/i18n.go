package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

// The web UI speaks English and French. Messages live in messages (i18n_messages.go)
// keyed by a dotted name; amounts, dates and times are formatted per language
// here, from exact minor units, never through a float.

// uiLanguages are the languages the UI is translated into; the first is the
// fallback for any other OTHER_LANGUAGE value.
var uiLanguages = []string{"en", "fr"}

// locale formats text, money and dates for one language.
type locale struct {
	lang string
	loc  *time.Location
}

// supportedLang returns lang when the UI speaks it, else "".
func supportedLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	for _, l := range uiLanguages {
		if l == lang {
			return l
		}
	}
	return ""
}

// T translates a message key, formatting args into it. An unknown key shows
// as itself, so a missing translation is visible rather than blank.
func (l *locale) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	text := m[0]
	if l.lang == "fr" && m[1] != "" {
		text = m[1]
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// Narrow no-break space groups thousands in French (CLDR); a no-break space
// separates a French amount from its currency, so neither wraps on a phone.
const (
	nnbsp = "\u202f"
	nbsp  = "\u00a0"
)

// currencySymbols are the symbols shown instead of ISO codes.
var currencySymbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

// Money formats minor units of a currency: "€1,234.56" in English,
// "1 234,56 €" in French; other currencies show their code.
func (l *locale) Money(minor int64, c freenahi.Currency) string {
	digits := freenahi.FormatMinor(minor, c.Exponent)
	sign := ""
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	intPart, frac, _ := strings.Cut(digits, ".")
	group, dec := ",", "."
	if l.lang == "fr" {
		group, dec = nnbsp, ","
	}
	num := groupThousands(intPart, group)
	if frac != "" {
		num += dec + frac
	}
	sym, ok := currencySymbols[c.Code]
	switch {
	case l.lang == "fr" && ok:
		return sign + num + nbsp + sym
	case l.lang == "fr":
		return sign + num + nbsp + c.Code
	case ok:
		return sign + sym + num
	}
	return sign + c.Code + nbsp + num
}

// groupThousands inserts sep every three digits from the right.
func groupThousands(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

var frMonths = [...]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}

// Date formats a calendar date: "5 Mar 2025" or "5 mars 2025"; "" for none.
func (l *locale) Date(d freenahi.Date) string {
	if d.IsZero() {
		return ""
	}
	if l.lang == "fr" {
		return fmt.Sprintf("%d %s %d", d.Day, frMonths[d.Month-1], d.Year)
	}
	return fmt.Sprintf("%d %s %d", d.Day, d.Month.String()[:3], d.Year)
}

// Time formats an instant in the server's zone: "5 Mar 2025 14:03"; "" for none.
func (l *locale) Time(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	local := t.In(l.loc)
	return l.Date(freenahi.DateOf(local)) + " " + local.Format("15:04")
}
