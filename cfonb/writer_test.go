package cfonb

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris resolves without a system zone database.

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ (never the reference example)")

// date returns midnight UTC of a calendar date.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// MustAccount returns the CFONB account of a valid IBAN.
func MustAccount(tb testing.TB, iban string) Account {
	tb.Helper()
	a, err := AccountFromIBAN(iban)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// writeReferenceExample writes the statements of reference §1.10.
func writeReferenceExample(tb testing.TB, w *Writer) {
	tb.Helper()
	acct := MustAccount(tb, "FR76 3000 6000 0112 3456 7890 189")
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(w.Begin(acct, date(2026, 2, 28), 100000))
	must(w.Movement(Movement{
		PowensType: "transfer", BookingDate: date(2026, 3, 5), AmountMinor: 123456,
		Label: "Vir SEPA reçu ACME SA", Counterparty: "ACME SA", Reference: "INV-2026-0042",
		Complements: []Complement{{"RCN", "E2E-REF-0001"}, {"LCC", "FACTURE 2026-0042"}},
	}))
	must(w.Movement(Movement{
		PowensType: "order", BookingDate: date(2026, 3, 6), AmountMinor: -4590,
		Label: "PRLV SEPA EDF", Counterparty: "EDF",
		Complements: []Complement{{"RUM", "MANDATE-123                        RCUR"}},
	}))
	must(w.Movement(Movement{
		PowensType: "card", BookingDate: date(2026, 3, 7), AmountMinor: -1234, Label: "CB CARREFOUR 06/03",
	}))
	closing, err := w.End(date(2026, 3, 31))
	must(err)
	if got, want := closing, int64(217632); got != want {
		tb.Fatalf("closing=%d, want %d", got, want)
	}
	// The reference's second statement deliberately does not chain.
	must(w.Begin(acct, date(2026, 2, 28), 5000))
	_, err = w.End(date(2026, 3, 31))
	must(err)
	must(w.Flush())
}

func TestWriter_ReferenceExample(t *testing.T) {
	var buf bytes.Buffer
	writeReferenceExample(t, NewWriter(&buf))
	// The reference is the specification: -update never rewrites this file.
	want, err := os.ReadFile("testdata/reference_1_10.cfonb")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\r\n"), strings.Split(buf.String(), "\r\n")); diff != "" {
		t.Fatalf("writer output differs from reference §1.10 (-want +got):\n%s", diff)
	}
}

// goldenCases are writer scenarios kept as golden files.
var goldenCases = []struct {
	name  string
	write func(tb testing.TB, w *Writer)
}{
	{"long_label_and_reference", func(tb testing.TB, w *Writer) {
		acct := MustAccount(tb, "FR1420041010050500013M02606")
		mustDo(tb, w.Begin(acct, date(2026, 1, 31), -1904_0))
		mustDo(tb, w.Movement(Movement{
			PowensType: "transfer", BookingDate: date(2026, 2, 2), ValueDate: date(2026, 2, 3), AmountMinor: 250000,
			Label:        "VIR SEPA INST RECU DE Société Générale Crédit à la consommation — échéance n°12 (février) œuvre & fils, Straße",
			Counterparty: "Crédit Agricole Île-de-France, « Les Œuvres » S.A.",
			Reference:    "freenahi-tx-000000000123456789",
		}))
		mustDo(tb, w.Movement(Movement{
			OperationCode: "62", BookingDate: date(2026, 2, 27), AmountMinor: -0_01, Label: "frais_tenue_de_compte",
			Reference: "42", EntryNumber: 1234567, CommissionExempt: true, Unavailable: true, InternalCode: "0117",
		}))
		mustDo(tb, w.Movement(Movement{
			PowensType: "check", BookingDate: date(2026, 2, 28), AmountMinor: -190_40, RejectCode: "04",
			Label: "CHEQUE 0001234", Counterparty: "Plombier Dupont", Complements: []Complement{{"NPY", "Moi-même"}},
		}))
		_, err := w.End(date(2026, 2, 28))
		mustDo(tb, err)
	}},
	{"exponents", func(tb testing.TB, w *Writer) {
		acct := MustAccount(tb, "FR7630001007941234567890185")
		acct.Currency, acct.Exponent = "XPF", 0
		mustDo(tb, w.Begin(acct, date(2025, 12, 31), 0))
		mustDo(tb, w.Movement(Movement{PowensType: "deposit", BookingDate: date(2026, 1, 2), AmountMinor: 1500, Label: "Versement espèces"}))
		mustDo(tb, w.Movement(Movement{PowensType: "withdrawal", BookingDate: date(2026, 1, 2), AmountMinor: -1501, Label: "Retrait DAB"}))
		_, err := w.End(date(2026, 1, 2))
		mustDo(tb, err)
		acct.Currency, acct.Exponent = "TND", 3
		mustDo(tb, w.Begin(acct, date(2025, 12, 31), 12345678999))
		mustDo(tb, w.Movement(Movement{PowensType: "bank", BookingDate: date(2026, 1, 5), AmountMinor: -1176, Label: "Commission"}))
		mustDo(tb, w.Movement(Movement{PowensType: "profit", BookingDate: date(2026, 1, 5), AmountMinor: MaxAmountMinor - 12345678999 + 1176, Label: "Intérêts"}))
		_, err = w.End(date(2026, 1, 31))
		mustDo(tb, err)
	}},
	{"chained_days", func(tb testing.TB, w *Writer) {
		acct := MustAccount(tb, "FR7630006000011234567890189")
		balance := int64(100000)
		for i, typ := range []string{"summary_card", "loan_repayment", "payout", "brand_new_type"} {
			open, close := date(2026, 3, 1+i), date(2026, 3, 2+i)
			mustDo(tb, w.Begin(acct, open, balance))
			mustDo(tb, w.Movement(Movement{PowensType: typ, BookingDate: close, AmountMinor: int64(1000 * (i - 2)), Label: typ}))
			var err error
			balance, err = w.End(close)
			mustDo(tb, err)
		}
		// A day without movement: 01 and 07 carry the same balance.
		mustDo(tb, w.Begin(acct, date(2026, 3, 5), balance))
		_, err := w.End(date(2026, 3, 6))
		mustDo(tb, err)
	}},
}

func mustDo(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func TestWriter_Golden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf)
			tc.write(t, w)
			mustDo(t, w.Flush())
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				mustDo(t, os.WriteFile(path, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cfonb -update to create it)", err)
			}
			if diff := cmp.Diff(strings.Split(string(want), "\r\n"), strings.Split(buf.String(), "\r\n")); diff != "" {
				t.Fatalf("output differs from %s (-want +got):\n%s", path, diff)
			}
			// Whatever the writer produces, the strict reader accepts.
			r := NewReader(&buf)
			for {
				if _, err := r.Next(); err != nil {
					if !errors.Is(err, io.EOF) {
						t.Fatalf("reading own output: %v", err)
					}
					break
				}
			}
		})
	}
}

func TestWriter_DeterministicAndLocal(t *testing.T) {
	// time/tzdata (imported above) embeds the zone database, so this runs
	// on any machine rather than skipping where /usr/share/zoneinfo is absent.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	write := func(loc *time.Location) string {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		acct := MustAccount(t, "FR7630006000011234567890189")
		mustDo(t, w.Begin(acct, time.Date(2026, 3, 1, 0, 0, 0, 0, loc), 0))
		// Midnight in Paris is the previous evening in UTC: the date must not move.
		mustDo(t, w.Movement(Movement{BookingDate: time.Date(2026, 3, 2, 0, 0, 0, 0, loc), AmountMinor: 1, Label: "X"}))
		_, err := w.End(time.Date(2026, 3, 2, 23, 59, 0, 0, loc))
		mustDo(t, err)
		mustDo(t, w.Flush())
		return buf.String()
	}
	if got, want := write(paris), write(time.UTC); got != want {
		t.Fatalf("Paris dates give\n%s\nUTC dates give\n%s", got, want)
	}
	if !strings.Contains(write(paris), "91020326  020326X") {
		t.Fatalf("booking date moved:\n%s", write(paris))
	}
}

func TestWriter_Errors(t *testing.T) {
	acct := MustAccount(t, "FR7630006000011234567890189")
	open := func(t *testing.T) *Writer {
		w := NewWriter(&bytes.Buffer{})
		mustDo(t, w.Begin(acct, date(2026, 3, 1), 0))
		return w
	}
	ok := Movement{BookingDate: date(2026, 3, 2), AmountMinor: 1}
	tests := []struct {
		name string
		do   func(w *Writer) error
		want string
	}{
		{"MovementTooLarge", func(w *Writer) error { m := ok; m.AmountMinor = MaxAmountMinor + 1; return w.Movement(m) }, "does not fit in 14 digits"},
		{"MovementMinInt64", func(w *Writer) error { m := ok; m.AmountMinor = -1 << 63; return w.Movement(m) }, "does not fit in 14 digits"},
		{"BookedOnOpeningDate", func(w *Writer) error { m := ok; m.BookingDate = date(2026, 3, 1); return w.Movement(m) }, "is not after the old-balance date 01/03/26"},
		{"NoBookingDate", func(w *Writer) error { m := ok; m.BookingDate = time.Time{}; return w.Movement(m) }, "booking date is missing"},
		{"YearOutOfRange", func(w *Writer) error { m := ok; m.BookingDate = date(2080, 1, 1); return w.Movement(m) }, "outside 1980–2079"},
		{"BadOperationCode", func(w *Writer) error { m := ok; m.OperationCode = "5"; return w.Movement(m) }, `operation code "5"`},
		{"BadRejectCode", func(w *Writer) error { m := ok; m.RejectCode = "X1"; return w.Movement(m) }, `reject code "X1"`},
		{"BadEntryNumber", func(w *Writer) error { m := ok; m.EntryNumber = 10_000_000; return w.Movement(m) }, "entry number"},
		{"LongReference", func(w *Writer) error { m := ok; m.Reference = strings.Repeat("9", 36); return w.Movement(m) }, "longer than 35"},
		{"ComplementLIB", func(w *Writer) error { m := ok; m.Complements = []Complement{{"LIB", "x"}}; return w.Movement(m) }, "put the whole text in Label"},
		{"ComplementParty", func(w *Writer) error { m := ok; m.Complements = []Complement{{"NPY", "x"}}; return w.Movement(m) }, "put the counterparty in Counterparty"},
		{"ComplementQualifier", func(w *Writer) error { m := ok; m.Complements = []Complement{{"rcn", "x"}}; return w.Movement(m) }, "not 3 CFONB characters"},
		{"BeginTwice", func(w *Writer) error { return w.Begin(acct, date(2026, 3, 1), 0) }, "still open"},
		{"EndBeforeBooking", func(w *Writer) error {
			mustDo(t, w.Movement(Movement{BookingDate: date(2026, 3, 5), AmountMinor: 1}))
			_, err := w.End(date(2026, 3, 4))
			return err
		}, "is before 05/03/26"},
		{"ClosingTooLarge", func(w *Writer) error {
			mustDo(t, w.Movement(Movement{BookingDate: date(2026, 3, 2), AmountMinor: MaxAmountMinor}))
			mustDo(t, w.Movement(Movement{BookingDate: date(2026, 3, 2), AmountMinor: 1}))
			_, err := w.End(date(2026, 3, 4))
			return err
		}, "new balance: amount 100000000000000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do(open(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err=%v, want it to contain %q", err, tc.want)
			}
		})
	}
	t.Run("BadAccount", func(t *testing.T) {
		for _, a := range []Account{
			{BankCode: "3000", BranchCode: "00001", AccountNumber: "12345678901", Currency: "EUR", Exponent: 2},
			{BankCode: "30006", BranchCode: "00001", AccountNumber: "1234567890", Currency: "EUR", Exponent: 2},
			{BankCode: "30006", BranchCode: "00001", AccountNumber: "12345678901", Currency: "eur", Exponent: 2},
			{BankCode: "30006", BranchCode: "00001", AccountNumber: "12345678901", Currency: "EUR", Exponent: 4},
			{BankCode: "30006", BranchCode: "00001", AccountNumber: "12345678901", RIBKey: "88", Currency: "EUR", Exponent: 2},
		} {
			if err := NewWriter(&bytes.Buffer{}).Begin(a, date(2026, 3, 1), 0); err == nil {
				t.Errorf("Begin(%+v) succeeded", a)
			}
		}
	})
	t.Run("OutOfOrder", func(t *testing.T) {
		w := NewWriter(&bytes.Buffer{})
		if err := w.Movement(ok); err == nil {
			t.Error("Movement before Begin succeeded")
		}
		if _, err := w.End(date(2026, 3, 1)); err == nil {
			t.Error("End before Begin succeeded")
		}
	})
	t.Run("RefusedMovementLeavesNoTrace", func(t *testing.T) {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		mustDo(t, w.Begin(acct, date(2026, 3, 1), 0))
		m := Movement{BookingDate: date(2026, 3, 2), AmountMinor: 5, Label: "A", Counterparty: "B",
			Complements: []Complement{{"LIB", "x"}}}
		if w.Movement(m) == nil {
			t.Fatal("movement with a LIB complement succeeded")
		}
		closing, err := w.End(date(2026, 3, 2))
		mustDo(t, err)
		mustDo(t, w.Flush())
		if got, want := closing, int64(0); got != want {
			t.Fatalf("closing=%d, want %d", got, want)
		}
		if got, want := strings.Count(buf.String(), "\r\n"), 2; got != want {
			t.Fatalf("%d records, want %d:\n%s", got, want, buf.String())
		}
	})
}

func TestWriter_NoAllocationPerRecord(t *testing.T) {
	w := NewWriter(discard{})
	mustDo(t, w.Begin(MustAccount(t, "FR7630006000011234567890189"), date(2026, 3, 1), 0))
	m := Movement{PowensType: "transfer", BookingDate: date(2026, 3, 2), AmountMinor: -4590,
		Label: "Prélèvement SEPA Électricité de France contrat 1234567890 échéance mars", Counterparty: "EDF",
		Reference: "FREENAHI-TX-000000123456789"}
	if got := testing.AllocsPerRun(1000, func() { _ = w.Movement(m) }); got != 0 {
		t.Fatalf("Movement allocates %v times per call, want 0", got)
	}
}

// discard is io.Discard without the interface's pointer-identity shortcuts.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// failingWriter fails every write, as a full disk or a closed pipe would.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriter_WriteErrorSticks(t *testing.T) {
	w := NewWriter(failingWriter{})
	acct := MustAccount(t, "FR7630006000011234567890189")
	mustDo(t, w.Begin(acct, date(2026, 3, 1), 0)) // buffered: nothing reaches the writer yet
	err := w.Flush()
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Flush err=%v, want disk full", err)
	}
	if err2 := w.Movement(Movement{BookingDate: date(2026, 3, 2)}); err2 != err {
		t.Fatalf("Movement after a write error returned %v, want %v", err2, err)
	}
	if _, err2 := w.End(date(2026, 3, 2)); err2 != err {
		t.Fatalf("End after a write error returned %v, want %v", err2, err)
	}
}
