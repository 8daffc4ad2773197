package password_test

import (
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/password"
)

// TestCheck_Strength: the estimate is zxcvbn's (a third-party port of
// Dropbox's estimator); the cases and the reason each gives were chosen by
// hand from well-known weak patterns, and strong ones must pass.
func TestCheck_Strength(t *testing.T) {
	for _, tc := range []struct {
		pw, email string
		want      string // a part of the reason; "" when accepted
	}{
		{"aaaaaaaaaa", "", "repeats characters or a pattern"},
		{"abcabcabcabc", "", "repeats characters or a pattern"},
		{"password123", "", "one of the most common ones"},
		{"motdepasse", "", "one of the most common ones"},
		{"1234567890", "", "one of the most common ones"},
		{"abcdefghij", "", "is a sequence"},
		{"qwertyuiop", "", "one of the most common ones"},
		{"zxcvbnm,./", "", "keyboard pattern"},
		{"01/02/1990", "", "a date or a year"},
		{"ana.dupont@example.com", "ana.dupont@example.com", "made of your e-mail address"},
		{"correct horse battery", "", ""},
		{"Tr0ub4dor&3", "", ""},
		{"cheval batterie agrafe", "ana@example.com", ""},
		{"inqom-password-4821", "", ""},
		{strings.Repeat("a", 2000), "", "at most 1024 characters"},
		{"short", "", "at least 10 characters"},
	} {
		err := password.Check(tc.pw, tc.email)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Check(%q)=%v, want accepted", tc.pw, err)
		case tc.want != "" && (err == nil || !strings.Contains(freenahi.ErrorMessage(err), tc.want)):
			t.Errorf("Check(%q)=%v, want a refusal saying %q", tc.pw, err, tc.want)
		case err != nil && (freenahi.ErrorCode(err) != freenahi.EINVALID || freenahi.ErrorField(err) != "password"):
			t.Errorf("Check(%q)=%v, want EINVALID on the field password", tc.pw, err)
		}
	}
}

// FuzzCheck: any input gets an answer, without panicking.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"aaaaaaaaaa", "correct horse battery", "01/02/1990", "\xff\xfe invalid utf-8 bytes"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) { password.Check(pw, "ana@example.com") })
}
