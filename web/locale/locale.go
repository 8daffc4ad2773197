// Package locale holds freenahi's message catalogs in English and French
// and formats text, money, dates and times for a person's language.
// Messages are keyed by a dotted name (messages.go, and one file per part of
// the product); messages with a count have plural forms chosen by each
// language's rule (CLDR: English "one" is 1, French "one" is 0 and 1); the
// messages of domain errors are keyed by their English format (errors.go).
// Amounts are formatted from exact minor units, never through a float.
package locale

import (
	"fmt"
	"golang.org/x/text/language"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

// Languages are the languages freenahi speaks; the first is the fallback
// for any other OTHER_LANGUAGE value.
var Languages = []string{"en", "fr"}

// Locale formats text, money and dates for one language and time zone.
type Locale struct {
	lang string
	loc  *time.Location
}

// New returns the locale of lang (the fallback language when lang is not
// spoken) showing instants in zone (UTC when nil).
func New(lang string, zone *time.Location) *Locale {
	if lang = Supported(lang); lang == "" {
		lang = Languages[0]
	}
	if zone == nil {
		zone = time.UTC
	}
	return &Locale{lang: lang, loc: zone}
}

// Lang returns the locale's language code.
func (l *Locale) Lang() string { return l.lang }

// Zone returns the time zone instants are shown in.
func (l *Locale) Zone() *time.Location { return l.loc }

// Supported returns lang when freenahi speaks it, else "".
func Supported(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	for _, l := range Languages {
		if l == lang {
			return l
		}
	}
	return ""
}

// FromAcceptLanguage returns the supported language a browser prefers most
// (its Accept-Language header, weights honoured: "de, fr;q=0.8" is French),
// or "" when it names none of them or the header cannot be read.
func FromAcceptLanguage(header string) string {
	if header == "" || len(header) > 512 {
		return ""
	}
	prefs, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return ""
	}
	for _, tag := range prefs { // sorted by weight, zero weights left out
		base, _ := tag.Base()
		if l := Supported(base.String()); l != "" {
			return l
		}
	}
	return ""
}

// Has reports whether key names a message.
func Has(key string) bool {
	_, ok := messages[key]
	if !ok {
		_, ok = plurals[key]
	}
	return ok
}

// T translates a message key, formatting args into it. An unknown key shows
// as itself, so a missing translation is visible rather than blank. A
// plural message takes its count from the first argument.
func (l *Locale) T(key string, args ...any) string {
	if _, ok := plurals[key]; ok && len(args) > 0 {
		if n, ok := asInt(args[0]); ok {
			return l.N(key, n, args...)
		}
	}
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

// N translates a plural message for the count n, formatting args into it
// (usually n itself first).
func (l *Locale) N(key string, n int64, args ...any) string {
	p, ok := plurals[key]
	if !ok {
		return key
	}
	form := p[0]
	if l.lang == "fr" {
		form = p[1]
	}
	text := form.Other
	if isOne(l.lang, n) {
		text = form.One
	}
	if !strings.Contains(text, "%") {
		return text // "the most recent file": the count is in the words
	}
	return fmt.Sprintf(text, args...)
}

// isOne is CLDR's "one" category for integers: 1 in English, 0 and 1 in French.
func isOne(lang string, n int64) bool {
	if lang == "fr" {
		return n == 0 || n == 1
	}
	return n == 1
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case *int:
		if n != nil {
			return int64(*n), true
		}
	}
	return 0, false
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
func (l *Locale) Money(minor int64, c freenahi.Currency) string {
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
func (l *Locale) Date(d freenahi.Date) string {
	if d.IsZero() {
		return ""
	}
	if l.lang == "fr" {
		return fmt.Sprintf("%d %s %d", d.Day, frMonths[d.Month-1], d.Year)
	}
	return fmt.Sprintf("%d %s %d", d.Day, d.Month.String()[:3], d.Year)
}

// Time formats an instant in the server's zone: "5 Mar 2025 14:03"; "" for none.
func (l *Locale) Time(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	local := t.In(l.loc)
	return l.Date(freenahi.DateOf(local)) + " " + local.Format("15:04")
}
