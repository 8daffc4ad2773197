package freenahi

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// matchText returns s lower-cased, accents stripped, every run of other
// characters than letters and digits turned into one space, with a space at
// each end: " cb carrefour 12 05 ". Patterns such as " sncf " then match
// whole words only, so "edf" never matches inside another word.
func matchText(parts ...string) string {
	var buf [128]byte // most wordings fit: one allocation, the string's
	return string(appendMatchText(buf[:0], parts...))
}

// appendMatchText appends the matchText of parts to b.
func appendMatchText(b []byte, parts ...string) []byte {
	b = append(b, ' ')
	space := true
	for _, s := range parts {
		for _, r := range s {
			if r < utf8.RuneSelf {
				// ASCII, most of any bank text, without the Unicode tables.
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
				if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
					b = append(b, byte(r))
					space = false
				} else if !space {
					b = append(b, ' ')
					space = true
				}
				continue
			}
			r = baseLetter(unicode.ToLower(r))
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b = utf8.AppendRune(b, r)
				space = false
			} else if !space {
				b = append(b, ' ')
				space = true
			}
		}
		if !space {
			b = append(b, ' ')
			space = true
		}
	}
	if !space {
		b = append(b, ' ')
	}
	return b
}

// baseLetter strips the accent of the Latin letters French wordings use.
func baseLetter(r rune) rune {
	if r < 0xC0 {
		return r
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return 'a'
	case 'ç':
		return 'c'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ñ':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ÿ', 'ý':
		return 'y'
	case 'œ':
		return 'o' // "cœur" → "cour" is close enough for matching
	}
	return r
}

// PayeeKey is the form under which payees are compared: "CARREFOUR" and
// "Carrefour" are one payee.
func PayeeKey(payee string) string { return strings.TrimSpace(matchText(payee)) }

// operationWords are the prefixes banks put before the payee's name.
var operationWords = map[string]bool{
	"cb": true, "carte": true, "paiement": true, "par": true, "prlv": true, "prelevement": true, "prel": true,
	"sepa": true, "vir": true, "virement": true, "recu": true, "emis": true, "de": true, "du": true, "inst": true,
	"facture": true, "fact": true, "achat": true, "retrait": true, "dab": true, "europeen": true, "instantane": true,
	"echeance": true, "avis": true, "ref": true, "mandat": true, "ech": true, "cheque": true, "chq": true, "pmt": true,
}

// genericPayees are simplified wordings that name an operation, not a payee.
var genericPayees = map[string]bool{
	"retrait": true, "cheque": true, "virement": true, "prelevement": true, "paiement carte": true,
	"frais bancaires": true, "versement initial": true, "releve carte": true, "debit mensuel carte": true,
	"interets": true, "echeance pret": true,
}

// NormalizePayee names who a transaction was with, from Powens' simplified
// wording when it names someone, else from the bank's text stripped of
// operation words, dates, card numbers and references:
// "CB CARREFOUR 12/05 4521" → "Carrefour". It returns "" when nothing is left.
func NormalizePayee(original, simplified string) string {
	if payee, ok := payeeOfSimplified(simplified); ok {
		return payee
	}
	return payeeOfOriginal(original)
}

// payeeOfSimplified returns the payee Powens' simplified wording names, and
// false when it names none (empty, or an operation such as "Retrait").
func payeeOfSimplified(simplified string) (string, bool) {
	s := strings.Join(strings.Fields(simplified), " ")
	if s == "" || genericPayees[PayeeKey(s)] {
		return "", false
	}
	if s == strings.ToUpper(s) {
		return titleCase(strings.Fields(s)), true // "AMAZON" reads as "Amazon"
	}
	return s, true
}

// payeeOfOriginal returns the payee named in the bank's text, stripped of
// operation words, dates, card numbers and references.
func payeeOfOriginal(original string) string {
	var words []string
	leading := true
	for _, w := range strings.Fields(original) {
		switch {
		case !hasLetterOrDigit(w):
			continue
		case leading && operationWords[PayeeKey(w)]:
			continue
		case strings.ContainsAny(w, "0123456789"):
			// Dates, card numbers and references; a payee's name past them is noise.
			if len(words) > 0 {
				return titleCase(words)
			}
			continue
		}
		leading = false
		words = append(words, w)
	}
	return titleCase(words)
}

// titleCase writes upper-case bank text as a name: "LE PETIT ZINC" → "Le Petit Zinc".
func titleCase(words []string) string {
	for i, w := range words {
		rs := []rune(strings.ToLower(w))
		if len(rs) > 0 {
			rs[0] = unicode.ToUpper(rs[0])
		}
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
