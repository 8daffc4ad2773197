package cfonb

import (
	"math"
	"strings"
	"testing"
)

// minorOf turns decimal text into minor units at an exponent, by digits only,
// so that the test table can be written the way people write amounts.
func minorOf(tb testing.TB, s string, exponent int) int64 {
	tb.Helper()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > exponent {
		tb.Fatalf("%q has more than %d decimals", s, exponent)
	}
	frac += strings.Repeat("0", exponent-len(frac))
	v := atoi(whole + frac)
	if neg {
		v = -v
	}
	return v
}

func TestEncodeAmount(t *testing.T) {
	tests := []struct {
		amount   string
		exponent int
		want     string
	}{
		{"0", 2, "0000000000000{"},
		{"0", 0, "0000000000000{"},
		{"0.000", 3, "0000000000000{"},
		{"1234.56", 2, "0000000012345F"},
		{"-190.40", 2, "0000000001904}"},
		{"1500.00", 2, "0000000015000{"},
		{"-0.01", 2, "0000000000000J"},
		{"0.01", 2, "0000000000000A"},
		{"123456789.99", 2, "0001234567899I"},
		{"-123456789.99", 2, "0001234567899R"},
		{"-1.176", 3, "0000000000117O"},
		{"1.176", 3, "0000000000117F"},
		{"1500", 0, "0000000000150{"},
		{"-7", 0, "0000000000000P"},
		{"-12.34", 2, "0000000000123M"},
		{"8", 0, "0000000000000H"},
		{"999999999999.99", 2, "9999999999999I"},
		{"-999999999999.99", 2, "9999999999999R"},
		{"99999999999999", 0, "9999999999999I"},
		{"99999999999.999", 3, "9999999999999I"},
	}
	for _, tc := range tests {
		t.Run(tc.amount, func(t *testing.T) {
			minor := minorOf(t, tc.amount, tc.exponent)
			got, err := EncodeAmount(minor)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("EncodeAmount(%d)=%q, want %q", minor, got, tc.want)
			}
			back, err := DecodeAmount(got)
			if err != nil || back != minor {
				t.Fatalf("DecodeAmount(%q)=%d, %v, want %d", got, back, err, minor)
			}
		})
	}
}

func TestEncodeAmount_OutOfRange(t *testing.T) {
	for _, minor := range []int64{MaxAmountMinor + 1, -MaxAmountMinor - 1, math.MaxInt64, math.MinInt64} {
		if got, err := EncodeAmount(minor); err == nil {
			t.Errorf("EncodeAmount(%d)=%q, want an error", minor, got)
		}
	}
}

func TestDecodeAmount_Errors(t *testing.T) {
	tests := []struct{ field, want string }{
		{"00000000001X", "is 12 characters long"},
		{"000000000001X{", `non-digit character "X"`},
		{"0000000000001X", `invalid sign character "X"`},
		{"0000000000001a", `invalid sign character "a"`},
		{"0000000000001 ", `invalid sign character " "`},
		{" 000000000001{", `non-digit character " "`},
	}
	for _, tc := range tests {
		if _, err := DecodeAmount(tc.field); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DecodeAmount(%q) err=%v, want %q", tc.field, err, tc.want)
		}
	}
}

func TestFormatMinor(t *testing.T) {
	tests := []struct {
		minor    int64
		exponent int
		want     string
	}{
		{0, 2, "0.00"}, {-1, 2, "-0.01"}, {12345678999, 2, "123456789.99"}, {-1176, 3, "-1.176"}, {1500, 0, "1500"},
		{math.MinInt64, 2, "-92233720368547758.08"},
	}
	for _, tc := range tests {
		if got := FormatMinor(tc.minor, tc.exponent); got != tc.want {
			t.Errorf("FormatMinor(%d, %d)=%q, want %q", tc.minor, tc.exponent, got, tc.want)
		}
	}
}
