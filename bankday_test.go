package freenahi

import (
	"testing"
	"time"
)

// TestFrenchHoliday checks every day of 2024–2027 against the holidays
// copied by hand from the French government's calendar (service-public.fr,
// "Jours fériés"): eleven a year, Easter-dependent ones included.
func TestFrenchHoliday(t *testing.T) {
	want := map[string]bool{}
	for _, d := range []string{
		"2024-01-01", "2024-04-01", "2024-05-01", "2024-05-08", "2024-05-09", "2024-05-20", "2024-07-14",
		"2024-08-15", "2024-11-01", "2024-11-11", "2024-12-25",
		"2025-01-01", "2025-04-21", "2025-05-01", "2025-05-08", "2025-05-29", "2025-06-09", "2025-07-14",
		"2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25",
		"2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25", "2026-07-14",
		"2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
		"2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-08", "2027-05-17", "2027-07-14",
		"2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25",
	} {
		want[d] = true
	}
	n := 0
	for d := (Date{2024, 1, 1}); d.Year < 2028; d = d.AddDays(1) {
		if got := FrenchHoliday(d); got != want[d.String()] {
			t.Errorf("FrenchHoliday(%s)=%v, want %v", d, got, want[d.String()])
		}
		if FrenchHoliday(d) {
			n++
		}
	}
	if n != len(want) {
		t.Fatalf("%d holidays, want %d", n, len(want))
	}
}

func TestEaster(t *testing.T) {
	// Published dates of Easter Sunday, including the extremes of the cycle.
	for _, tc := range []struct{ year, month, day int }{
		{1818, 3, 22}, {1943, 4, 25}, {2000, 4, 23}, {2019, 4, 21}, {2024, 3, 31}, {2025, 4, 20},
		{2026, 4, 5}, {2027, 3, 28}, {2038, 4, 25},
	} {
		if got, want := Easter(tc.year), (Date{tc.year, time.Month(tc.month), tc.day}); got != want {
			t.Errorf("Easter(%d)=%s, want %s", tc.year, got, want)
		}
	}
}

func TestBankDays(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		want Date
	}{
		// Sunday 6 December 2026, afternoon in Paris: Friday 4 has ended.
		{"Sunday", time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC), Date{2026, 12, 4}},
		// Monday 7, 00:30 in Paris (Sunday 23:30 UTC): still Friday.
		{"MondayJustAfterMidnightInParis", time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC), Date{2026, 12, 4}},
		// Tuesday 8: Monday has ended.
		{"Tuesday", time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC), Date{2026, 12, 7}},
		// Tuesday 7 April 2026: Monday 6 is Easter Monday, so Friday 3 April.
		{"AfterEasterMonday", time.Date(2026, 4, 7, 9, 0, 0, 0, time.UTC), Date{2026, 4, 3}},
		// Friday 15 May 2026: Thursday 14 is Ascension, so Wednesday 13.
		{"AfterAscension", time.Date(2026, 5, 15, 9, 0, 0, 0, time.UTC), Date{2026, 5, 13}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := LastEndedBankDay(tc.now); got != tc.want {
				t.Fatalf("LastEndedBankDay(%s)=%s, want %s", tc.now, got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ from, want Date }{
		{Date{2026, 12, 4}, Date{2026, 12, 7}},   // Friday → Monday
		{Date{2026, 12, 24}, Date{2026, 12, 28}}, // Christmas Friday, then the weekend
		{Date{2026, 12, 31}, Date{2027, 1, 4}},   // New Year's Day Friday, then the weekend
		{Date{2027, 5, 5}, Date{2027, 5, 7}},     // Ascension Thursday 6 May
	} {
		if got := NextBankDay(tc.from); got != tc.want {
			t.Errorf("NextBankDay(%s)=%s, want %s", tc.from, got, tc.want)
		}
	}
}
