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

// TestParseDateFast_SameAsTimeParse: the dates the fast path takes are those
// time.Parse takes, from year 1, with the same day; year 0 is left to the
// long way, which takes it as time.Parse does.
func TestParseDateFast_SameAsTimeParse(t *testing.T) {
	for _, y := range []int{0, 1, 4, 100, 1900, 2000, 2023, 2024, 2100, 2400, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				checkParseDateFast(t, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, s := range []string{"2025-6-30 ", "2025/06/30", "+025-06-30", "2025-06-3a", " 2025-06-3", "２０２５-06-30"[:10]} {
		checkParseDateFast(t, s)
	}
}

// FuzzParseDateFast holds the fast path to time.Parse on any bytes.
func FuzzParseDateFast(f *testing.F) {
	for _, s := range []string{"2025-06-30", "2024-02-29", "2023-02-29", "0000-00-00", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(checkParseDateFast)
}

func checkParseDateFast(t *testing.T, s string) {
	got, ok := parseDateFast([]byte(s))
	want, err := time.Parse(time.DateOnly, s)
	switch {
	case ok && (err != nil || got.Year != want.Year() || got.Month != want.Month() || got.Day != want.Day()):
		t.Fatalf("%q: fast %v, time.Parse %v %v", s, got, want, err)
	case !ok && err == nil && want.Year() >= 1 && len(s) == 10:
		t.Fatalf("%q: fast refuses it, time.Parse reads %v", s, want)
	}
	// Through UnmarshalJSON, fast path or not, the date is time.Parse's.
	var d Date
	if err := d.UnmarshalJSON([]byte(`"` + s + `"`)); err == nil && ok && d.Date != got {
		t.Fatalf("%q: UnmarshalJSON %v, fast %v", s, d.Date, got)
	}
}
