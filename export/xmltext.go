package export

import (
	"bufio"
	"encoding/xml"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
)

// xmlWriter writes an XML document as text, element by element, through a
// bufio.Writer: the camt.053 and OFX writers stream like the CFONB one,
// and their bytes depend on the inputs alone.
type xmlWriter struct {
	bw      *bufio.Writer
	scratch []byte
	err     error
}

// raw writes markup we wrote ourselves (names, dates, amounts, codes).
func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.bw.WriteString(s)
	}
}

// text writes character data escaped; characters XML cannot carry become
// U+FFFD (encoding/xml's rule), so a stray control byte never breaks the file.
func (x *xmlWriter) text(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.bw, []byte(s))
	}
}

// elem writes <name>text</name> with the text escaped.
func (x *xmlWriter) elem(name, text string) {
	x.raw("<" + name + ">")
	x.text(text)
	x.raw("</" + name + ">")
}

// amount writes the absolute value of minor with its exponent's decimals,
// as both formats want ("1234.56"), without allocating.
func (x *xmlWriter) amount(minor int64, exponent int, signed bool) {
	if x.err != nil {
		return
	}
	b := x.scratch[:0]
	if minor < 0 && signed {
		b = append(b, '-')
	}
	u := uint64(minor)
	if minor < 0 {
		u = uint64(-(minor + 1)) + 1
	}
	digits := strconv.AppendUint(nil, u, 10)
	for len(digits) <= exponent {
		digits = append([]byte{'0'}, digits...)
	}
	b = append(b, digits[:len(digits)-exponent]...)
	if exponent > 0 {
		b = append(b, '.')
		b = append(b, digits[len(digits)-exponent:]...)
	}
	x.scratch = b
	_, x.err = x.bw.Write(b)
}

// isoDate writes YYYY-MM-DD.
func (x *xmlWriter) isoDate(d freenahi.Date) { x.raw(d.String()) }

// compactDate writes YYYYMMDD (OFX).
func (x *xmlWriter) compactDate(d freenahi.Date) {
	if x.err == nil {
		x.scratch = strconv.AppendInt(x.scratch[:0], int64(d.Int()), 10)
		_, x.err = x.bw.Write(x.scratch)
	}
}

// words collapses the spaces of s and trims it, so that fixed-width text
// fields cut cleanly.
func words(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cutWords splits s (collapsed) into pieces of at most width characters,
// at spaces when a piece can end on one, so that no text is lost.
func cutWords(s string, width int) []string {
	var out []string
	for s != "" {
		if utf8.RuneCountInString(s) <= width {
			return append(out, s)
		}
		cut, n := len(s), 0
		lastSpace := -1
		for i := range s {
			if n == width {
				cut = i
				break
			}
			if s[i] == ' ' {
				lastSpace = i
			}
			n++
		}
		if s[cut] == ' ' {
			lastSpace = cut
		}
		if lastSpace > 0 {
			cut = lastSpace
		}
		out = append(out, strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut:], " ")
	}
	return out
}

// firstWords is the start of s that fits in width characters, cut at a
// space when it can be; for fields that cannot repeat.
func firstWords(s string, width int) string {
	if p := cutWords(s, width); len(p) > 0 {
		return p[0]
	}
	return ""
}
