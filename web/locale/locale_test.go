package locale

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
)

func TestLocale_Money(t *testing.T) {
	eur, jpy, tnd := freenahi.Currency{Code: "EUR", Exponent: 2}, freenahi.Currency{Code: "JPY"}, freenahi.Currency{Code: "TND", Exponent: 3}
	en, fr := New("en", nil), New("fr", nil)
	for _, tc := range []struct {
		l     *Locale
		minor int64
		c     freenahi.Currency
		want  string
	}{
		{en, 123456, eur, "€1,234.56"},
		{fr, 123456, eur, "1 234,56 €"},
		{en, -5, eur, "-€0.05"},
		{fr, -5, eur, "-0,05 €"},
		{en, 12345678999, eur, "€123,456,789.99"},
		{fr, 12345678999, eur, "123 456 789,99 €"},
		{en, 150000, jpy, "¥150,000"},
		{fr, 150000, jpy, "150 000 ¥"},
		{en, 1234567, tnd, "TND 1,234.567"},
		{fr, 1234567, tnd, "1 234,567 TND"},
		{en, 100, eur, "€1.00"},
		{fr, 99999, eur, "999,99 €"},
	} {
		got := tc.l.Money(tc.minor, tc.c)
		// Compare with plain spaces; the exact no-break spaces are checked below.
		plain := strings.NewReplacer(nnbsp, " ", nbsp, " ").Replace(got)
		if plain != tc.want {
			t.Errorf("%s Money(%d, %s)=%q, want %q", tc.l.lang, tc.minor, tc.c.Code, plain, tc.want)
		}
	}
	if got := fr.Money(123456, eur); got != "1\u202f234,56\u00a0€" {
		t.Errorf("French spacing: %q, want narrow no-break space for thousands and no-break space before €", got)
	}
}

func TestLocale_DatesAndTexts(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	en, fr := New("en", paris), New("fr", paris)
	d := freenahi.Date{Year: 2025, Month: time.February, Day: 3}
	if got := en.Date(d); got != "3 Feb 2025" {
		t.Errorf("en date %q", got)
	}
	if got := fr.Date(d); got != "3 févr. 2025" {
		t.Errorf("fr date %q", got)
	}
	at := time.Date(2025, 7, 1, 22, 30, 0, 0, time.UTC)
	if got := fr.Time(&at); got != "2 juil. 2025 00:30" {
		t.Errorf("fr time in Paris %q", got)
	}
	if got := fr.T("signin.throttled", 3); !strings.Contains(got, "Réessayez dans 3 minute") {
		t.Errorf("fr message %q", got)
	}
	if got := en.T("no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key %q", got)
	}
}

// TestMessages_Complete keeps the two languages in step.
func TestMessages_Complete(t *testing.T) {
	for k, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("message %q lacks a translation: %q", k, m)
		}
		if strings.Count(m[0], "%") != strings.Count(m[1], "%") {
			t.Errorf("message %q: verbs differ between %q and %q", k, m[0], m[1])
		}
		if _, ok := plurals[k]; ok {
			t.Errorf("message %q is both plain and plural", k)
		}
	}
	for k, p := range plurals {
		for lang, f := range p {
			if f.One == "" || f.Other == "" {
				t.Errorf("plural %q (%s) lacks a form: %+v", k, Languages[lang], f)
			}
			if !strings.Contains(f.Other, "%") {
				t.Errorf("plural %q (%s): the other form %q does not show the count", k, Languages[lang], f.Other)
			}
		}
	}
}

func TestLocale_Plurals(t *testing.T) {
	en, fr := New("en", nil), New("fr", nil)
	for _, tc := range []struct {
		l    *Locale
		n    int
		want string
	}{
		{en, 0, "expires in 0 days"},
		{en, 1, "expires in 1 day"},
		{en, 2, "expires in 2 days"},
		{fr, 0, "expire dans 0 jour"}, // French counts 0 as one
		{fr, 1, "expire dans 1 jour"},
		{fr, 2, "expire dans 2 jours"},
		{fr, 15, "expire dans 15 jours"},
	} {
		if got := tc.l.T("connections.days_left", tc.n); got != tc.want {
			t.Errorf("%s T(days_left, %d)=%q, want %q", tc.l.Lang(), tc.n, got, tc.want)
		}
	}
	if got := fr.T("batch.latest", 1); got != "Le fichier le plus récent." {
		t.Errorf("fr batch.latest 1: %q", got)
	}
	if got := en.T("batch.latest", 20); got != "The 20 most recent files." {
		t.Errorf("en batch.latest 20: %q", got)
	}
}

// TestMessages_FrenchTypography keeps French punctuation French: a no-break
// space before : ; ? and !, the typographic apostrophe, and no straight
// double quotes (« » for prose). Code quoted as it is typed is exempt.
func TestMessages_FrenchTypography(t *testing.T) {
	code := strings.NewReplacer("://", "", "Authorization: Bearer", "", "ni ; ni ,", "")
	check := func(key, fr string) {
		text := code.Replace(fr)
		for i, r := range text {
			if !strings.ContainsRune(":;?!", r) {
				continue
			}
			if prev, _ := utf8.DecodeLastRuneInString(text[:i]); prev != '\u00a0' && prev != '\u202f' {
				t.Errorf("%s: no no-break space before %q in %q", key, r, fr)
				break
			}
		}
		if strings.ContainsAny(text, `'"`) {
			t.Errorf("%s: a straight quote in %q", key, fr)
		}
	}
	for k, m := range messages {
		check(k, m[1])
	}
	for k, p := range plurals {
		check(k, p[1].One)
		check(k, p[1].Other)
	}
	for k, fr := range errorMessages {
		check(k, fr)
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for _, c := range []struct{ header, want string }{
		{"fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"},
		{"en-US,en;q=0.9", "en"},
		{"de-DE, fr;q=0.8, en;q=0.5", "fr"}, // German is not offered: the next one wanted
		{"en;q=0.2, fr;q=0.9", "fr"},        // weights, not order
		{"fr;q=0, en;q=0.1", "en"},          // q=0 means "not this one"
		{"de, ja", ""},                      // nothing offered: the server's default
		{"", ""},                            //
		{"*", ""},                           // any: the server's default
		{"fr-CA", "fr"},                     // a region of a language offered
		{"en;q=oops,,,;;", ""},              // unreadable
		{strings.Repeat("fr,", 300), ""},    // oversized: not parsed
	} {
		if got := FromAcceptLanguage(c.header); got != c.want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", c.header, got, c.want)
		}
	}
}
