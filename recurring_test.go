package freenahi

import "testing"

// series builds a payee's debits on the given dates, all of amount minor
// unless amounts says otherwise.
func series(payee string, minor int64, days []string, amounts ...int64) []*Transaction {
	var out []*Transaction
	for i, d := range days {
		v := minor
		if i < len(amounts) {
			v = amounts[i]
		}
		dt, err := ParseDate(d)
		if err != nil {
			panic(err)
		}
		out = append(out, &Transaction{ID: int64(len(payee)*1000 + i), Date: dt, ValueMinor: -v, Payee: payee,
			Currency: Currency{Code: "EUR", Exponent: 2}})
	}
	return out
}

// TestDetectRecurring: hand-written series, with the next date and the
// yearly cost worked out by hand, and irregular ones that must not show.
func TestDetectRecurring(t *testing.T) {
	today := Date{2026, 3, 2}
	var txs []*Transaction
	// Found:
	txs = append(txs, series("Netflix", 1349, []string{"2025-11-30", "2025-12-31", "2026-01-31", "2026-02-28"})...) // month ends
	txs = append(txs, series("Boulangerie Paul", 450, []string{"2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02"})...)
	txs = append(txs, series("Maaf", 12000, []string{"2025-06-10", "2025-09-09", "2025-12-10"})...)
	txs = append(txs, series("Ovh", 9588, []string{"2024-03-15", "2025-03-17"}, 8988, 9588)...)
	txs = append(txs, series("Free Mobile", 1999, []string{"2025-12-03", "2026-01-05", "2026-02-03"}, 1999, 1999, 2199)...) // a 10 % rise
	// Not found:
	txs = append(txs, series("Carrefour", 0, []string{"2026-01-03", "2026-01-17", "2026-02-01", "2026-02-25"}, 8650, 4210, 12070, 990)...) // irregular
	txs = append(txs, series("Sncf", 4500, []string{"2025-10-01", "2025-11-01", "2025-12-01"}, 4500, 4500, 9900)...)                       // amount jumps
	txs = append(txs, series("Spotify", 1099, []string{"2025-08-01", "2025-09-01", "2025-10-01", "2025-11-01"})...)                        // cancelled: next was 1 December
	txs = append(txs, series("Amazon", 2999, []string{"2026-01-10", "2026-02-10"})...)                                                     // two months only
	txs = append(txs, series("Fnac", 5999, []string{"2025-12-20", "2026-01-02", "2026-02-15"})...)                                         // gaps 13 and 44 days
	txs = append(txs, series("Pharmacie", 1200, []string{"2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16"})...)                      // fortnightly: no such interval

	got := DetectRecurring(txs, today)
	want := []Recurring{
		{Key: "boulangerie paul|EUR", Interval: Weekly, AmountMinor: 450, YearlyMinor: 450 * 52, Count: 5, Next: Date{2026, 3, 9}},
		{Key: "netflix|EUR", Interval: Monthly, AmountMinor: 1349, YearlyMinor: 1349 * 12, Count: 4, Next: Date{2026, 3, 28}},
		{Key: "maaf|EUR", Interval: Quarterly, AmountMinor: 12000, YearlyMinor: 48000, Count: 3, Next: Date{2026, 3, 10}},
		{Key: "free mobile|EUR", Interval: Monthly, AmountMinor: 2199, YearlyMinor: 2199 * 12, Count: 3, Next: Date{2026, 3, 3}},
		{Key: "ovh|EUR", Interval: Yearly, AmountMinor: 9588, YearlyMinor: 9588, Count: 2, Next: Date{2026, 3, 17}},
	}
	// Ordered by yearly cost: 48000 (Maaf), 26388 (Free), 23400, 16188, 9588.
	order := []string{"maaf|EUR", "free mobile|EUR", "boulangerie paul|EUR", "netflix|EUR", "ovh|EUR"}
	if len(got) != len(want) {
		t.Fatalf("found %d series, want %d: %+v", len(got), len(want), got)
	}
	byKey := map[string]Recurring{}
	for i, r := range got {
		byKey[r.Key] = r
		if r.Key != order[i] {
			t.Errorf("series %d is %s, want %s", i, r.Key, order[i])
		}
	}
	for _, w := range want {
		r, ok := byKey[w.Key]
		if !ok {
			t.Errorf("%s not found", w.Key)
			continue
		}
		if r.Interval != w.Interval || r.AmountMinor != w.AmountMinor || r.YearlyMinor != w.YearlyMinor || r.Count != w.Count || r.Next != w.Next {
			t.Errorf("%s: %s %d/yr %d count %d next %s, want %s %d %d %d %s", w.Key, r.Interval, r.AmountMinor, r.YearlyMinor, r.Count, r.Next,
				w.Interval, w.AmountMinor, w.YearlyMinor, w.Count, w.Next)
		}
	}
}

// TestComputeBudgetProgress: rollover over a year boundary, an overspent
// month carried as a debt, and no rollover before the start.
func TestComputeBudgetProgress(t *testing.T) {
	b := &Budget{AmountMinor: 10000, Rollover: true, Start: Date{2025, 11, 1}}
	spent := map[Date]int64{{2025, 11, 1}: 4000, {2025, 12, 1}: 19000, {2026, 1, 1}: -500, {2026, 2, 1}: 2500}
	// By hand: carried (100−40) + (100−190) + (100+5) = 75.00 into February;
	// available 175.00, left 150.00.
	p := ComputeBudgetProgress(b, Date{2026, 2, 14}, spent)
	if p.CarriedMinor != 7500 || p.AvailableMinor != 17500 || p.LeftMinor != 15000 || p.Over() || p.Percent() != 14 {
		t.Fatalf("February: %+v (percent %d)", p, p.Percent())
	}
	// January: carried 60 − 90 = −30.00: available 70.00, a refund month.
	p = ComputeBudgetProgress(b, Date{2026, 1, 1}, spent)
	if p.CarriedMinor != -3000 || p.AvailableMinor != 7000 || p.LeftMinor != 7500 || p.Percent() != 0 {
		t.Fatalf("January: %+v", p)
	}
	p = ComputeBudgetProgress(b, Date{2025, 12, 31}, spent)
	if p.LeftMinor != 10000+6000-19000 || !p.Over() || p.Percent() != 100 {
		t.Fatalf("December: %+v", p)
	}
	b.Rollover = false
	if p = ComputeBudgetProgress(b, Date{2026, 2, 1}, spent); p.CarriedMinor != 0 || p.LeftMinor != 7500 {
		t.Fatalf("without rollover: %+v", p)
	}
	b.Rollover = true
	if p = ComputeBudgetProgress(b, Date{2025, 10, 1}, spent); p.CarriedMinor != 0 {
		t.Fatalf("before the start: %+v", p)
	}
}

// TestSplitsOf: the parts must add up to the amount exactly.
func TestSplitsOf(t *testing.T) {
	part := func(cat int64, s string) SplitPart { return SplitPart{CategoryID: cat, Amount: MustParseDecimal(s)} }
	got, err := SplitsOf([]SplitPart{part(1, "-0.10"), part(2, "-0.20")}, -30, 2)
	if err != nil || len(got) != 2 || got[0].AmountMinor != -10 || got[1].AmountMinor != -20 {
		t.Fatalf("0.10 + 0.20: %+v %v", got, err)
	}
	// A refund inside a payment: -50 + 20 = -30.
	if _, err := SplitsOf([]SplitPart{part(1, "-50"), part(2, "20")}, -3000, 2); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		parts []SplitPart
		value int64
		field string
	}{
		{[]SplitPart{part(1, "-0.1"), part(2, "-0.2")}, -31, "splits"},
		{[]SplitPart{part(1, "-92233720368547758.07"), part(2, "-0.02")}, -1, "splits[1].amount"},
		{[]SplitPart{part(1, "-1"), part(2, "-1"), part(0, "1")}, -100, "splits[2].category_id"},
	} {
		if _, err := SplitsOf(c.parts, c.value, 2); ErrorField(err) != c.field {
			t.Errorf("%+v: %v, want an error about %s", c.parts, err, c.field)
		}
	}
}
