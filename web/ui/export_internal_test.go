package ui

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/locale"
)

func TestRIBReason(t *testing.T) {
	for _, tc := range []struct{ iban, key, country string }{
		{"", "statement.no_iban", ""},
		{"  ", "statement.no_iban", ""},
		{"FR76 3000 6000 0112 3456 7890 189", "", ""},
		{"fr7630006000011234567890189", "", ""},
		{"MC5811222000010123456789030", "", ""},
		{"DE89 3704 0044 0532 0130 00", "statement.foreign_iban", "DE"},
		{"X", "statement.foreign_iban", "X"},
	} {
		if key, country := ribReason(tc.iban); key != tc.key || country != tc.country {
			t.Errorf("ribReason(%q)=%q, %q, want %q, %q", tc.iban, key, country, tc.key, tc.country)
		}
	}
}

// TestMessages_Export checks the keys the export pages build at run time.
func TestMessages_Export(t *testing.T) {
	keys := []string{"statement.no_iban", "statement.foreign_iban"}
	for _, st := range []freenahi.BatchStatus{freenahi.BatchPending, freenahi.BatchReview, freenahi.BatchSent,
		freenahi.BatchFailed, freenahi.BatchReleased} {
		keys = append(keys, "batch.status."+string(st), "batch.explain."+string(st))
	}
	for _, r := range resolutions {
		keys = append(keys, "resolve."+string(r), "resolve.explain."+string(r))
	}
	for _, k := range keys {
		if !locale.Has(k) {
			t.Errorf("no message for key %q", k)
		}
	}
}
