package ui

import (
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
)

// Pages say Powens' codes in words, never the codes themselves: account
// types, connector capabilities and sources, connection states. A code
// Powens adds later shows in a generic phrase, or as a technical detail.

// accountTypeName says an account type; a type Powens adds later is
// "another kind of account" with its code.
func accountTypeName(l *locale.Locale, code string) string {
	switch {
	case code == "":
		return l.T("type.unknown")
	case locale.Has("type." + code):
		return l.T("type." + code)
	}
	return l.T("type.other", code)
}

// capabilityNames says what a connector gives, leaving out capabilities
// Powens adds later: they mean nothing to a person choosing a bank.
func capabilityNames(l *locale.Locale, codes []string) string {
	var names []string
	for _, c := range codes {
		if locale.Has("capability." + c) {
			names = append(names, l.T("capability."+c))
		}
	}
	return strings.Join(names, ", ")
}

// sourceName says how a connector source reaches the bank.
func sourceName(l *locale.Locale, code string) string {
	if locale.Has("source." + code) {
		return l.T("source." + code)
	}
	return l.T("source.other")
}

// stateName says a connection state, or "" for one without words (a state
// Powens adds later), which the page then shows as its code.
func stateName(l *locale.Locale, code string) string {
	if locale.Has("state_name." + code) {
		return l.T("state_name." + code)
	}
	return ""
}

// keptProblem is a kept error (an Inqom link's or file's last problem) as
// a page shows it: a sentence in the page's language and, for a failure
// that is not a domain error (a network failure), its technical detail,
// shown as such.
type keptProblem struct {
	Text, Detail string
}

func keptProblemOf(l *locale.Locale, e *freenahi.Error) keptProblem {
	if e.Code == freenahi.EINTERNAL {
		return keptProblem{Text: l.T("problem.detail"), Detail: e.Message}
	}
	return keptProblem{Text: l.Err(e)}
}
