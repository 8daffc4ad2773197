package freenahi_test

import (
	"testing"
	"time"

	"github.com/freenahi/freenahi"
)

func TestSigninBucket_DelayAfter(t *testing.T) {
	b := freenahi.SigninBucket{Free: 5, MaxDelay: 15 * time.Minute}
	// 10 s doubling from the 5th failure, capped at 15 min (worked out by hand).
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{{0, 0}, {4, 0}, {5, 10 * time.Second}, {6, 20 * time.Second}, {7, 40 * time.Second}, {10, 320 * time.Second},
		{11, 640 * time.Second}, {12, 15 * time.Minute}, {1000, 15 * time.Minute}} {
		if got := b.DelayAfter(tc.failures); got != tc.want {
			t.Errorf("DelayAfter(%d)=%v, want %v", tc.failures, got, tc.want)
		}
	}
	// No free attempt still lets the first one through.
	none := freenahi.SigninBucket{Free: 0, MaxDelay: time.Minute}
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{{1, 10 * time.Second}, {2, 20 * time.Second}, {3, 40 * time.Second}, {4, time.Minute}} {
		if got := none.DelayAfter(tc.failures); got != tc.want {
			t.Errorf("Free 0: DelayAfter(%d)=%v, want %v", tc.failures, got, tc.want)
		}
	}
}
