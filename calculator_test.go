package freenahi_test

import (
	"fmt"
	"testing"

	"github.com/freenahi/freenahi"
)

// Values computed by hand: 1.01^12 = 1.126825030…, (1.01^12 − 1)/0.01 =
// 12.682503…; 1.005^24 = 1.127159776…
func TestCompoundInterest(t *testing.T) {
	for _, tc := range []struct {
		initial, monthly int64
		rate             string
		months           int
		final, interest  int64
		years            string
	}{
		{100000, 0, "12", 12, 112683, 12683, "[112683]"},        // 1,000.00 × 1.01^12
		{100000, 10000, "12", 12, 239508, 19508, "[239508]"},    // + 100.00 × 12.682503
		{100000, 10000, "0", 18, 280000, 0, "[220000 280000]"},  // no interest: plain sums
		{0, 10000, "12", 1, 10000, 0, "[10000]"},                // paid at the month's end: no interest yet
		{100000, 0, "12", 24, 126973, 26973, "[112683 126973]"}, // 1,000.00 × 1.01^24 = 1,269.7346…
	} {
		g, err := freenahi.CompoundInterest(tc.initial, tc.monthly, freenahi.MustParseDecimal(tc.rate), tc.months)
		if err != nil {
			t.Fatal(err)
		}
		if g.FinalMinor != tc.final || g.InterestMinor != tc.interest || fmt.Sprint(g.Years) != tc.years {
			t.Errorf("%d + %d/month at %s%% for %d months: %+v, want final %d interest %d years %s",
				tc.initial, tc.monthly, tc.rate, tc.months, g, tc.final, tc.interest, tc.years)
		}
	}
}

func TestSavingsGoal(t *testing.T) {
	for _, tc := range []struct {
		target, initial int64
		rate            string
		months          int
		want            int64
	}{
		{1000000, 0, "0", 24, 41667},      // 10,000 / 24 = 416.666… → 416.67
		{1000000, 0, "6", 24, 39321},      // 50 / 0.127159776 = 393.2061… → 393.21
		{1000000, 1000000, "6", 24, 0},    // already there
		{1000000, 500000, "0", 10, 50000}, // 5,000 left over 10 months
	} {
		got, err := freenahi.SavingsGoal(tc.target, tc.initial, freenahi.MustParseDecimal(tc.rate), tc.months)
		if err != nil || got != tc.want {
			t.Errorf("goal %d from %d at %s%% in %d months: %d %v, want %d", tc.target, tc.initial, tc.rate, tc.months, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		target, initial int64
		rate            string
		months          int
		field           string
	}{
		{0, 0, "1", 12, "target"}, {1, -1, "1", 12, "initial"}, {1, 0, "-1", 12, "rate"}, {1, 0, "101", 12, "rate"},
		{1, 0, "1", 0, "months"}, {1, 0, "1", 1201, "months"},
	} {
		_, err := freenahi.SavingsGoal(tc.target, tc.initial, freenahi.MustParseDecimal(tc.rate), tc.months)
		if e, ok := err.(*freenahi.Error); !ok || e.Field != tc.field {
			t.Errorf("%+v: %v, want a field error on %s", tc, err, tc.field)
		}
	}
}
