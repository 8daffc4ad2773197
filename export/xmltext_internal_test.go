package export

import (
	"bufio"
	"bytes"
	"math/big"
	"testing"
)

// TestXMLWriter_Amount checks amounts against math/big's rendering.
func TestXMLWriter_Amount(t *testing.T) {
	for _, exp := range []int{0, 2, 3} {
		for _, v := range []int64{0, 1, -1, 5, 10, 99, 100, -101, 123456789, -9223372036854775808, 9223372036854775807} {
			var buf bytes.Buffer
			x := &xmlWriter{bw: bufio.NewWriter(&buf)}
			x.amount(v, exp, true)
			x.bw.Flush()
			want := new(big.Rat).SetFrac(big.NewInt(v), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)).FloatString(exp)
			if got := buf.String(); got != want {
				t.Errorf("amount(%d, %d)=%q, want %q", v, exp, got, want)
			}
		}
	}
}

// TestCutWords: pieces fit, start and end with a word, and lose nothing.
func TestCutWords(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  []string
	}{
		{"abc def", 3, []string{"abc", "def"}},
		{"abc def", 7, []string{"abc def"}},
		{"abcdef gh", 4, []string{"abcd", "ef", "gh"}},
		{"Оплата Москва", 6, []string{"Оплата", "Москва"}},
		{"", 5, nil},
	} {
		got := cutWords(tc.in, tc.width)
		if len(got) != len(tc.want) {
			t.Fatalf("cutWords(%q, %d)=%q, want %q", tc.in, tc.width, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("cutWords(%q, %d)=%q, want %q", tc.in, tc.width, got, tc.want)
			}
		}
	}
}
