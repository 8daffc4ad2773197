package cfonb

import (
	"bytes"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Vir SEPA reçu", "VIR SEPA RECU"},
		{"Électricité de France", "ELECTRICITE DE FRANCE"},
		{"œuvre Œil cœur", "OEUVRE OEIL COEUR"},
		{"Straße ẞ", "STRASSE SS"},
		{"Ærø Þór Ĳssel", "AERO THOR IJSSEL"},
		{"Łódź Kraków Škoda Dvořák", "LODZ KRAKOW SKODA DVORAK"},
		{"e\u0301te\u0301", "ETE"}, // decomposed accents
		{"  a \t b\r\nc  ", "A B C"},
		{"a\u00a0b\u202fc", "A B C"},
		{"M&S, 12,50 € «ok»", "M S. 12.50 EUR OK"},
		{"frais_tenue [x] {y} <z> a\\b", "FRAIS-TENUE (X) (Y) (Z) A/B"},
		{"l’été — 1/2 * (3) - 4.", "L ETE - 1/2 * (3) - 4."},
		{"ＡＢＣ１２３ｘ", "ABC123X"},
		{"日本 ok \xff\xfe", "OK"},
		{"%%%", ""},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFold_KeepSpaces(t *testing.T) {
	in := "mandate-123" + strings.Repeat(" ", 24) + "rcur  "
	if got, want := string(appendFold(nil, in, false)), "MANDATE-123"+strings.Repeat(" ", 24)+"RCUR"; got != want {
		t.Fatalf("appendFold(keep)=%q, want %q", got, want)
	}
}

func TestSplitLabel(t *testing.T) {
	tests := []struct {
		label string
		want  []string
	}{
		{"SHORT", []string{"SHORT"}},
		{strings.Repeat("A", 31), []string{strings.Repeat("A", 31)}},
		// A word that fills the zone exactly: the space is consumed, the next zone starts with a letter.
		{strings.Repeat("A", 31) + " B", []string{strings.Repeat("A", 31), "B"}},
		{"VIR SEPA RECU ACME SA COMPANY LTD", []string{"VIR SEPA RECU ACME SA COMPANY", "LTD"}},
		// A word that does not fit what is left of the 04 moves whole to the 05.
		{"CB 0123456789 0123456789 0123456789", []string{"CB 0123456789 0123456789", "0123456789"}},
		{"CB " + strings.Repeat("9", 40), []string{"CB", strings.Repeat("9", 40)}},
		// Only a word longer than its zone is cut inside.
		{strings.Repeat("X", 40), []string{strings.Repeat("X", 31), strings.Repeat("X", 9)}},
		{"A " + strings.Repeat("Y", 75), []string{"A", strings.Repeat("Y", 70), "YYYYY"}},
	}
	for _, tc := range tests {
		var got []string
		for _, c := range splitLabel([]byte(tc.label), labelWidth, nil) {
			got = append(got, string(c))
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("splitLabel(%q)=%q, want %q", tc.label, got, tc.want)
		}
	}
}

// joinZones pads chunks into their zones and joins them the way readers
// that show 05 LIB text do: trimmed zones, one space between.
func joinZones(chunks [][]byte) string {
	var parts []string
	for i, c := range chunks {
		width := infoWidth
		if i == 0 {
			width = labelWidth
		}
		zone := make([]byte, width)
		putText(zone, c)
		if zone[0] == ' ' && !bytes.Equal(zone, bytes.Repeat([]byte{' '}, width)) {
			return "LEADING SPACE IN ZONE"
		}
		parts = append(parts, strings.TrimSpace(string(zone)))
	}
	return strings.Join(parts, " ")
}

// longestWord is the length of the longest space-separated word of s.
func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, len(w))
	}
	return n
}

// FuzzFold checks that folding always lands in the CFONB set, that a folded
// text fills a fixed-width zone exactly, and that joining the zones the way
// readers do gives the text back: exactly when no word is longer than the
// 04 zone, with only spaces added at the cuts otherwise. Nothing is lost.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Vir SEPA reçu", strings.Repeat("Œuvre ", 40), strings.Repeat("x", 31) + " y", "\xff\x00\t", "Москва Αθήνα"} {
		f.Add(s, uint8(31))
	}
	f.Fuzz(func(t *testing.T, s string, width uint8) {
		out := Fold(s)
		for i := 0; i < len(out); i++ {
			if !Allowed(out[i]) {
				t.Fatalf("Fold(%q)=%q has %q", s, out, out[i])
			}
		}
		if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
			t.Fatalf("Fold(%q)=%q is not trimmed and collapsed", s, out)
		}
		zone := bytes.Repeat([]byte{'#'}, int(width))
		putText(zone, out)
		for _, c := range zone {
			if !Allowed(c) {
				t.Fatalf("zone of width %d for %q holds %q", width, out, zone)
			}
		}
		got := joinZones(splitLabel([]byte(out), labelWidth, nil))
		if longestWord(out) <= labelWidth && got != out {
			t.Fatalf("join(split(%q))=%q", out, got)
		}
		if strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(out, " ", "") {
			t.Fatalf("join(split(%q))=%q lost text", out, got)
		}
	})
}

// TestFold_Romanised checks Cyrillic and Greek against romanisations
// written by hand from ICAO Doc 9303 (Russian) and ELOT 743 (Greek), as
// printed on those countries' passports.
func TestFold_Romanised(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Москва", "MOSKVA"},
		{"Щукин Юрий Яковлевич", "SHCHUKIN IURII IAKOVLEVICH"},
		{"ООО «Ромашка»", "OOO ROMASHKA"},
		{"Объект Ёлка Дьявол", "OBIEEKT ELKA DIAVOL"},
		{"Жуков Хабаровск Цой Эхо Ыых", "ZHUKOV KHABAROVSK TSOI EKHO YYKH"},
		{"Євген Ґанок Іїжак", "IEVGEN GANOK IIZHAK"},
		{"Ђорђе Љубљана Њиш Џеп", "DJORDJE LJUBLJANA NJISH DZEP"},
		{"Αθήνα", "ATHINA"},
		{"Θεσσαλονίκη", "THESSALONIKI"},
		{"Ουρανός ΨΥΧΗ ξένος", "OURANOS PSYCHI XENOS"},
		{"ΦΩΤΟ Βόλος ΕΛΛΑΣ", "FOTO VOLOS ELLAS"},
		{"🍕🍕 ✈", ""},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFold_LatinLetters checks every letter of U+00C0–U+017F against its
// base letter as spelt by its Unicode name ("LATIN SMALL LETTER C WITH
// CEDILLA" → C); _ marks the two signs × and ÷, which fold to nothing.
func TestFold_LatinLetters(t *testing.T) {
	want := strings.Fields("A A A A A A AE C E E E E I I I I D N O O O O O _ O U U U U Y TH SS A A A A A A AE C E E E E I I I I D N O O O O O _ O U U U U Y TH Y A A A A A A C C C C C C C C D D D D E E E E E E E E E E G G G G G G G G H H H H I I I I I I I I I I IJ IJ J J K K K L L L L L L L L L L N N N N N N N N N O O O O O O OE OE R R R R R R S S S S S S S S T T T T T T U U U U U U U U U U U U W W Y Y Y Z Z Z Z Z Z S")
	for i, w := range want {
		r := rune(0xC0 + i)
		if w == "_" {
			w = ""
		}
		if got := Fold(string(r)); got != w {
			t.Errorf("Fold(%q U+%04X)=%q, want %q", r, r, got, w)
		}
	}
}
