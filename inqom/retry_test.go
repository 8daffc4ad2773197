package inqom

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, false},
		{"-3", 0, false},
		{" 7 ", 7 * time.Second, true},
		{"soon", 0, false},
		{"99999999999999", 24 * time.Hour, true},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, false},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q)=%v,%v, want %v,%v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestClient_Backoff(t *testing.T) {
	c := &Client{cfg: Config{BackoffBase: 500 * time.Millisecond, BackoffCap: 4 * time.Second}}
	for n, full := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second, 4 * time.Second} {
		for range 50 {
			if d := c.backoff(n + 1); d < full/2 || d > full {
				t.Fatalf("backoff(%d)=%v, want within [%v, %v]", n+1, d, full/2, full)
			}
		}
	}
}

func TestToken_Lifetime(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want time.Duration
	}{
		{`3600`, time.Hour},
		{`"3600"`, time.Hour},
		{`31104000`, 360 * 24 * time.Hour},
		{`null`, 0},
		{``, 0},
		{`-5`, 0},
		{`"soon"`, 0},
	} {
		if got := expiresIn(json.RawMessage(tc.raw)); got != tc.want {
			t.Errorf("expiresIn(%s)=%v, want %v", tc.raw, got, tc.want)
		}
	}
	for _, tc := range []struct{ lifetime, want time.Duration }{
		{time.Hour, time.Minute},
		{360 * 24 * time.Hour, time.Minute},
		{5 * time.Minute, 30 * time.Second},
	} {
		if got := refreshMargin(tc.lifetime); got != tc.want {
			t.Errorf("refreshMargin(%v)=%v, want %v", tc.lifetime, got, tc.want)
		}
	}
}
