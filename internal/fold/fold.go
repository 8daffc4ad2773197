// Package fold compares text the way a person expects a search to: case and
// accents ignored, ligatures expanded, so that "prelevement" finds
// "PRÉLÈVEMENT" and "credit agricole" finds "Crédit Agricole". It is written
// once here and used by the store (search), the aggregator (connector names)
// and the web layer.
package fold

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ligatures expands what NFD does not decompose.
var ligatures = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss")

// String lower-cases s and strips its accents.
func String(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	s = ligatures.Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Contains reports whether s contains sub, case and accents ignored.
func Contains(s, sub string) bool { return strings.Contains(String(s), String(sub)) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Words returns the words of s, folded, in order of first appearance and
// without repeats: runs of letters and digits (and private-use characters),
// which is how SQLite's unicode61 tokenizer cuts the text it indexes, so a
// search means the same on both engines.
func Words(s string) []string {
	f := strings.FieldsFunc(String(s), func(r rune) bool { return !IsWordRune(r) })
	out := f[:0]
	for _, w := range f {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// IsWordRune reports whether r belongs to a word, as Words cuts them.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		// ASCII, most of any bank text, without Unicode's tables.
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}
