package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi/web/locale"
)

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

func TestWithZone(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	winter, summer := time.Date(2025, 1, 15, 7, 30, 0, 0, time.UTC), time.Date(2025, 7, 2, 6, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		lang string
		at   time.Time
		want string
	}{
		{"en", winter, "15 Jan 2025 08:30 CET"},
		{"fr", summer, "2 juil. 2025 08:30 CEST"},
	} {
		if got := withZone(locale.New(tt.lang, paris), &tt.at); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.want)
		}
	}
}

// FuzzGroupIBAN: grouping only ever adds spaces between groups of four,
// or leaves the text as it is.
func FuzzGroupIBAN(f *testing.F) {
	for _, s := range []string{"FR7630006000011234567890189", "de89 3704", "", "12-345", "ÉÉÉÉÉ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := groupIBAN(in)
		if out == in {
			return
		}
		groups := strings.Split(out, " ")
		for i, g := range groups {
			if len(g) == 0 || len(g) > 4 || (len(g) < 4 && i != len(groups)-1) {
				t.Fatalf("groupIBAN(%q) = %q: group %q", in, out, g)
			}
		}
		if strings.Join(groups, "") != strings.ToUpper(strings.Join(strings.Fields(in), "")) {
			t.Fatalf("groupIBAN(%q) = %q changed the characters", in, out)
		}
	})
}
