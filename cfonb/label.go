package cfonb

import "unicode/utf8"

// Allowed reports whether c may appear in a text zone of a CFONB 120 record:
// digits, upper-case letters, space and * - . / ( ) (reference §1.8). The
// writer emits nothing else and the reader accepts nothing else.
func Allowed(c byte) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	switch c {
	case ' ', '*', '-', '.', '/', '(', ')':
		return true
	}
	return false
}

// Fold returns s in the CFONB character set: upper case, accents stripped
// (é→E, ç→C, œ→OE, ß→SS), other characters mapped to a neighbour in the set or
// to a space, runs of spaces collapsed and ends trimmed. Collapsing makes
// labels read the same however the bank or Powens spaced them, and lets the
// writer split long labels on word boundaries that the reader can undo.
func Fold(s string) string {
	return string(appendFold(nil, s, true))
}

// appendFold appends the folding of s to dst; with collapse false it keeps
// every space, because two-part 05 zones (RUM, REF) are aligned with spaces.
func appendFold(dst []byte, s string, collapse bool) []byte {
	start := len(dst)
	put := func(c byte) {
		if collapse && c == ' ' && (len(dst) == start || dst[len(dst)-1] == ' ') {
			return
		}
		dst = append(dst, c)
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			put(foldASCII(c))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		f := foldRune(r)
		if f == "O" && r >= 0x0386 && r <= 0x03CE {
			// Greek ΟΥ is one sound, written OU in every romanisation.
			if u, n := utf8.DecodeRuneInString(s[i:]); u == 0x03A5 || u == 0x03C5 || u == 0x038E || u == 0x03CD {
				f, i = "OU", i+n
			}
		}
		for j := 0; j < len(f); j++ {
			put(f[j])
		}
	}
	for len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// foldASCII maps one ASCII byte into the allowed set, keeping the look of
// punctuation where the set has something close.
func foldASCII(c byte) byte {
	switch {
	case c >= 'a' && c <= 'z':
		return c - 'a' + 'A'
	case Allowed(c):
		return c
	}
	switch c {
	case '_':
		return '-'
	case ',':
		return '.'
	case '\\':
		return '/'
	case '[', '{', '<':
		return '('
	case ']', '}', '>':
		return ')'
	}
	return ' '
}

// foldRune maps a non-ASCII rune to allowed ASCII text. Latin-1 and Latin
// Extended-A cover French and the names of European counterparties;
// Cyrillic and Greek are romanised (translit.go); anything else becomes a
// space rather than a guess.
func foldRune(r rune) string {
	switch {
	case r >= 0x0300 && r <= 0x036F:
		return "" // combining accent of a decomposed letter: the letter already went out
	case r >= 0xFF01 && r <= 0xFF5E:
		return string(foldASCII(byte(r - 0xFEE0))) // full-width forms
	case r >= 0x00C0 && r <= 0x00FF:
		return foldLatin1(r)
	case r >= 0x0100 && r <= 0x017F:
		return foldLatinExtA(r)
	case r >= 0x0400 && r <= 0x045F:
		return cyrillic[r-0x0400]
	case r >= 0x0386 && r <= 0x03CE:
		return greek[r-0x0386]
	case r == 0x0490 || r == 0x0491: // Ґ ґ (Ukrainian)
		return "G"
	}
	switch r {
	case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212:
		return "-"
	case 0x20AC:
		return "EUR"
	case 0x1E9E:
		return "SS"
	}
	return " "
}

// foldLatin1 handles U+00C0–U+00FF; the lower-case half mirrors the upper.
func foldLatin1(r rune) string {
	switch r {
	case 0xD7, 0xF7: // × ÷
		return " "
	case 0xDF: // ß
		return "SS"
	case 0xFF: // ÿ
		return "Y"
	}
	if r >= 0xE0 {
		r -= 0x20
	}
	switch {
	case r <= 0xC5:
		return "A"
	case r == 0xC6:
		return "AE"
	case r == 0xC7:
		return "C"
	case r <= 0xCB:
		return "E"
	case r <= 0xCF:
		return "I"
	case r == 0xD0:
		return "D"
	case r == 0xD1:
		return "N"
	case r <= 0xD8:
		return "O"
	case r <= 0xDC:
		return "U"
	case r == 0xDD:
		return "Y"
	}
	return "TH" // Þ
}

// foldLatinExtA handles U+0100–U+017F, which is ordered by base letter.
func foldLatinExtA(r rune) string {
	switch {
	case r <= 0x0105:
		return "A"
	case r <= 0x010D:
		return "C"
	case r <= 0x0111:
		return "D"
	case r <= 0x011B:
		return "E"
	case r <= 0x0123:
		return "G"
	case r <= 0x0127:
		return "H"
	case r <= 0x0131:
		return "I"
	case r <= 0x0133:
		return "IJ"
	case r <= 0x0135:
		return "J"
	case r <= 0x0138:
		return "K"
	case r <= 0x0142:
		return "L"
	case r <= 0x014B:
		return "N"
	case r <= 0x0151:
		return "O"
	case r <= 0x0153:
		return "OE"
	case r <= 0x0159:
		return "R"
	case r <= 0x0161:
		return "S"
	case r <= 0x0167:
		return "T"
	case r <= 0x0173:
		return "U"
	case r <= 0x0175:
		return "W"
	case r <= 0x0178:
		return "Y"
	case r <= 0x017E:
		return "Z"
	}
	return "S" // ſ
}

// splitLabel cuts a folded, collapsed text into chunks: the first fits a
// zone of width first (31 for the 04 label, 70 for NPY/NBE), the others 05
// zones of 70. It cuts at the last space that fits and consumes that space,
// so that no chunk starts or ends with one: importers that show only the 04
// label show whole words, and importers that join the 05 zones with a space
// (as most do) read the text back as it was. Only a word longer than its
// zone is cut inside, since nothing else can carry it; such a word reads
// back with a space at the cut. Nothing is dropped.
func splitLabel(s []byte, first int, chunks [][]byte) [][]byte {
	width := first
	for len(s) > 0 {
		if len(s) <= width {
			return append(chunks, s)
		}
		cut, next := width, width
		for i := width; i > 0; i-- {
			if s[i] == ' ' {
				cut, next = i, i+1
				break
			}
		}
		chunks = append(chunks, s[:cut])
		s = s[next:]
		width = infoWidth
	}
	return chunks
}

// joinLabel is the inverse of splitLabel over raw (space-padded) zones: it
// appends zone to dst, trimmed, after one space.
func joinLabel(dst []byte, zone []byte) []byte {
	for len(dst) > 0 && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	zone = trimSpaces(zone)
	if len(zone) == 0 {
		return dst
	}
	if len(dst) > 0 {
		dst = append(dst, ' ')
	}
	return append(dst, zone...)
}

// trimSpaces removes leading and trailing spaces without allocating.
func trimSpaces(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// hasWord reports whether folded text has a letter or a digit: a label of
// spaces and punctuation tells a reader nothing, so it counts as blank.
func hasWord(s []byte) bool {
	for _, c := range s {
		if isDigit(c) || isUpper(c) {
			return true
		}
	}
	return false
}
