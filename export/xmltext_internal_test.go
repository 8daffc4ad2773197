package export

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
)

// TestXMLWriter_Amount checks amounts against math/big's rendering.
func TestXMLWriter_Amount(t *testing.T) {
	for _, exp := range []int{0, 2, 3} {
		for _, v := range []int64{0, 1, -1, 5, 10, 99, 100, -101, 123456789, -9223372036854775808, 9223372036854775807} {
			var buf bytes.Buffer
			x := newXMLWriter(&buf)
			x.amount(v, exp, true)
			x.flush()
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

// TestXMLWriter_Text: whatever path a text takes (appended as it is, or
// through the escaper), the bytes are exactly encoding/xml's escaping, and a
// decoder reads the text back (characters XML cannot carry as U+FFFD).
func TestXMLWriter_Text(t *testing.T) {
	cases := []string{"", "plain ASCII", "Оплата Москва 🍕", "a&b", "<x>", `"q"`, "l'été", "tab\there", "nl\nx", "cr\rx",
		"bell\x07", "bad \xff utf8", "été \xc3", "nonchar \uffff end", "\ufffe", "é\u0085é", "\u00a0nbsp", "z\x00"}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune{'a', ' ', '&', '<', '>', '"', '\'', '\t', '\n', '\r', 0, 0x1f, 'é', 'Ж', '🍕', 0xfffe, 0xffff, 0xfffd, 0x85}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		if rng.IntN(10) == 0 {
			b.WriteByte(0xff) // a stray byte: invalid UTF-8
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		var got, want bytes.Buffer
		x := newXMLWriter(&got)
		x.text(s)
		x.flush()
		xml.EscapeText(&want, []byte(s))
		if got.String() != want.String() {
			t.Fatalf("text(%q) = %q, encoding/xml escapes it %q", s, got.String(), want.String())
		}
		var back struct {
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte("<a>"+got.String()+"</a>"), &back); err != nil {
			t.Fatalf("text(%q) = %q is not well-formed: %v", s, got.String(), err)
		}
	}
}

// TestXMLWriter_Dates checks both date forms against Date.String (fmt).
func TestXMLWriter_Dates(t *testing.T) {
	for _, d := range []freenahi.Date{{Year: 2026, Month: 3, Day: 1}, {Year: 1, Month: 1, Day: 1}, {Year: 999, Month: 12, Day: 31},
		{Year: 9999, Month: 12, Day: 31}, {Year: 10000, Month: 1, Day: 2}, {Year: 1980, Month: 10, Day: 9}} {
		var buf bytes.Buffer
		x := newXMLWriter(&buf)
		x.isoDate(d)
		x.raw(" ")
		x.compactDate(d)
		x.flush()
		if want := d.String() + " " + strings.ReplaceAll(d.String(), "-", ""); buf.String() != want && d.Year <= 9999 {
			t.Errorf("dates of %+v = %q, want %q", d, buf.String(), want)
		}
		if !strings.HasPrefix(buf.String(), d.String()+" ") {
			t.Errorf("isoDate(%+v) = %q, want %q", d, buf.String(), d.String())
		}
	}
}

// TestXMLWriter_WriteError: the first error of the destination is kept and
// returned; nothing is written after it.
func TestXMLWriter_WriteError(t *testing.T) {
	w := &failAfter{n: 1}
	x := newXMLWriter(w)
	for range 3 {
		x.raw(strings.Repeat("x", xmlFlushAt))
		x.spill()
	}
	if err := x.flush(); err == nil || w.calls != 2 {
		t.Fatalf("flush = %v after %d writes, want the second write's error and no write after it", err, w.calls)
	}
}

type failAfter struct{ n, calls int }

func (f *failAfter) Write(p []byte) (int, error) {
	f.calls++
	if f.calls > f.n {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestXMLStatement_BalancesMustAgree: when the transactions do not add up
// to the period's sum the source gave, camt.053 and OFX refuse to finish a
// statement whose balances would lie.
func TestXMLStatement_BalancesMustAgree(t *testing.T) {
	account := &freenahi.Account{ID: 1, IBAN: "FR7630006000011234567890189", Type: "checking",
		Currency: freenahi.Currency{Code: "EUR", Exponent: 2}}
	day := freenahi.Date{Year: 2026, Month: 3, Day: 2}
	for _, write := range []func(io.Writer, freenahi.StatementRequest, *freenahi.StatementData) (*freenahi.StatementSummary, error){writeCamt053, writeOFX} {
		d := &freenahi.StatementData{Account: account, ClosingMinor: 1000, PeriodMinor: 500, Count: 1,
			Transactions: func(yield func(*freenahi.Transaction, error) bool) {
				yield(&freenahi.Transaction{ID: 1, Date: day, ValueMinor: 499, Type: "card", OriginalWording: "CB"}, nil)
			}}
		var buf bytes.Buffer
		if _, err := write(&buf, freenahi.StatementRequest{From: day, To: day}, d); err == nil || !strings.Contains(err.Error(), "closes at 999") {
			t.Fatalf("a statement 1 cent short: %v", err)
		}
	}
}
