package ui

import "testing"

// TestLocalPath: only clean same-site paths are followed after sign-in or a
// language switch; anything a browser could read as another site is not.
func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/accounts", "/accounts"},
		{"/transactions?account_id=3&from=2025-01-01", "/transactions?account_id=3&from=2025-01-01"},
		{"/a%20b", "/a%20b"},
		{"", "/"},
		{"accounts", "/"},
		{"//evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/ /evil.example", "/"},
		{"/\x00/evil.example", "/"},
		{"https://evil.example/", "/"},
		{"/\u00a0/evil.example", "/"},
		{"/é", "/"},
	} {
		if got := localPath(tc.in, "/"); got != tc.want {
			t.Errorf("localPath(%q)=%q, want %q", tc.in, got, tc.want)
		}
	}
}
