package inqom

import (
	"encoding/json"
	"testing"
	"time"
)

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
