package freenahi_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/freenahi/freenahi"
)

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"123456789.99", "123456789.99", true},
		{"-0.01", "-0.01", true},
		{"0", "0", true},
		{"-0", "0", true},
		{"12.30", "12.3", true},
		{"+5", "5", true},
		{".5", "0.5", true},
		{"1.", "1", true},
		{"1.5E+2", "150", true},
		{"1e-3", "0.001", true},
		{"1.50000000000000000000", "1.5", true},
		{"922337203685477580.7", "922337203685477580.7", true},
		{"9223372036854775808", "", false},
		{"0.0000000000000000001", "", false},
		{"", "", false},
		{"-", "", false},
		{".", "", false},
		{"1,5", "", false},
		{"NaN", "", false},
		{"--1", "", false},
		{"1e999", "", false},
		{" 1", "", false},
	} {
		d, err := freenahi.ParseDecimal(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDecimal(%q) err=%v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && d.String() != tc.want {
			t.Errorf("ParseDecimal(%q)=%s, want %s", tc.in, d, tc.want)
		}
	}
}

func TestDecimal_Minor(t *testing.T) {
	for _, tc := range []struct {
		in       string
		exponent int
		want     int64
		ok       bool
	}{
		{"123456789.99", 2, 12345678999, true},
		{"-0.01", 2, -1, true},
		{"1500", 0, 1500, true},
		{"1234.567", 3, 1234567, true},
		{"0.001", 3, 1, true},
		{"12.3", 2, 1230, true},
		{"-12.345", 2, 0, false},
		{"0.5", 0, 0, false},
		{"92233720368547758.07", 2, math.MaxInt64, true},
		{"92233720368547759", 2, 0, false},
	} {
		got, err := freenahi.MustParseDecimal(tc.in).Minor(tc.exponent)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%s.Minor(%d)=%d, %v; want %d ok=%v", tc.in, tc.exponent, got, err, tc.want, tc.ok)
		}
	}
}

func TestDecimal_MinorBound(t *testing.T) {
	for _, tc := range []struct {
		in    string
		lower bool
		want  int64
	}{
		{"12.345", true, 1235}, {"12.345", false, 1234},
		{"-12.345", true, -1234}, {"-12.345", false, -1235},
		{"12.34", true, 1234}, {"0.001", true, 1}, {"-0.001", false, -1},
	} {
		got, err := freenahi.MustParseDecimal(tc.in).MinorBound(2, tc.lower)
		if err != nil || got != tc.want {
			t.Errorf("%s.MinorBound(2, lower=%v)=%d, %v; want %d", tc.in, tc.lower, got, err, tc.want)
		}
	}
}

func TestFormatMinor(t *testing.T) {
	for _, tc := range []struct {
		minor    int64
		exponent int
		want     string
	}{
		{12345678999, 2, "123456789.99"}, {-1, 2, "-0.01"}, {0, 2, "0.00"}, {1500, 0, "1500"},
		{1234567, 3, "1234.567"}, {-5, 3, "-0.005"}, {math.MinInt64, 2, "-92233720368547758.08"},
	} {
		if got := freenahi.FormatMinor(tc.minor, tc.exponent); got != tc.want {
			t.Errorf("FormatMinor(%d, %d)=%s, want %s", tc.minor, tc.exponent, got, tc.want)
		}
	}
}

// FuzzDecimal checks that every decimal that parses prints back to a text
// that parses to the same value, and converts to minor units and back exactly.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"123456789.99", "-0.01", "1e3", "0.001", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := freenahi.ParseDecimal(s)
		if err != nil {
			return
		}
		again, err := freenahi.ParseDecimal(d.String())
		if err != nil || !again.Equal(d) {
			t.Fatalf("%q → %s → %v, %v", s, d, again, err)
		}
		if m, err := d.Minor(d.Scale()); err == nil {
			if back := freenahi.DecimalFromMinor(m, d.Scale()); !back.Equal(d) {
				t.Fatalf("%s → %d minor → %s", d, m, back)
			}
			if _, err := strconv.ParseInt(strconv.FormatInt(m, 10), 10, 64); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestLookupCurrency(t *testing.T) {
	two := 2
	eight := 8
	for _, tc := range []struct {
		code      string
		precision *int
		want      freenahi.Currency
	}{
		{"EUR", nil, freenahi.Currency{Code: "EUR", Exponent: 2}},
		{"jpy", &two, freenahi.Currency{Code: "JPY", Exponent: 0}},
		{"TND", nil, freenahi.Currency{Code: "TND", Exponent: 3}},
		{"USD", &eight, freenahi.Currency{Code: "USD", Exponent: 2}},
		{"BTC", &eight, freenahi.Currency{Code: "BTC", Exponent: 8}},
		{"XYZW", nil, freenahi.Currency{Code: "XYZW", Exponent: 2}},
	} {
		if got := freenahi.LookupCurrency(tc.code, tc.precision); got != tc.want {
			t.Errorf("LookupCurrency(%q)=%+v, want %+v", tc.code, got, tc.want)
		}
	}
}
