package powens

import (
	"fmt"
	"testing"
	"time"
)

// TestParseDateTimeFast_SameAsTimeParse: the fast path takes exactly the
// days time.ParseInLocation takes, leap years and centuries included, and
// gives the same instant.
func TestParseDateTimeFast_SameAsTimeParse(t *testing.T) {
	for _, y := range []int{0, 4, 100, 1900, 2000, 2023, 2024, 2100, 2400, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				s := fmt.Sprintf("%04d-%02d-%02d 02:30:00", y, m, d)
				got, ok := parseDateTimeFast(s, Paris)
				want, err := time.ParseInLocation(DateTimeLayout, s, Paris)
				if ok != (err == nil) || ok && !got.Equal(want) {
					t.Fatalf("%s: fast %v %v, time.ParseInLocation %v %v", s, got, ok, want, err)
				}
			}
		}
	}
}
