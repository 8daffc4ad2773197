package freenahi_test

import (
	"math"
	"math/big"
	"regexp"
	"strings"
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

// plainDecimal is the text ParseDecimal is documented to read, written
// independently of it: a sign, digits with at most one dot (a digit on at
// least one side), and an optional exponent.
var plainDecimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

var maxInt64 = big.NewInt(math.MaxInt64)

// withinLimits reports whether plain decimal text s, of value r, lies within
// the limits ParseDecimal documents: an exponent of at most ±40, a mantissa
// (its digits, trailing fractional zeros dropped) that fits an int64, and a
// value of at most 18 decimals whose coefficient fits an int64.
func withinLimits(s string, r *big.Rat) bool {
	mant, exp, _ := strings.Cut(strings.ToLower(strings.TrimLeft(s, "+-")), "e")
	if e, ok := new(big.Int).SetString(strings.TrimPrefix(exp, "+"), 10); exp != "" && (!ok || e.CmpAbs(big.NewInt(40)) > 0) {
		return false
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits, _ := new(big.Int).SetString("0"+intPart+strings.TrimRight(frac, "0"), 10)
	if digits.Cmp(maxInt64) > 0 {
		return false
	}
	// The smallest scale that makes r whole, then the size of that coefficient.
	scaled := new(big.Rat).Set(r)
	for scale := 0; scale <= 18; scale++ {
		if scaled.IsInt() {
			return new(big.Int).Abs(scaled.Num()).Cmp(maxInt64) <= 0
		}
		scaled.Mul(scaled, big.NewRat(10, 1))
	}
	return false
}

// ratOf is the exact value of d, computed from its minor units and scale.
func ratOf(t *testing.T, d freenahi.Decimal) *big.Rat {
	t.Helper()
	m, err := d.Minor(d.Scale())
	if err != nil {
		t.Fatalf("%s.Minor(its own scale %d): %v", d, d.Scale(), err)
	}
	return new(big.Rat).SetFrac(big.NewInt(m), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale())), nil))
}

// checkAgainstRat is the oracle of ParseDecimal: math/big reads the same
// text, and the syntax and limits are checked by hand. Whatever parses must
// have big.Rat's value, print canonically and convert to minor units as
// big.Rat says; what is refused must be outside the syntax or the limits.
func checkAgainstRat(t *testing.T, s string) {
	t.Helper()
	d, err := freenahi.ParseDecimal(s)
	r, ratOK := new(big.Rat).SetString(s)
	plain := plainDecimal.MatchString(s) && ratOK
	switch {
	case err != nil && plain && withinLimits(s, r):
		t.Fatalf("ParseDecimal(%q) refused %s, within its limits: %v", s, r.RatString(), err)
	case err != nil:
		return
	case !plain:
		t.Fatalf("ParseDecimal(%q) accepted text that is not a plain decimal: %s", s, d)
	}
	if got := ratOf(t, d); got.Cmp(r) != 0 {
		t.Fatalf("ParseDecimal(%q)=%s, worth %s; math/big reads %s", s, d, got.RatString(), r.RatString())
	}
	canonical, ok := new(big.Rat).SetString(d.String())
	if !ok || canonical.Cmp(r) != 0 || !regexp.MustCompile(`^-?[0-9]+(\.[0-9]*[1-9])?$`).MatchString(d.String()) {
		t.Fatalf("ParseDecimal(%q).String()=%q, not the canonical text of %s", s, d.String(), r.RatString())
	}
	for _, exponent := range []int{0, 2, 3} {
		scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exponent)), nil)))
		fits := scaled.IsInt() && new(big.Int).Abs(scaled.Num()).Cmp(maxInt64) <= 0
		m, err := d.Minor(exponent)
		switch {
		case fits && (err != nil || m != scaled.Num().Int64()):
			t.Fatalf("%s.Minor(%d)=%d, %v; want %s", d, exponent, m, err, scaled.Num())
		case !fits && err == nil:
			t.Fatalf("%s.Minor(%d)=%d, want an error: %s minor units are not a whole int64", d, exponent, m, scaled.RatString())
		}
	}
}

func TestParseDecimal_AgainstBigRat(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"0.1", true}, {"-0.000000000000000001", true}, {"1e-18", true}, {"1e-19", false}, {"10e-19", true},
		{"9223372036854775807", true}, {"-9223372036854775807", true}, {"922337203685477580.7", true},
		{"0.9223372036854775807", false}, {"92233720368547758.07e1", true}, {"9223372036854775807e-18", true},
		{"123456789012345678e-18", true}, {"1234567890123456789e-19", false}, {"12345678901234567890e-10", false},
		{"0.00000000000000000000", true}, {"000123.4500", true}, {"-000.000", true}, {"1.5E+2", true},
		{"1E-0", true}, {"1e+0018", true}, {"1e19", false}, {"0e40", true}, {"1e40", false}, {"1e-40", false},
		{"1.e1", true}, {".1e1", true}, {"-.5", true}, {"+.5", true}, {"1/2", false}, {"0x10", false},
		{"0b1", false}, {"1_000", false}, {"١", false}, {"1e", false}, {"e1", false}, {".e1", false},
		{"1.2.3", false}, {"Inf", false}, {"1e1.5", false}, {"- 1", false}, {"1 ", false}, {"١.٥", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if _, err := freenahi.ParseDecimal(tc.in); (err == nil) != tc.ok {
				t.Fatalf("ParseDecimal(%q) err=%v, want ok=%v", tc.in, err, tc.ok)
			}
			checkAgainstRat(t, tc.in)
		})
	}
}

// FuzzDecimal checks ParseDecimal against math/big and a hand-written
// syntax check (checkAgainstRat), then that every decimal prints back to
// text of the same value and converts to minor units and back exactly.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"123456789.99", "-0.01", "1e3", "0.001", "9223372036854775807", "1_0", "0x1p-2",
		"1/3", ".5e-18", "12345678901234567890e-10", "-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAgainstRat(t, s)
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
