package store

import (
	"regexp"
	"strings"
	"testing"
)

// TestSearchWords checks the words the writer stores for PostgreSQL's
// index against migration 00130's split ('[^0-9a-z]+', empty pieces
// removed), with runs of more than four digits cut to four.
func TestSearchWords(t *testing.T) {
	split := regexp.MustCompile(`[^0-9a-z]+`)
	allDigits := regexp.MustCompile(`^[0-9]{5,}$`)
	for _, text := range []string{"", "cb boulangerie paul 2", "vir ref 2024031512345", "ref 9e88z7zaa", "cheque n°1234",
		"ελληνικα ταβερνα", "søren østergaard", "prlv sepa edf\nedf clients", "--a--", "12345678ab 00001 1234",
		"x\uFFFDy", strings.Repeat("x", 2047), strings.Repeat("x", 2048)} {
		var want []string
		for _, w := range split.Split(text, -1) {
			if allDigits.MatchString(w) {
				w = w[:4]
			}
			if w != "" {
				want = append(want, w)
			}
		}
		if len(text) >= pgWordsTextLimit {
			want = []string{"-"}
		}
		if got := searchWords(text); got != strings.Join(want, " ") {
			t.Errorf("searchWords(%.40q) = %.40q, want %.40q", text, got, strings.Join(want, " "))
		}
	}
}

// TestPGWordsQuery checks that a number longer than the index keeps asks
// for its first four digits, and nothing else changes.
func TestPGWordsQuery(t *testing.T) {
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"zanzibar"}, `('zanzibar':*) | '-'`},
		{[]string{"1234"}, `('1234':*) | '-'`},
		{[]string{"123456", "cb"}, `('1234':* & 'cb':*) | '-'`},
		{[]string{"123456ab"}, `('123456ab':*) | '-'`},
		{[]string{"n°12345"}, `('n':*) | '-'`},
		{[]string{"ελληνικα"}, ``},
	} {
		if got := pgWordsQuery(tc.words); got != tc.want {
			t.Errorf("pgWordsQuery(%q) = %q, want %q", tc.words, got, tc.want)
		}
	}
}
