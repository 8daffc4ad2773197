package ui

import (
	"strings"
	"time"

	"github.com/freenahi/freenahi/web/locale"
)

// groupIBAN shows an IBAN as people read and type it: groups of four
// characters, separated by spaces (which also let it wrap on a phone).
// Anything that is not an IBAN's letters and digits is shown as it is.
func groupIBAN(iban string) string {
	compact := strings.ToUpper(strings.Join(strings.Fields(iban), ""))
	if len(compact) < 5 || len(compact) > 34 {
		return iban
	}
	for _, r := range compact {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return iban
		}
	}
	var b strings.Builder
	for i := 0; i < len(compact); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(compact[i:min(i+4, len(compact))])
	}
	return b.String()
}

// withZone is an instant with its zone's abbreviation ("15 Jan 2025 08:30
// CET"): logs are in UTC, the pages in the configured zone, and a person
// comparing them must see which.
func withZone(l *locale.Locale, t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return l.Time(t) + " " + t.In(l.Zone()).Format("MST")
}
