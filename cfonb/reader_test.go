package cfonb

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// referenceLines returns the records of reference §1.10 without line endings.
func referenceLines(tb testing.TB) []string {
	tb.Helper()
	b, err := os.ReadFile("testdata/reference_1_10.cfonb")
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
}

// chainedLines is the reference example with its second statement made to
// chain onto the first, so that the default (chain-checking) reader accepts it.
func chainedLines(tb testing.TB) []string {
	tb.Helper()
	l := referenceLines(tb)
	l[10] = set(l[10], 35, "310326")
	l[10] = set(l[10], 91, "0000000021763B")
	l[11] = set(l[11], 35, "010426")
	l[11] = set(l[11], 91, "0000000021763B")
	return l
}

// set overwrites s at a 1-based column.
func set(s string, col int, v string) string {
	return s[:col-1] + v + s[col-1+len(v):]
}

func crlf(lines []string) string { return strings.Join(lines, "\r\n") + "\r\n" }

// readAll reads every statement, returning them and the error that ended it.
func readAll(r *Reader) ([]*Statement, error) {
	var sts []*Statement
	for {
		st, err := r.Next()
		if errors.Is(err, io.EOF) {
			return sts, nil
		}
		if err != nil {
			return sts, err
		}
		sts = append(sts, st)
	}
}

func TestReader_ReferenceExample(t *testing.T) {
	b, err := os.ReadFile("testdata/reference_1_10.cfonb")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(bytes.NewReader(b))
	r.SkipChainCheck = true
	got, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	acct := Account{BankCode: "30006", BranchCode: "00001", AccountNumber: "12345678901", RIBKey: "89", Currency: "EUR", Exponent: 2}
	want := []*Statement{{
		Account: acct, OpeningDate: date(2026, 2, 28), OpeningMinor: 100000,
		Movements: []Movement{
			{OperationCode: "05", BookingDate: date(2026, 3, 5), ValueDate: date(2026, 3, 5), AmountMinor: 123456,
				Label: "VIR SEPA RECU ACME SA", Reference: "INV-2026-0042", Counterparty: "ACME SA",
				Complements: []Complement{{"RCN", "E2E-REF-0001"}, {"LCC", "FACTURE 2026-0042"}}},
			{OperationCode: "B1", BookingDate: date(2026, 3, 6), ValueDate: date(2026, 3, 6), AmountMinor: -4590,
				Label: "PRLV SEPA EDF", Counterparty: "EDF",
				Complements: []Complement{{"RUM", "MANDATE-123                        RCUR"}}},
			{OperationCode: "11", BookingDate: date(2026, 3, 7), ValueDate: date(2026, 3, 7), AmountMinor: -1234,
				Label: "CB CARREFOUR 06/03"},
		},
		ClosingDate: date(2026, 3, 31), ClosingMinor: 217632,
	}, {
		Account: acct, OpeningDate: date(2026, 2, 28), OpeningMinor: 5000, ClosingDate: date(2026, 3, 31), ClosingMinor: 5000,
	}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}

	// By default the reader refuses the example's deliberate break in the chain.
	_, err = readAll(NewReader(bytes.NewReader(b)))
	assertError(t, err, 11, 35, "does not chain")
}

func TestReader_Chained(t *testing.T) {
	got, err := readAll(NewReader(strings.NewReader(crlf(chainedLines(t)))))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].ClosingDate != date(2026, 4, 1) {
		t.Fatalf("got %d statements: %+v", len(got), got)
	}
}

func assertError(tb testing.TB, err error, line, column int, msg string) {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("err=%v (%T), want an *Error at line %d, column %d", err, err, line, column)
	}
	if e.Line != line || e.Column != column || !strings.Contains(e.Msg, msg) {
		tb.Fatalf("err=%q, want line %d, column %d: …%s…", e, line, column, msg)
	}
}

func TestReader_Malformed(t *testing.T) {
	base := chainedLines(t)
	edit := func(f func(l []string) []string) string {
		return crlf(f(append([]string(nil), base...)))
	}
	at := func(line, col int, v string) string {
		return edit(func(l []string) []string { l[line-1] = set(l[line-1], col, v); return l })
	}
	tests := []struct {
		name         string
		file         string
		line, column int
		msg          string
	}{
		{"Empty", "", 1, 1, "empty file"},
		{"ShortLine", edit(func(l []string) []string { l[2] = l[2][:119]; return l }), 3, 120, "119 characters long, want 120"},
		{"LongLine", edit(func(l []string) []string { l[2] += " "; return l }), 3, 121, "longer than 120"},
		{"VeryLongLine", strings.Repeat(base[0], 50), 1, 121, "longer than 120"},
		{"LFOnly", strings.Join(base, "\n") + "\n", 1, 121, "LF only"},
		{"CROnly", strings.Join(base, "\r") + "\r", 1, 121, "CR without LF"},
		{"NoFinalCRLF", strings.TrimSuffix(crlf(base), "\r\n"), 12, 121, "no line ending"},
		{"BlankLine", crlf(base) + "\r\n", 13, 1, "0 characters long"},
		{"BadRecordCode", at(4, 1, "06"), 4, 1, `record code "06"`},
		{"MovementBefore01", edit(func(l []string) []string { return l[1:] }), 1, 1, "record 04 where a statement must begin"},
		{"ComplementAfter01", edit(func(l []string) []string { return append(l[:1:1], l[2:]...) }), 2, 1, "05 (complement) does not follow a 04"},
		{"Missing07", edit(func(l []string) []string { return l[:11] }), 12, 1, "07 (new balance) is missing"},
		{"Missing07Before01", edit(func(l []string) []string { return append(l[:9:9], l[10:]...) }), 10, 1, "record 01 inside the statement begun at line 1"},
		{"AccountChange", at(6, 32, "2"), 6, 22, `account number "12345678902" differs`},
		{"BankChange", at(9, 3, "30007"), 9, 3, `bank code "30007" differs`},
		{"CurrencyChange", at(10, 17, "USD"), 10, 17, "currency"},
		{"ExponentChange", at(4, 20, "3"), 4, 20, "number of decimals"},
		{"BalanceMismatch", at(10, 91, "0000000021763C"), 10, 91, "new balance 2176.33 does not equal the old balance 1000.00 plus 3 movements totalling 1176.32"},
		{"BrokenChainAmount", at(11, 91, "0000000021763C"), 11, 91, "old balance 2176.33 does not chain"},
		{"BrokenChainDate", at(11, 35, "300326"), 11, 35, "old balance date 30/03/26 does not chain"},
		{"BadSignChar", at(2, 104, "X"), 2, 104, `invalid sign character "X"`},
		{"BadAmountDigit", at(6, 95, "?"), 6, 95, `non-digit character "?"`},
		{"BadBookingDate", at(2, 35, "310226"), 2, 35, `booking date "310226" (DDMMYY) does not exist`},
		{"BadValueDate", at(2, 43, "05O326"), 2, 43, `value date "05O326" is not DDMMYY`},
		{"BadBalanceDate", at(1, 35, "290226"), 1, 35, "does not exist"},
		{"NonASCIIByte", at(2, 50, "\xc9"), 2, 50, "byte 0xC9 is not ASCII"},
		{"UTF8Letter", edit(func(l []string) []string { l[1] = l[1][:49] + "É" + l[1][50:]; return l }), 2, 50, "byte 0xC3 is not ASCII"},
		{"LowerCase", at(2, 52, "a"), 2, 52, `character "a" is not allowed`},
		{"Tab", at(3, 60, "\t"), 3, 60, `character "\t" is not allowed`},
		{"ReservedNotBlank", at(1, 50, "X"), 1, 50, "reserved zone at positions 41–90"},
		{"BadExponent", edit(func(l []string) []string {
			for i := range l {
				l[i] = set(l[i], 20, "4")
			}
			return l
		}), 1, 20, `number of decimals "4"`},
		{"BadOperationCode", at(2, 33, " 5"), 2, 33, "operation code"},
		{"ComplementDateDiffers", at(3, 35, "060326"), 3, 35, `booking date "060326" differs from "050326" in its 04`},
		{"ComplementCodeDiffers", at(4, 33, "06"), 4, 33, "operation code"},
		{"ClosingBeforeOpening", at(12, 35, "300326"), 12, 35, "before the old balance date"},
		{"BadFlag", at(2, 89, "2"), 2, 89, `flag "2"`},
		{"BadEntryNumber", at(2, 82, "00000A0"), 2, 87, `entry number "00000A0" is not 7 digits`},
		{"BadBranch", at(1, 12, "0000A"), 1, 16, "branch code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tc.file))
			_, err := readAll(r)
			assertError(t, err, tc.line, tc.column, tc.msg)
			// The error sticks.
			if _, again := r.Next(); again != err {
				t.Fatalf("second Next returned %v, want the same error", again)
			}
		})
	}
}

func TestReader_LabelAndComplements(t *testing.T) {
	// A bank-style file: LIB lines that are not continuations, an unknown
	// qualifier, a REF with both halves, NPY and NBE on one credit.
	l := chainedLines(t)[:2]
	c := chainedLines(t)[2][:45] + strings.Repeat(" ", 75)
	l = append(l,
		set(c, 46, "LIBFACTURE 42"),
		set(c, 46, "NBEMOI"),
		set(c, 46, "REFPMT-1"+strings.Repeat(" ", 32)+"INSTR-1"),
		set(c, 46, "   BLANK QUALIFIER"),
		chainedLines(t)[9][:90]+"0000000022345F"+strings.Repeat(" ", 16),
	)
	got, err := readAll(NewReader(strings.NewReader(crlf(l))))
	if err != nil {
		t.Fatal(err)
	}
	m := got[0].Movements[0]
	want := Movement{OperationCode: "05", BookingDate: date(2026, 3, 5), ValueDate: date(2026, 3, 5), AmountMinor: 123456,
		Label: "VIR SEPA RECU ACME SA FACTURE 42", Reference: "INV-2026-0042",
		Complements: []Complement{{"NBE", "MOI"}, {"REF", "PMT-1" + strings.Repeat(" ", 32) + "INSTR-1"}, {"   ", "BLANK QUALIFIER"}}}
	if diff := cmp.Diff(want, m, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestError_Error(t *testing.T) {
	e := &Error{Line: 12, Column: 104, Msg: `amount "0000000000001X" has an invalid sign character "X"`}
	if got, want := e.Error(), `line 12, column 104: amount "0000000000001X" has an invalid sign character "X"`; got != want {
		t.Fatalf("Error()=%q, want %q", got, want)
	}
}
