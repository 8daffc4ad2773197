package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
)

func TestLocale_Money(t *testing.T) {
	eur, jpy, tnd := freenahi.Currency{Code: "EUR", Exponent: 2}, freenahi.Currency{Code: "JPY"}, freenahi.Currency{Code: "TND", Exponent: 3}
	en, fr := &locale{lang: "en"}, &locale{lang: "fr"}
	for _, tc := range []struct {
		l     *locale
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
	en, fr := &locale{lang: "en", loc: paris}, &locale{lang: "fr", loc: paris}
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
	}
}

// TestMessages_Used checks that every key the templates and handlers name,
// and every key built from a state, group or code, has a text.
func TestMessages_Used(t *testing.T) {
	keys := map[string]bool{}
	literal := regexp.MustCompile(`(?:\bt |\.T\(|label: |Title: |Flash: )"([a-z_]+\.[a-z_.]+)"|"((?:flash|job|problem|form)\.[a-z_]+)"`)
	for _, pattern := range []string{"templates/*.html", "*.go"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "i18n") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
				if k := m[1] + m[2]; !strings.HasSuffix(k, ".") { // a prefix completed at run time
					keys[k] = true
				}
			}
		}
	}
	for _, g := range freenahi.AccountGroups {
		keys["group."+string(g)] = true
	}
	for _, st := range []freenahi.ConnectionState{"", "SCARequired", "webauthRequired", "additionalInformationNeeded", "decoupled",
		"validating", "actionNeeded", "passwordExpired", "wrongpass", "rateLimiting", "websiteUnavailable", "bug", "notSupported", "someday"} {
		keys["screen."+screenOf(st)] = true
		keys["kind."+string(st.Kind())] = true
		if screenOf(st) == screenTransient {
			keys["state."+string(st)] = true
		}
	}
	for code := range statusOf {
		keys["error.title."+code] = true
	}
	for _, p := range append(problemKeys, "generic") {
		keys["problem."+p] = true
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys; is the pattern still right?", len(keys))
	}
	for k := range keys {
		if _, ok := messages[k]; !ok {
			t.Errorf("no message for key %q", k)
		}
	}
}
