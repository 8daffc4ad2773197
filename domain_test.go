package freenahi_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2024-02-29", true}, {"2023-02-29", false}, {"2025-13-01", false}, {"2025-04-31", false},
		{"2025-1-01", false}, {"20250101", false}, {"", false}, {"2025-01-01T00:00:00", false},
	} {
		d, err := freenahi.ParseDate(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q) err=%v, want ok=%v", tc.in, err, tc.ok)
		}
		if tc.ok && d.String() != tc.in {
			t.Errorf("ParseDate(%q)=%s", tc.in, d)
		}
	}
	d := freenahi.Date{Year: 2025, Month: time.March, Day: 9}
	if d.Int() != 20250309 || freenahi.DateFromInt(20250309) != d || d.AddDays(23).String() != "2025-04-01" {
		t.Fatalf("Date arithmetic: %d %v %v", d.Int(), freenahi.DateFromInt(20250309), d.AddDays(23))
	}
}

func TestCursor(t *testing.T) {
	c := freenahi.Cursor{Date: freenahi.Date{Year: 2025, Month: time.June, Day: 30}, ID: 1234567}
	got, err := freenahi.ParseCursor(c.String())
	if err != nil || got != c {
		t.Fatalf("round trip: %v %v", got, err)
	}
	for _, bad := range []string{"", "!!", "AAAAAAAAAAAAAAAA", c.String() + "x"} {
		if _, err := freenahi.ParseCursor(bad); freenahi.ErrorField(err) != "cursor" {
			t.Errorf("ParseCursor(%q) err=%v, want a cursor field error", bad, err)
		}
	}
}

func TestTransactionFilter_Validate(t *testing.T) {
	f := freenahi.TransactionFilter{}
	if err := f.Validate(); err != nil || f.Limit != freenahi.DefaultPageLimit {
		t.Fatalf("default: %v limit=%d", err, f.Limit)
	}
	for _, tc := range []struct {
		f     freenahi.TransactionFilter
		field string
	}{
		{freenahi.TransactionFilter{Limit: 1001}, "limit"},
		{freenahi.TransactionFilter{Limit: -1}, "limit"},
		{freenahi.TransactionFilter{From: &freenahi.Date{Year: 2025, Month: 2, Day: 1}, To: &freenahi.Date{Year: 2025, Month: 1, Day: 1}}, "to"},
		{freenahi.TransactionFilter{MinAmount: ptr(freenahi.MustParseDecimal("5")), MaxAmount: ptr(freenahi.MustParseDecimal("-5"))}, "max_amount"},
		{freenahi.TransactionFilter{MinAmount: ptr(freenahi.MustParseDecimal("10")), MaxAmount: ptr(freenahi.MustParseDecimal("5"))}, "max_amount"},
		{freenahi.TransactionFilter{MinAmount: ptr(freenahi.MustParseDecimal("-1.5")), MaxAmount: ptr(freenahi.MustParseDecimal("-12.25"))}, "max_amount"},
		{freenahi.TransactionFilter{MinAmount: ptr(freenahi.MustParseDecimal("1000000")), MaxAmount: ptr(freenahi.MustParseDecimal("1000000.01"))}, ""},
	} {
		if err := tc.f.Validate(); freenahi.ErrorField(err) != tc.field {
			t.Errorf("%+v: err=%v, want field %s", tc.f, err, tc.field)
		}
	}
}

func TestTotals(t *testing.T) {
	acc := func(typ, cur string, minor int64, disabled bool) *freenahi.Account {
		a := &freenahi.Account{Type: typ, Currency: freenahi.LookupCurrency(cur, nil), BalanceMinor: &minor}
		if disabled {
			now := time.Now()
			a.Disabled = &now
		}
		return a
	}
	got := freenahi.Totals([]*freenahi.Account{
		acc("checking", "EUR", 10000, false), acc("card", "EUR", -2500, false), acc("livret_a", "EUR", 500000, false),
		acc("checking", "USD", 100, false), acc("pea", "EUR", 123, false), acc("loan", "EUR", -15000000, false),
		acc("checking", "EUR", 999999, true), acc("a_future_type", "EUR", 1, false),
	})
	want := "[checking 75.00 EUR 2 checking 1.00 USD 1 savings 5000.00 EUR 1 investments 1.23 EUR 1 loans -150000.00 EUR 1 other 0.01 EUR 1]"
	var s []any
	for _, g := range got {
		s = append(s, g.Group, g.Money.String(), g.Count)
	}
	if fmt.Sprint(s) != want {
		t.Fatalf("Totals=%v\nwant   %s", s, want)
	}
}

func TestConnectionState_Kind(t *testing.T) {
	for state, want := range map[freenahi.ConnectionState]freenahi.StateKind{
		"": freenahi.StateKindOK, "SCARequired": freenahi.StateKindUserAction, "wrongpass": freenahi.StateKindUserAction,
		"actionNeeded": freenahi.StateKindOutside, "websiteUnavailable": freenahi.StateKindTransient,
		"notSupported": freenahi.StateKindFatal, "aStateFromTheFuture": freenahi.StateKindFatal,
	} {
		if got := state.Kind(); got != want {
			t.Errorf("%q.Kind()=%s, want %s", state, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", freenahi.FieldErrorf("limit", "must be positive"))
	if freenahi.ErrorCode(err) != freenahi.EINVALID || freenahi.ErrorField(err) != "limit" || freenahi.ErrorMessage(err) != "limit: must be positive" {
		t.Fatalf("domain error lost through wrapping: %v", err)
	}
	plain := errors.New("pq: connection refused at 10.0.0.3")
	if freenahi.ErrorCode(plain) != freenahi.EINTERNAL || freenahi.ErrorMessage(plain) != "Internal error." {
		t.Fatal("an internal error's text would leak to clients")
	}
}

func ptr[T any](v T) *T { return &v }

func TestErrorToKeep(t *testing.T) {
	domain := freenahi.Errorf(freenahi.ECONFLICT, "Export batch %d was resolved meanwhile.", 3)
	internal := freenahi.Errorf(freenahi.EINTERNAL, "This operation is not known to this version of freenahi.")
	for _, tc := range []struct {
		err           error
		code, message string
	}{
		{domain, freenahi.ECONFLICT, "Export batch 3 was resolved meanwhile."},
		{fmt.Errorf("push mapping 2: %w", domain), freenahi.ECONFLICT, "Export batch 3 was resolved meanwhile."},
		{errors.New("dial tcp: connection refused"), freenahi.EINTERNAL, "dial tcp: connection refused"},
		{fmt.Errorf("job 7: %w", internal), freenahi.EINTERNAL, "job 7: freenahi error: code=internal message=This operation is not known to this version of freenahi."},
	} {
		got := freenahi.ErrorToKeep(tc.err)
		if got.Code != tc.code || got.Message != tc.message {
			t.Errorf("ErrorToKeep(%v)=%+v, want %s %q", tc.err, got, tc.code, tc.message)
		}
	}
	if freenahi.ErrorToKeep(nil) != nil {
		t.Error("ErrorToKeep(nil) is not nil")
	}
}
