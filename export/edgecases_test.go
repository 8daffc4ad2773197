package export_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// cfonbLine is one CFONB 120 record as an independent reader sees it: the
// zones of reference §1.3–1.6 cut by position, with no code of ours.
type cfonbLine struct {
	code, internal, opCode, date, label, entry, amount, qualifier, info string
}

// readFixedWidth splits a file into records by the letter of the reference:
// 120 characters, CRLF after each, ASCII digits, upper case, space and
// * - . / ( ) only, and cuts the zones a reader of each type needs.
func readFixedWidth(t *testing.T, b []byte) []cfonbLine {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatalf("the file does not end with CRLF")
	}
	var out []cfonbLine
	for i, rec := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(rec) != 120 {
			t.Fatalf("line %d has %d characters, want 120: %q", i+1, len(rec), rec)
		}
		for j, c := range rec {
			if !strings.ContainsRune("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ *-./(){}", c) {
				t.Fatalf("line %d column %d holds %q, outside the CFONB set", i+1, j+1, c)
			}
		}
		l := cfonbLine{code: rec[0:2], internal: rec[7:11], opCode: rec[32:34], date: rec[34:40]}
		switch l.code {
		case "04":
			l.label, l.entry, l.amount = rec[48:79], rec[81:88], rec[90:104]
		case "05":
			l.qualifier, l.info = rec[45:48], rec[48:118]
		case "01", "07":
			l.amount = rec[90:104]
		}
		out = append(out, l)
	}
	return out
}

// movementText joins a 04 label and its 05 LIB zones the way the readers
// of reference §3 show them: trimmed zones, one space between.
func movementText(lines []cfonbLine, i int) (label string, libs []string) {
	parts := []string{strings.TrimSpace(lines[i].label)}
	for j := i + 1; j < len(lines) && lines[j].code == "05"; j++ {
		if lines[j].qualifier == "LIB" {
			libs = append(libs, lines[j].info)
			parts = append(parts, strings.TrimSpace(lines[j].info))
		}
	}
	return strings.Join(parts, " "), libs
}

// longWording is 300 characters of French words, with a 12-digit invoice
// number that a cut at 31 would split.
var longWording = func() string {
	s := "FACTURE CLIENT NUMERO 0123456789012 LOYER BUREAUX PARIS ET LYON"
	for len(s) < 300 {
		s += " TRIMESTRE DEUX REGULARISATION CHARGES LOCATIVES"
	}
	return s[:299] + "X" // exactly 300, ending in a letter
}()

func TestExporter_EdgeCases(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := MustFixture(t, s, "edge@example.com", 77, testIBAN)
		cheque := tx(2004, "2026-06-04", -15000, "check", "CHEQUE N° 1234567")
		zero := tx(2005, "2026-06-04", 0, "card", "CB ANNULATION")
		f.sync(t, 100000,
			tx(2001, "2026-06-02", -4200, "card", "Оплата Москва"),
			tx(2002, "2026-06-02", -990, "card", "🍕🍕🍕"),
			tx(2003, "2026-06-03", -120000, "transfer", strings.ToLower(longWording)),
			cheque, zero,
			tx(2006, "2026-06-05", -100, "order", "Ελληνικά ΟΥΖΟ"),
			tx(2007, "2026-06-10", -700, "card", "CB DU JOUR EN COURS"),
		)
		// Wednesday 10 June 2026 in the morning: Tuesday 9 is the last bank day that has ended.
		now := time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)
		ex := &export.Exporter{Source: s, Now: func() time.Time { return now }}
		var buf bytes.Buffer
		sum, err := ex.ExportStatement(ctx, &buf, freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID,
			From: d("2026-06-01"), To: d("2026-06-30")})
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "edge-cases.cfonb", buf.Bytes())
		readAll(t, buf.Bytes()) // our strict reader agrees too
		if !sum.Stopped || sum.To != d("2026-06-09") {
			t.Fatalf("summary period ends %s (stopped %v), want 2026-06-09, stopped", sum.To, sum.Stopped)
		}
		lines := readFixedWidth(t, buf.Bytes())
		if last := lines[len(lines)-1]; last.code != "07" || last.date != "090626" {
			t.Fatalf("the file closes with %s dated %s, want a 07 of 090626 (not in the future)", last.code, last.date)
		}
		var movements []int
		for i, l := range lines {
			if l.code == "04" {
				movements = append(movements, i)
				if strings.TrimSpace(l.label) == "" {
					t.Errorf("line %d: blank 04 label", i+1)
				}
			}
			// Free-text zones start with a word; REF and other two-part zones are aligned.
			if l.code == "05" && strings.Contains("LIB NPY NBE", l.qualifier) && strings.HasPrefix(l.info, " ") {
				t.Errorf("line %d: 05 %s zone starts with a space: %q", i+1, l.qualifier, l.info)
			}
		}
		if got, want := len(movements), 6; got != want {
			t.Fatalf("%d movements, want %d (the one of 10 June waits for its day to end)", got, want)
		}
		want := []struct{ label, opCode, entry, amount string }{
			{"OPLATA MOSKVA", "11", "0000000", "0000000000420}"},
			{"PAIEMENT CB", "11", "0000000", "0000000000099}"},
			{longWording, "06", "0000000", "0000000012000}"},
			{"CHEQUE N 1234567", "01", "1234567", "0000000001500}"},
			{"CB ANNULATION", "11", "0000000", "0000000000000{"},
			{"ELLINIKA OUZO", "B1", "0000000", "0000000000010}"},
		}
		for k, i := range movements {
			label, _ := movementText(lines, i)
			l, w := lines[i], want[k]
			if label != w.label || l.opCode != w.opCode || l.entry != w.entry || l.amount != w.amount {
				t.Errorf("movement %d: label %q code %s entry %s amount %s,\nwant label %q code %s entry %s amount %s",
					k+1, label, l.opCode, l.entry, l.amount, w.label, w.opCode, w.entry, w.amount)
			}
		}
		// The 04 of the long wording shows whole words: the invoice number moved to the 05.
		if got := strings.TrimSpace(lines[movements[2]].label); got != "FACTURE CLIENT NUMERO" {
			t.Errorf("04 label %q, want the words that fit whole", got)
		}
	})
}

func TestExporter_FutureStart(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := MustFixture(t, s, "future@example.com", 78, testIBAN)
		now := time.Date(2026, 6, 10, 8, 0, 0, 0, time.UTC)
		ex := &export.Exporter{Source: s, Now: func() time.Time { return now }}
		var buf bytes.Buffer
		_, err := ex.ExportStatement(ctx, &buf, freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID,
			From: d("2026-06-10"), To: d("2026-06-30")})
		if freenahi.ErrorCode(err) != freenahi.EINVALID || buf.Len() != 0 {
			t.Fatalf("a period starting today: err %v, %d bytes; want EINVALID and nothing written", err, buf.Len())
		}
		var e *freenahi.Error
		if !errors.As(err, &e) || e.Field != "from" {
			t.Fatalf("error %v does not name the field from", err)
		}
	})
}

func TestChequeNumber(t *testing.T) {
	for _, tc := range []struct {
		wording string
		want    int
	}{
		{"CHEQUE N° 1234567", 1234567},
		{"CHQ 0001234", 1234},
		{"REMISE CHQ 8812345 DU 04/06", 8812345},
		{"Chèque n°42", 42},
		{"CHEQUE", 0},
		{"PAIEMENT 12 ET 34", 0},       // two numbers and no cheque word: ambiguous
		{"CHEQUE 12345678", 0},         // 8 digits do not fit 82–88
		{"CHQ 0000000", 0},             // zero is no number
		{"1234567", 1234567},           // the only number of a cheque's wording
		{"CHQ 55 DU 12/05/2026", 55},   // the number after the cheque word wins
		{"ЧЕК 7654321", 7654321},       // romanised wording, one number
		{"CHEQUE N° 12-34 ANNULE", 12}, // the first run after the word
	} {
		if got := export.ChequeNumber(&freenahi.Transaction{OriginalWording: tc.wording}); got != tc.want {
			t.Errorf("ChequeNumber(%q)=%d, want %d", tc.wording, got, tc.want)
		}
	}
}

// FuzzChequeNumber: any wording gives a number the entry zone can carry.
func FuzzChequeNumber(f *testing.F) {
	for _, s := range []string{"CHEQUE N° 1234567", "CHQ 99999999", "", "\xff1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n := export.ChequeNumber(&freenahi.Transaction{OriginalWording: s}); n < 0 || n > 9_999_999 {
			t.Fatalf("ChequeNumber(%q)=%d", s, n)
		}
	})
}

// TestExporter_InternalCodeBlank: positions 8–11 (the bank's internal
// operation code, which nothing from Powens gives) are spaces on every
// record of every golden CFONB file, read as raw bytes.
func TestExporter_InternalCodeBlank(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.cfonb"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden CFONB files: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(strings.TrimRight(string(b), "\r\n"), "\r\n") {
			if len(line) != 120 {
				t.Fatalf("%s line %d: %d bytes, want 120", name, i+1, len(line))
			}
			if line[7:11] != "    " {
				t.Fatalf("%s line %d: positions 8–11 hold %q, want spaces", name, i+1, line[7:11])
			}
		}
	}
}
