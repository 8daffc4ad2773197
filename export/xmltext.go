package export

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
)

// xmlWriter writes an XML document as text, element by element: the
// camt.053 and OFX writers stream like the CFONB one, and their bytes depend
// on the inputs alone. Markup is appended to buf, which goes to w whenever
// it passes xmlFlushAt, so that writing a tag costs an append, not a call
// through a buffered writer.
type xmlWriter struct {
	w   io.Writer
	buf []byte
	err error
	// The last date written in each form, kept rendered: a statement's
	// entries come by the hundred per day, so most dates are a copy.
	iso, compact dateText
}

// dateText is a date and its rendering, when it has four-digit year.
type dateText struct {
	d    freenahi.Date
	n    int
	text [10]byte
}

// xmlFlushAt is the size past which the buffer goes to the writer.
const xmlFlushAt = 64 * 1024

func newXMLWriter(w io.Writer) *xmlWriter {
	return &xmlWriter{w: w, buf: make([]byte, 0, xmlFlushAt+4*1024)}
}

// raw writes markup we wrote ourselves (names, dates, amounts, codes).
func (x *xmlWriter) raw(s string) { x.buf = append(x.buf, s...) }

// Write appends p: encoding/xml's escaper writes through it.
func (x *xmlWriter) Write(p []byte) (int, error) {
	x.buf = append(x.buf, p...)
	return len(p), nil
}

// spill sends the buffer to w once it is full enough; the writers call it
// after each entry, so the buffer holds about one entry past xmlFlushAt.
func (x *xmlWriter) spill() {
	if len(x.buf) >= xmlFlushAt {
		x.flush()
	}
}

// flush sends the buffer to w and returns the first error w gave.
func (x *xmlWriter) flush() error {
	if x.err == nil && len(x.buf) > 0 {
		_, x.err = x.w.Write(x.buf)
	}
	x.buf = x.buf[:0]
	return x.err
}

// text writes character data escaped by encoding/xml, whose rules the
// readers of the tests check independently: characters XML cannot carry
// become U+FFFD, so a stray control byte never breaks the file. Most
// wordings need no escaping: they are appended as they are.
func (x *xmlWriter) text(s string) {
	if plainText(s) {
		x.buf = append(x.buf, s...)
		return
	}
	xml.EscapeText(x, []byte(s)) // x.Write never fails
}

// plainText reports whether s is valid UTF-8 holding only characters XML
// carries as they are: nothing encoding/xml escapes or replaces.
func plainText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			return false // invalid UTF-8, or a non-character XML 1.0 cannot carry
		}
		i += size
	}
	return true
}

// elem writes <name>text</name> with the text escaped.
func (x *xmlWriter) elem(name, text string) {
	x.open(name)
	x.text(text)
	x.close(name)
}

// elemPlain is elem for a text known to be plain (plainText) or not: a
// writer that shows pieces of one wording checks the wording once, as a
// piece cut at a character of a plain text is plain.
func (x *xmlWriter) elemPlain(name, text string, plain bool) {
	x.open(name)
	if plain {
		x.buf = append(x.buf, text...)
	} else {
		x.text(text)
	}
	x.close(name)
}

// open and close write a tag.
func (x *xmlWriter) open(name string) {
	x.buf = append(x.buf, '<')
	x.buf = append(x.buf, name...)
	x.buf = append(x.buf, '>')
}

func (x *xmlWriter) close(name string) {
	x.buf = append(x.buf, "</"...)
	x.buf = append(x.buf, name...)
	x.buf = append(x.buf, '>')
}

// ref writes our reference, "FREENAHI" and the id on 16 digits.
func (x *xmlWriter) ref(id int64) {
	x.buf = append(x.buf, refPrefix...)
	n := len(x.buf)
	x.buf = append(x.buf, "0000000000000000"...)
	for i := len(x.buf) - 1; i >= n && id > 0; i-- {
		x.buf[i] = byte('0' + id%10)
		id /= 10
	}
}

// amount writes the absolute value of minor (signed: with a minus when it
// is negative) with its exponent's decimals, as both formats want
// ("1234.56"), without allocating.
func (x *xmlWriter) amount(minor int64, exponent int, signed bool) {
	b := x.buf
	if minor < 0 && signed {
		b = append(b, '-')
	}
	u := uint64(minor)
	if minor < 0 {
		u = uint64(-(minor + 1)) + 1
	}
	var digitsBuf [24]byte
	digits := strconv.AppendUint(digitsBuf[:0], u, 10)
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
	x.buf = b
}

// isoDate writes YYYY-MM-DD.
func (x *xmlWriter) isoDate(d freenahi.Date) {
	if d.Year < 0 || d.Year > 9999 {
		x.raw(d.String()) // beyond four digits: Date's own rendering
		return
	}
	if x.iso.n == 0 || x.iso.d != d {
		b := appendDigits(x.iso.text[:0], d.Year, 4)
		b = append(b, '-')
		b = appendDigits(b, int(d.Month), 2)
		b = append(b, '-')
		b = appendDigits(b, d.Day, 2)
		x.iso.d, x.iso.n = d, len(b)
	}
	x.buf = append(x.buf, x.iso.text[:x.iso.n]...)
}

// compactDate writes YYYYMMDD (OFX).
func (x *xmlWriter) compactDate(d freenahi.Date) {
	if d.Year < 0 || d.Year > 9999 {
		x.buf = strconv.AppendInt(x.buf, int64(d.Int()), 10)
		return
	}
	if x.compact.n == 0 || x.compact.d != d {
		b := appendDigits(x.compact.text[:0], d.Year, 4)
		b = appendDigits(b, int(d.Month), 2)
		b = appendDigits(b, d.Day, 2)
		x.compact.d, x.compact.n = d, len(b)
	}
	x.buf = append(x.buf, x.compact.text[:x.compact.n]...)
}

// appendDigits appends the non-negative v on width digits, zero-padded.
func appendDigits(b []byte, v, width int) []byte {
	n := len(b)
	for range width {
		b = append(b, '0')
	}
	for i := len(b) - 1; i >= n && v > 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// writeXMLStatement is the frame the camt.053 and OFX writers share: head
// writes what comes before the transactions, entry one transaction,
// streamed oldest first, tail what follows them; it sums the statement up.
func writeXMLStatement(w io.Writer, d *freenahi.StatementData, head func(*xmlWriter), entry func(*xmlWriter, *freenahi.Transaction),
	tail func(*xmlWriter)) (*freenahi.StatementSummary, error) {
	x := newXMLWriter(w)
	opening := d.ClosingMinor - d.PeriodMinor
	sum := &freenahi.StatementSummary{Statements: 1, OpeningMinor: opening, ClosingMinor: opening, Currency: d.Account.Currency}
	head(x)
	for t, err := range d.Transactions {
		if err != nil {
			return nil, err
		}
		entry(x, t)
		x.spill()
		if x.err != nil {
			return nil, x.err
		}
		sum.ClosingMinor += t.ValueMinor
		sum.Movements++
	}
	if sum.ClosingMinor != d.ClosingMinor {
		// The read snapshot guarantees this; a difference means a bug, and
		// a statement whose balances lie must not pass for a good one.
		return nil, fmt.Errorf("statement closes at %d, the account rule says %d", sum.ClosingMinor, d.ClosingMinor)
	}
	tail(x)
	return sum, x.flush()
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
