package store

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
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

// cutOracle is cutSearchNumbers written again with regular expressions:
// words are runs of letters, numbers and private-use characters (as
// unicode61 cuts them), and a word of five ASCII digits or more is cut to
// four and kept whole in the numbers.
func cutOracle(text string) (cut, numbers string) {
	word := regexp.MustCompile(`[\pL\pN\p{Co}]+`)
	long := regexp.MustCompile(`^[0-9]{5,}$`)
	var nums []string
	cut = word.ReplaceAllStringFunc(text, func(w string) string {
		if long.MatchString(w) {
			nums = append(nums, w)
			return w[:4]
		}
		return w
	})
	return cut, strings.Join(nums, " ")
}

// TestCutSearchNumbers holds hand-written cases and compares each with the
// oracle.
func TestCutSearchNumbers(t *testing.T) {
	for _, tc := range []struct{ text, cut, numbers string }{
		{"", "", ""},
		{"cb carrefour market 123457", "cb carrefour market 1234", "123457"},
		{"cb paul 12/05 4521", "cb paul 12/05 4521", ""},
		{"vir ref 2024031512345\nacme", "vir ref 2024\nacme", "2024031512345"},
		{"12345678ab 00001 1234 98765", "12345678ab 0000 1234 9876", "00001 98765"},
		{"n°1234567", "n°1234", "1234567"},
		{"ж123456 123456ж", "ж123456 123456ж", ""},
		{"x²12345 12345²", "x²12345 12345²", ""},
		{"١٢٣٤٥٦ 12345", "١٢٣٤٥٦ 1234", "12345"},
		{"ref:55555;66666", "ref:5555;6666", "55555 66666"},
	} {
		cut, numbers := cutSearchNumbers(tc.text)
		if cut != tc.cut || numbers != tc.numbers {
			t.Errorf("cutSearchNumbers(%q) = %q, %q; want %q, %q", tc.text, cut, numbers, tc.cut, tc.numbers)
		}
		if oc, on := cutOracle(tc.text); oc != tc.cut || on != tc.numbers {
			t.Errorf("the oracle cuts %q into %q, %q; the case says %q, %q", tc.text, oc, on, tc.cut, tc.numbers)
		}
	}
}

// FuzzCutSearchNumbers holds cutSearchNumbers to the oracle on any valid
// text (the search text is folded from JSON strings: valid UTF-8).
func FuzzCutSearchNumbers(f *testing.F) {
	for _, s := range []string{"cb carrefour 123456", "n°1234567 ж123456", "12345678ab 00001", "x²12345", "١٢٣٤٥٦"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			t.Skip()
		}
		cut, numbers := cutSearchNumbers(text)
		if oc, on := cutOracle(text); cut != oc || numbers != on {
			t.Fatalf("cutSearchNumbers(%q) = %q, %q; the oracle says %q, %q", text, cut, numbers, oc, on)
		}
	})
}

// BenchmarkCutSearchNumbers measures the cut of a typical search text, with
// and without a long number.
func BenchmarkCutSearchNumbers(b *testing.B) {
	for _, text := range []string{"cb carrefour market 123457", "cb paul 12/05 4521\npaul"} {
		b.Run(strings.Fields(text)[1], func(b *testing.B) {
			for range b.N {
				cutSearchNumbers(text)
			}
		})
	}
}
