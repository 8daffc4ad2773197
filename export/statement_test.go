package export_test

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the golden file:\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

func mustExport(t *testing.T, s *store.Store, req freenahi.StatementRequest) ([]byte, *freenahi.StatementSummary) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := (&export.Exporter{Source: s}).ExportStatement(ctx, &buf, req)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), sum
}

// readAll reads a CFONB file with the strict reader, chaining checked.
func readAll(t *testing.T, b []byte) []*cfonb.Statement {
	t.Helper()
	r := cfonb.NewReader(bytes.NewReader(b))
	var out []*cfonb.Statement
	for {
		st, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("the strict reader refuses the file: %v\n%s", err, b)
		}
		out = append(out, st)
	}
}

func TestExporter_Statements(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := marchFixture(t, s)
		req := freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID, From: d("2026-03-01"), To: d("2026-03-31")}

		t.Run("PerDay", func(t *testing.T) {
			b, sum := mustExport(t, s, req)
			golden(t, "march-per-day.cfonb", b)
			sts := readAll(t, b)
			if got, want := len(sts), 3; got != want || sum.Statements != want {
				t.Fatalf("%d statements (summary %d), want %d, one per bank day with movements", got, sum.Statements, want)
			}
			if sum.OpeningMinor != 87669 || sum.ClosingMinor != 205000 || sum.Movements != 5 {
				t.Fatalf("summary %+v, want opening 876.69, closing 2050.00, 5 movements", sum)
			}
			checkRoundTrip(t, sts, 87669, 205000, []int64{123456, -4590, -1234, -300, -1})
			if first, last := sts[0].OpeningDate.Format("2006-01-02"), sts[len(sts)-1].ClosingDate.Format("2006-01-02"); first != "2026-02-28" || last != "2026-03-31" {
				t.Fatalf("statements run %s → %s, want 2026-02-28 → 2026-03-31 so consecutive months chain", first, last)
			}
		})
		t.Run("PerPeriod", func(t *testing.T) {
			r := req
			r.PerPeriod = true
			b, _ := mustExport(t, s, r)
			golden(t, "march-per-period.cfonb", b)
			sts := readAll(t, b)
			if len(sts) != 1 {
				t.Fatalf("%d statements, want 1", len(sts))
			}
			checkRoundTrip(t, sts, 87669, 205000, []int64{123456, -4590, -1234, -300, -1})
		})
		t.Run("CSV", func(t *testing.T) {
			r := req
			r.Format = freenahi.FormatCSV
			b, _ := mustExport(t, s, r)
			golden(t, "march.csv", b)
			r.Separator = ','
			b, _ = mustExport(t, s, r)
			if !strings.HasPrefix(string(b), "date,value_date,amount,") {
				t.Fatalf("comma CSV starts %q", b[:40])
			}
		})
		t.Run("ConsecutivePeriodsChain", func(t *testing.T) {
			feb, _ := mustExport(t, s, freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID, From: d("2026-02-01"), To: d("2026-02-28")})
			mar, _ := mustExport(t, s, req)
			apr, _ := mustExport(t, s, freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID, From: d("2026-04-01"), To: d("2026-04-30")})
			// The reader checks that each statement opens where the one before closed.
			sts := readAll(t, append(append(feb, mar...), apr...))
			if got := sts[len(sts)-1].ClosingMinor; got != 200000 {
				t.Fatalf("April closes at %d, want the stored balance 2000.00", got)
			}
		})
		t.Run("EmptyPeriod", func(t *testing.T) {
			b, sum := mustExport(t, s, freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID, From: d("2026-03-20"), To: d("2026-03-25")})
			sts := readAll(t, b)
			if len(sts) != 1 || len(sts[0].Movements) != 0 || sts[0].OpeningMinor != sts[0].ClosingMinor || sum.ClosingMinor != 205000 {
				t.Fatalf("empty period: %d statements, summary %+v; want one 01+07 at 2050.00", len(sts), sum)
			}
		})
		t.Run("Deterministic", func(t *testing.T) {
			a, _ := mustExport(t, s, req)
			// A later sync adding a transaction after the period changes the
			// stored balance by the same amount: the period's file is the same.
			f.sync(t, 190000, tx(1010, "2026-04-05", -10000, "card", "CB LATER"))
			b, _ := mustExport(t, s, req)
			if !bytes.Equal(a, b) {
				t.Fatal("the same period exported twice gives different bytes")
			}
		})
	})
}

// checkRoundTrip checks what the reader got back: balances, chaining and
// the movements' amounts, references and labels.
func checkRoundTrip(t *testing.T, sts []*cfonb.Statement, opening, closing int64, amounts []int64) {
	t.Helper()
	if sts[0].OpeningMinor != opening || sts[len(sts)-1].ClosingMinor != closing {
		t.Fatalf("balances %d → %d, want %d → %d", sts[0].OpeningMinor, sts[len(sts)-1].ClosingMinor, opening, closing)
	}
	var got []int64
	for i, st := range sts {
		if i > 0 && (st.OpeningMinor != sts[i-1].ClosingMinor || !st.OpeningDate.Equal(sts[i-1].ClosingDate)) {
			t.Fatalf("statement %d does not open where %d closed", i+1, i)
		}
		if st.Account.BankCode != "30006" || st.Account.BranchCode != "00001" || st.Account.AccountNumber != "12345678901" {
			t.Fatalf("statement %d is for %+v", i+1, st.Account)
		}
		for _, m := range st.Movements {
			got = append(got, m.AmountMinor)
			if !strings.HasPrefix(m.Reference, "FREENAHI") || len(m.Reference) != 24 {
				t.Fatalf("reference %q does not carry our id", m.Reference)
			}
		}
	}
	if len(got) != len(amounts) {
		t.Fatalf("amounts %v, want %v", got, amounts)
	}
	for i := range got {
		if got[i] != amounts[i] {
			t.Fatalf("amounts %v, want %v (by date, then Powens id)", got, amounts)
		}
	}
}

func TestExporter_Identity(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	noIBAN := MustFixture(t, s, "noiban@example.com", 50, "")
	noIBAN.sync(t, 1000, tx(1, "2026-03-02", 1000, "transfer", "VIR"))
	german := MustFixture(t, s, "de@example.com", 51, "DE89370400440532013000")
	german.sync(t, 0)
	period := func(f *fixture) freenahi.StatementRequest {
		return freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID, From: d("2026-03-01"), To: d("2026-03-31")}
	}
	for _, c := range []struct {
		name string
		req  freenahi.StatementRequest
		want string // in the message; "" means success
		code string // of the refusal; "" means EINVALID
	}{
		{"NoIBAN", period(noIBAN), "has no IBAN", ""},
		{"Foreign", period(german), "is from DE, not France or Monaco", ""},
		{"RIBOverride", func() freenahi.StatementRequest { r := period(noIBAN); r.RIB = "30006 00001 12345678901 89"; return r }(), "", ""},
		{"RIBWithoutKey", func() freenahi.StatementRequest { r := period(german); r.RIB = "300060000112345678901"; return r }(), "", ""},
		{"IBANOverride", func() freenahi.StatementRequest {
			r := period(german)
			r.RIB = "FR76 3000 6000 0112 3456 7890 189"
			return r
		}(), "", ""},
		{"BadKey", func() freenahi.StatementRequest { r := period(noIBAN); r.RIB = "30006 00001 12345678901 88"; return r }(), "key 88 does not match", ""},
		{"CSVNeedsNoIBAN", func() freenahi.StatementRequest { r := period(german); r.Format = freenahi.FormatCSV; return r }(), "", ""},
		{"ToBeforeFrom", func() freenahi.StatementRequest { r := period(noIBAN); r.To = d("2026-02-01"); return r }(), "is before the start date", ""},
		{"NotYours", func() freenahi.StatementRequest { r := period(noIBAN); r.UserID = german.user.ID; return r }(), "not found", freenahi.ENOTFOUND},
		{"TooOld", func() freenahi.StatementRequest { r := period(noIBAN); r.From = d("1979-12-31"); return r }(), "first date CFONB 120", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := (&export.Exporter{Source: s}).ExportStatement(ctx, &buf, c.req)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(freenahi.ErrorMessage(err), c.want) {
				t.Fatalf("err=%v, want a message with %q", err, c.want)
			}
			if got, want := freenahi.ErrorCode(err), cmp.Or(c.code, freenahi.EINVALID); got != want {
				t.Fatalf("code %q, want %q", got, want)
			}
			if buf.Len() != 0 {
				t.Fatalf("a refused export wrote %d bytes", buf.Len())
			}
		})
	}
}

// TestExporter_Pages crosses keyset page boundaries inside one day: every
// transaction comes out once, by date then Powens id.
func TestExporter_Pages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := MustFixture(t, s, "pages@example.com", 52, testIBAN)
		var txs []*freenahi.Transaction
		for i := range 11000 {
			// Powens ids out of insertion order, two days of 5,200 rows (a
			// page is 5,000) and one of 600.
			pid := int64((i*7919)%11000 + 1)
			date := []string{"2026-03-02", "2026-03-03", "2026-03-04"}[min(i/5200, 2)]
			txs = append(txs, tx(pid, date, int64(i+1), "card", "CB"))
		}
		f.sync(t, 0, txs...)
		var buf bytes.Buffer
		sum, err := (&export.Exporter{Source: s}).ExportStatement(ctx, &buf, freenahi.StatementRequest{UserID: f.user.ID,
			AccountID: f.account.ID, From: d("2026-03-01"), To: d("2026-03-31"), Format: freenahi.FormatCSV})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\r\n")[1:]
		if len(lines) != 11000 || sum.Movements != 11000 {
			t.Fatalf("%d rows, want 11000", len(lines))
		}
		seen := map[string]bool{}
		prev := ""
		for _, l := range lines {
			fields := strings.Split(l, ";")
			key := fields[0] + "/" + fmt.Sprintf("%08s", fields[10])
			if key <= prev || seen[key] {
				t.Fatalf("row %s after %s: not by date then Powens id", key, prev)
			}
			seen[key], prev = true, key
		}
	})
}

// TestExporter_SparseYears crosses date windows with nothing in them.
func TestExporter_SparseYears(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := MustFixture(t, s, "sparse@example.com", 53, testIBAN)
		f.sync(t, 600, tx(3, "2026-03-01", 300, "transfer", "C"), tx(1, "2020-01-01", 100, "transfer", "A"),
			tx(2, "2023-06-15", 200, "transfer", "B"))
		b, sum := mustExport(t, s, freenahi.StatementRequest{UserID: f.user.ID, AccountID: f.account.ID,
			From: d("2019-12-01"), To: d("2026-12-31"), Format: freenahi.FormatCSV})
		lines := strings.Split(strings.TrimSpace(string(b)), "\r\n")
		if len(lines) != 4 || !strings.Contains(lines[1], ";A;") || !strings.Contains(lines[3], ";C;") || sum.OpeningMinor != 0 {
			t.Fatalf("sparse export: %q, summary %+v", lines, sum)
		}
	})
}
