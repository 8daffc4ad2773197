package ui

import "testing"

// The grouped forms are the ones printed on French RIBs and in the ECBS
// standard's examples.
func TestGroupIBAN(t *testing.T) {
	for in, want := range map[string]string{
		"FR7630006000011234567890189":       "FR76 3000 6000 0112 3456 7890 189",
		"fr76 3000 6000 0112 3456 7890 189": "FR76 3000 6000 0112 3456 7890 189",
		"DE89370400440532013000":            "DE89 3704 0044 0532 0130 00",
		"GB29NWBK60161331926819":            "GB29 NWBK 6016 1331 9268 19",
		"":                                  "",
		"12-345":                            "12-345",
	} {
		if got := groupIBAN(in); got != want {
			t.Errorf("groupIBAN(%q) = %q, want %q", in, got, want)
		}
	}
}
