package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldReplacer expands ligatures that NFD does not decompose.
var foldReplacer = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss")

// fold lower-cases s and strips accents, so that searching "prelevement"
// finds "PRÉLÈVEMENT" the same way on SQLite and PostgreSQL.
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	s = foldReplacer.Replace(s)
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

// likeEscape escapes LIKE wildcards in user text (with ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
