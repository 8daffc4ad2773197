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
// Most wordings need no escaping: they are written as they are.
func (x *xmlWriter) text(s string) {
	if x.err != nil {
		return
	}
	if plainText(s) {
		_, x.err = x.bw.WriteString(s)
		return
	}
	x.err = xml.EscapeText(x.bw, []byte(s))
}

// plainText reports whether s is valid UTF-8 with nothing XML escapes.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			return utf8.ValidString(s[i:]) && !strings.ContainsAny(s[i:], "&<>\"'\t\n\r")
		case c < 0x20, c == '&', c == '<', c == '>', c == '"', c == '\'':
			return false
		}
	}
	return true
}

// elem writes <name>text</name> with the text escaped.
func (x *xmlWriter) elem(name, text string) {
	x.open(name)
	x.text(text)
	x.close(name)
}

// open and close write a tag without building a string.
func (x *xmlWriter) open(name string) {
	x.raw("<")
	x.raw(name)
	x.raw(">")
}

func (x *xmlWriter) close(name string) {
	x.raw("</")
	x.raw(name)
	x.raw(">")
}

// ref writes our reference, "FREENAHI" and the id on 16 digits.
func (x *xmlWriter) ref(id int64) {
	if x.err != nil {
		return
	}
	b := append(x.scratch[:0], refPrefix...)
	n := len(b)
	b = append(b, "0000000000000000"...)
	for i := len(b) - 1; i >= n && id > 0; i-- {
		b[i] = byte('0' + id%10)
		id /= 10
	}
	x.scratch = b
	_, x.err = x.bw.Write(b)
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
	var buf [24]byte
	digits := strconv.AppendUint(buf[:0], u, 10)
	whole := len(digits) - exponent
	if whole > 0 {
		b = append(b, digits[:whole]...)
	} else {
		b, whole = append(b, '0'), 0 // 0.05: a zero before the point
	}
	if exponent > 0 {
		b = append(b, '.')
		for pad := exponent - len(digits); pad > 0; pad-- {
			b = append(b, '0')
		}
		b = append(b, digits[whole:]...)
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
	clean := s != "" && s[0] != ' ' && s[len(s)-1] != ' '
	for i := 0; clean && i < len(s); i++ {
		switch s[i] {
		case '\t', '\n', '\v', '\f', '\r', 0x85, 0xA0:
			clean = false // 0x85 and 0xA0 may start or end a Unicode space: let Fields decide
		case ' ':
			clean = s[i+1] != ' '
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// cutWords splits s (collapsed) into pieces of at most width characters,
// at spaces when a piece can end on one, so that no text is lost.
func cutWords(s string, width int) []string {
	var out []string
	for s != "" {
		if len(s) <= width || utf8.RuneCountInString(s) <= width {
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
	if len(s) <= width {
		return s // bytes bound characters
	}
	if p := cutWords(s, width); len(p) > 0 {
		return p[0]
	}
	return ""
}
