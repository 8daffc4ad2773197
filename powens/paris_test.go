package powens

import (
	"encoding/json"
	"testing"
	"time"
)

// TestTime_ParisDST pins how naive Powens datetimes map to instants around
// the two clock changes of 2025 (30 March 02:00→03:00, 26 October 03:00→02:00).
func TestTime_ParisDST(t *testing.T) {
	utc := func(mo time.Month, d, h, mi int) time.Time { return time.Date(2025, mo, d, h, mi, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in   string
		want []time.Time // more than one when the wall time is ambiguous
	}{
		{"2025-03-30 01:59:00", []time.Time{utc(3, 30, 0, 59)}},
		{"2025-03-30 03:00:00", []time.Time{utc(3, 30, 1, 0)}},
		{"2025-10-26 01:59:00", []time.Time{utc(10, 25, 23, 59)}},
		{"2025-10-26 02:30:00", []time.Time{utc(10, 26, 0, 30), utc(10, 26, 1, 30)}},
		{"2025-10-26 03:00:00", []time.Time{utc(10, 26, 2, 0)}},
		{"2025-10-26T03:00:00+01:00", []time.Time{utc(10, 26, 2, 0)}},
	} {
		var got Time
		if err := json.Unmarshal([]byte(`"`+tc.in+`"`), &got); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		ok := false
		for _, w := range tc.want {
			ok = ok || got.Equal(w)
		}
		if !ok {
			t.Errorf("%s → %v, want one of %v", tc.in, got.UTC(), tc.want)
		}
	}
}

// TestTransactionQuery_LastUpdateParis checks that last_update goes out as
// Paris wall-clock time on both sides of a clock change.
func TestTransactionQuery_LastUpdateParis(t *testing.T) {
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2025, 3, 30, 0, 59, 0, 0, time.UTC), "2025-03-30 01:59:00"},
		{time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC), "2025-03-30 03:00:00"},
		{time.Date(2025, 10, 26, 0, 30, 0, 0, time.UTC), "2025-10-26 02:30:00"},
		{time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC), "2025-10-26 02:30:00"},
	} {
		q := TransactionQuery{LastUpdate: tc.in}
		v, _, err := q.values()
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Get("last_update"); got != tc.want {
			t.Errorf("last_update(%v)=%q, want %q", tc.in, got, tc.want)
		}
	}
}
