package freenahi_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/freenahi/freenahi"
)

func d(s string) freenahi.Date {
	v, err := freenahi.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// pointsText renders points as "date=balance/source" for comparison with
// hand-written expectations.
func pointsText(ps []freenahi.BalancePoint) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s=%d/%s", p.Date, p.BalanceMinor, string(p.Source)[:1]))
	}
	return out
}

func TestBalanceHistory(t *testing.T) {
	cur := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		name string
		in   freenahi.HistoryInput
		want []string
	}{
		{
			// 1000.00 today; -50.00 on the 3rd, +200.00 on the 4th, -20.00 on
			// the 6th (after To): end of 5th = 1000 + 20 = 1020, end of 3rd
			// = 1020 - 200 = 820, end of 2nd = 820 + 50 = 870.
			name: "ReconstructedFromCurrent",
			in: freenahi.HistoryInput{Current: cur(100000), From: d("2026-03-01"), To: d("2026-03-05"), Reconstruct: true,
				HistoryData: freenahi.HistoryData{Movements: []freenahi.DayAmount{
					{Date: d("2026-03-03"), Minor: -5000}, {Date: d("2026-03-04"), Minor: 20000}, {Date: d("2026-03-06"), Minor: -2000}}}},
			want: []string{"2026-03-01=87000/r", "2026-03-02=87000/r", "2026-03-03=82000/r", "2026-03-04=102000/r", "2026-03-05=102000/r"},
		},
		{
			// The bank said 900.00 at the end of the 3rd although the
			// transactions give 820.00: the 3rd shows 900, days before are
			// rebuilt from it (2nd: 900 + 50 = 950), the step shows on the 4th.
			name: "SnapshotAnchors",
			in: freenahi.HistoryInput{Current: cur(100000), From: d("2026-03-02"), To: d("2026-03-05"), Reconstruct: true,
				HistoryData: freenahi.HistoryData{
					Movements: []freenahi.DayAmount{{Date: d("2026-03-03"), Minor: -5000}, {Date: d("2026-03-04"), Minor: 20000}},
					Snapshots: []freenahi.DayAmount{{Date: d("2026-03-03"), Minor: 90000}, {Date: d("2026-03-07"), Minor: 1}}}},
			// The snapshot of the 7th, after To, anchors the 4th and 5th.
			want: []string{"2026-03-02=95000/r", "2026-03-03=90000/s", "2026-03-04=1/r", "2026-03-05=1/r"},
		},
		{
			// No current balance: nothing is known after the last snapshot.
			name: "NoCurrent",
			in: freenahi.HistoryInput{From: d("2026-03-01"), To: d("2026-03-04"), Reconstruct: true,
				HistoryData: freenahi.HistoryData{
					Movements: []freenahi.DayAmount{{Date: d("2026-03-02"), Minor: 300}},
					Snapshots: []freenahi.DayAmount{{Date: d("2026-03-02"), Minor: 1000}}}},
			want: []string{"2026-03-01=700/r", "2026-03-02=1000/s"},
		},
		{
			// A PEA: the snapshot before From is carried into it; the buy on
			// the 2nd changes nothing by itself.
			name: "Carried",
			in: freenahi.HistoryInput{Current: cur(5), From: d("2026-03-01"), To: d("2026-03-04"),
				HistoryData: freenahi.HistoryData{
					Movements: []freenahi.DayAmount{{Date: d("2026-03-02"), Minor: -300}},
					Snapshots: []freenahi.DayAmount{{Date: d("2026-02-20"), Minor: 500000}, {Date: d("2026-03-03"), Minor: 510000}}}},
			want: []string{"2026-03-01=500000/c", "2026-03-02=500000/c", "2026-03-03=510000/s", "2026-03-04=510000/c"},
		},
		{
			name: "CarriedStartsAtFirstSnapshot",
			in: freenahi.HistoryInput{From: d("2026-03-01"), To: d("2026-03-03"),
				HistoryData: freenahi.HistoryData{Snapshots: []freenahi.DayAmount{{Date: d("2026-03-02"), Minor: 7}}}},
			want: []string{"2026-03-02=7/s", "2026-03-03=7/c"},
		},
		{name: "ToBeforeFrom", in: freenahi.HistoryInput{Current: cur(1), From: d("2026-03-02"), To: d("2026-03-01"), Reconstruct: true}, want: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pointsText(freenahi.BalanceHistory(tc.in))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

// TestBalanceHistory_Property checks the reconstruction against a direct
// formula over random data: the balance at the end of day d is that of the
// first anchor on or after d (a snapshot, else the current balance) minus
// every movement dated after d up to that anchor. The formula looks each
// day up on its own; BalanceHistory walks the days once.
func TestBalanceHistory_Property(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	start := d("2023-01-01")
	for iter := range 100 {
		days := 1 + r.IntN(500)
		movements := map[freenahi.Date]int64{}
		snapshots := map[freenahi.Date]int64{}
		var data freenahi.HistoryData
		for i := range days + 10 {
			day := start.AddDays(i)
			if r.IntN(3) == 0 {
				movements[day] = r.Int64N(2000000) - 1000000
				data.Movements = append(data.Movements, freenahi.DayAmount{Date: day, Minor: movements[day]})
			}
			if r.IntN(40) == 0 {
				snapshots[day] = r.Int64N(1 << 40)
				data.Snapshots = append(data.Snapshots, freenahi.DayAmount{Date: day, Minor: snapshots[day]})
			}
		}
		current := r.Int64N(1<<40) - 1<<39
		from, to := start.AddDays(r.IntN(5)), start.AddDays(days-1)
		got := freenahi.BalanceHistory(freenahi.HistoryInput{HistoryData: data, Current: &current, From: from, To: to, Reconstruct: true})
		want := []freenahi.BalancePoint{}
		for day := from; !day.After(to); day = day.AddDays(1) {
			// The anchor: the first snapshot on or after day, else the
			// current balance, which stands after every movement.
			anchor, src, last := current, freenahi.SourceReconstructed, start.AddDays(days+10)
			for a := day; a.Before(start.AddDays(days + 10)); a = a.AddDays(1) {
				if v, ok := snapshots[a]; ok {
					anchor, last = v, a.AddDays(1)
					if a == day {
						src = freenahi.SourceSnapshot
					}
					break
				}
			}
			bal := anchor
			for m := day.AddDays(1); m.Before(last); m = m.AddDays(1) {
				bal -= movements[m]
			}
			want = append(want, freenahi.BalancePoint{Date: day, BalanceMinor: bal, Source: src})
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("iteration %d: %d points, want %d; first difference at %v", iter, len(got), len(want), firstDiff(got, want))
		}
	}
}

func firstDiff(a, b []freenahi.BalancePoint) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%d: got %+v want %+v", i, a[i], b[i])
		}
	}
	return "length"
}

func TestSampleDates(t *testing.T) {
	for _, tc := range []struct {
		interval string
		from, to string
		want     string
	}{
		// 2026-03-01 is a Sunday.
		{freenahi.IntervalDay, "2026-02-27", "2026-03-02", "[2026-02-27 2026-02-28 2026-03-01 2026-03-02]"},
		{freenahi.IntervalWeek, "2026-02-27", "2026-03-10", "[2026-03-01 2026-03-08 2026-03-10]"},
		{freenahi.IntervalMonth, "2024-01-15", "2024-04-10", "[2024-01-31 2024-02-29 2024-03-31 2024-04-10]"},
		{freenahi.IntervalMonth, "2024-01-15", "2024-03-31", "[2024-01-31 2024-02-29 2024-03-31]"},
	} {
		if got := fmt.Sprint(freenahi.SampleDates(d(tc.from), d(tc.to), tc.interval)); got != tc.want {
			t.Errorf("%s %s…%s: %s, want %s", tc.interval, tc.from, tc.to, got, tc.want)
		}
	}
}

// TestSumHistories_Property: at every date, each currency's net worth is
// the sum of the balances the accounts of that currency have on that date,
// and each group's part the sum over that group's accounts, found by a
// plain lookup per account and date.
func TestSumHistories_Property(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	types := []string{"checking", "livret_a", "pea", "mortgage", "unknown"}
	currencies := []freenahi.Currency{{Code: "EUR", Exponent: 2}, {Code: "JPY"}, {Code: "USD", Exponent: 2}}
	start := d("2025-01-01")
	for iter := range 100 {
		var hs []freenahi.AccountHistory
		values := map[int]map[freenahi.Date]int64{}
		for i := range 1 + r.IntN(12) {
			a := &freenahi.Account{ID: int64(i), Type: types[r.IntN(len(types))], Currency: currencies[r.IntN(len(currencies))]}
			h := freenahi.AccountHistory{Account: a}
			values[i] = map[freenahi.Date]int64{}
			first := start.AddDays(r.IntN(60))
			for day := first; day.Before(start.AddDays(90)); day = day.AddDays(1) {
				v := r.Int64N(1<<32) - 1<<31
				h.Points = append(h.Points, freenahi.BalancePoint{Date: day, BalanceMinor: v})
				values[i][day] = v
			}
			hs = append(hs, h)
		}
		dates := freenahi.SampleDates(start, start.AddDays(95), []string{"day", "week", "month"}[iter%3])
		series := freenahi.SumHistories(hs, dates)
		for _, s := range series {
			for _, p := range s.Points {
				var total int64
				var groups [5]int64
				for i, h := range hs {
					if h.Account.Currency != s.Currency {
						continue
					}
					v := values[i][p.Date]
					total += v
					for g, name := range freenahi.AccountGroups {
						if h.Account.Group() == name {
							groups[g] += v
						}
					}
				}
				if p.TotalMinor != total || p.GroupMinor != groups {
					t.Fatalf("iteration %d %s %s: %d %v, want %d %v", iter, s.Currency.Code, p.Date, p.TotalMinor, p.GroupMinor, total, groups)
				}
			}
		}
	}
}

func TestDecimal_Round(t *testing.T) {
	for _, tc := range []struct {
		in   string
		exp  int
		want int64
	}{
		{"0.172142857", 4, 1721}, {"0.13156", 4, 1316}, {"-0.00005", 4, -1}, {"0.00004999", 4, 0},
		{"12.5", 0, 13}, {"-12.5", 0, -13}, {"3", 2, 300}, {"1041.474456", 2, 104147},
	} {
		if got := freenahi.MustParseDecimal(tc.in).Round(tc.exp); got != tc.want {
			t.Errorf("Round(%s, %d) = %d, want %d", tc.in, tc.exp, got, tc.want)
		}
	}
}

// TestDaySteps: stepping day by day agrees with the time package across
// month ends, leap years and centuries.
func TestDaySteps(t *testing.T) {
	start := d("1899-12-25")
	var got []freenahi.Date
	for _, p := range freenahi.BalanceHistory(freenahi.HistoryInput{Current: new(int64), From: start, To: d("2101-01-05"), Reconstruct: true}) {
		got = append(got, p.Date)
	}
	for i, g := range got {
		if want := start.AddDays(i); g != want {
			t.Fatalf("day %d: %s, want %s", i, g, want)
		}
	}
	carried := freenahi.BalanceHistory(freenahi.HistoryInput{From: start, To: d("2101-01-05"),
		HistoryData: freenahi.HistoryData{Snapshots: []freenahi.DayAmount{{Date: start, Minor: 1}}}})
	for i, p := range carried {
		if want := start.AddDays(i); p.Date != want {
			t.Fatalf("carried day %d: %s, want %s", i, p.Date, want)
		}
	}
	// 1899-12-25 to 2101-01-05, both included, counted by Python's datetime.
	if len(got) != len(carried) || len(got) != 73426 {
		t.Fatalf("%d and %d days", len(got), len(carried))
	}
}
