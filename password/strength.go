package password

import (
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"

	"github.com/freenahi/freenahi"
)

// MinScore is the lowest zxcvbn score (0–4) a new password may have: 2
// means about a million guesses or more, out of reach of an online attack
// that sign-in throttling slows to a few hundred tries a day, and refuses
// the common passwords, repetitions, sequences and keyboard patterns.
const MinScore = 2

// maxAnalysedRunes bounds the work of the estimate (its matching grows with
// the square of the length): a longer password is judged on its start.
const maxAnalysedRunes = 64

// checkStrength refuses a password that is easy to guess, saying why in a
// sentence a person can act on. userInputs are words of the account (its
// e-mail address) that must not make up the password.
func checkStrength(pw string, userInputs []string) error {
	if utf8.RuneCountInString(pw) > maxAnalysedRunes {
		pw = string([]rune(pw)[:maxAnalysedRunes])
	}
	r := zxcvbn.PasswordStrength(pw, userInputs)
	if r.Score >= MinScore {
		return nil
	}
	return weakness(dominant(r.Sequence))
}

// dominant is the match covering most of the password: what makes it weak.
func dominant(seq []*match.Match) *match.Match {
	var best *match.Match
	for _, m := range seq {
		if m.Pattern != "bruteforce" && (best == nil || m.J-m.I > best.J-best.I) {
			best = m
		}
	}
	return best
}

// weakness says why a password is weak, from the kind of its dominant match.
func weakness(m *match.Match) *freenahi.Error {
	pattern, dictionary := "", ""
	if m != nil {
		pattern, dictionary = m.Pattern, m.DictionaryName
	}
	var e *freenahi.Error
	switch {
	case pattern == "dictionary" && dictionary == "passwords":
		e = freenahi.Errorf(freenahi.EINVALID, "This password is one of the most common ones; choose another, for instance several unrelated words.")
	case pattern == "dictionary" && dictionary == "user_inputs":
		e = freenahi.Errorf(freenahi.EINVALID, "This password is made of your e-mail address; choose another, for instance several unrelated words.")
	case pattern == "dictionary":
		e = freenahi.Errorf(freenahi.EINVALID, "This password is a common word or name; choose a longer one, for instance several unrelated words.")
	case pattern == "repeat":
		e = freenahi.Errorf(freenahi.EINVALID, "This password repeats characters or a pattern (such as aaaa or abcabc); choose another, for instance several unrelated words.")
	case pattern == "sequence":
		e = freenahi.Errorf(freenahi.EINVALID, "This password is a sequence (such as abcdef or 123456); choose another, for instance several unrelated words.")
	case pattern == "spatial":
		e = freenahi.Errorf(freenahi.EINVALID, "This password follows a keyboard pattern (such as azerty or qwerty); choose another, for instance several unrelated words.")
	case pattern == "date" || pattern == "regex":
		e = freenahi.Errorf(freenahi.EINVALID, "This password is mostly a date or a year; choose another, for instance several unrelated words.")
	default:
		e = freenahi.Errorf(freenahi.EINVALID, "This password is too easy to guess; choose a longer one, for instance several unrelated words.")
	}
	e.Field = "password"
	return e
}
