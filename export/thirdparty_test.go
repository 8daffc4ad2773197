package export_test

// Readers we did not write, from Debian's packages, read what the camt.053
// and OFX writers produce (DESIGN.md invariant 11):
//
//   - OFX: xmllint (libxml2-utils) validates every file against the OFX
//     consortium's own DTD, ofx201.dtd, as Debian's libofx7 ships it; and
//     ofxdump (package ofx, libofx) reads each transaction back. No package
//     this machine reaches ships the OFX 2.2 schema; every element our files
//     use is in 2.0.1 with the same content model.
//   - camt.053: aqbanking-cli (aqbanking-tools) imports the statement with
//     AqBanking's own camt.053 reader and we compare what it stored. No
//     package in Debian, npm or the Go module proxy ships the official
//     camt.053.001.02 XSD (searched: Debian package descriptions for camt,
//     iso20022, sepa, aqbanking, ofx, and the files of libaqbanking-data
//     and libofx7; npm's iso20022.js, which ships no schema; the Go module
//     github.com/moov-io/iso20022, which ships camt.053.001.08 only), so
//     this reader and the structural checks of xmlformats_test.go stand in
//     for schema validation.
//
// .ci/run installs the three packages; without them these tests skip on a
// developer's machine and fail in CI.

import (
	"bytes"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// ofxDTD is the OFX 2.0.1 DTD of Debian's libofx7.
const ofxDTD = "/usr/share/libofx7/libofx/dtd/ofx201.dtd"

// needTool returns the path of a program of a Debian package, or skips.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		testenv.Skip(t, "%s is not installed (apt-get install %s)", name, pkg)
	}
	return p
}

// run runs a program and returns its standard output, failing with its
// error output when it fails.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "LC_ALL=C.UTF-8", "TZ=UTC")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// writeTemp writes b to a file named name in a temporary directory.
func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// validOFX validates an OFX file against the consortium's DTD.
func validOFX(t *testing.T, path string) {
	t.Helper()
	xmllint := needTool(t, "xmllint", "libxml2-utils")
	if _, err := os.Stat(ofxDTD); err != nil {
		testenv.Skip(t, "%s is missing (apt-get install libofx7)", ofxDTD)
	}
	run(t, xmllint, "--noout", "--nonet", "--dtdvalid", ofxDTD, path)
}

// trn is a transaction as a third-party reader reports it.
type trn struct {
	id, kind, amount, posted, avail, name, memo string
}

// ofxdump reads an OFX file with libofx and returns its transactions and
// ledger balance.
func ofxdump(t *testing.T, path string) (trns []trn, ledger string) {
	t.Helper()
	out := run(t, needTool(t, "ofxdump", "ofx"), path)
	var cur *trn
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if line == "ofx_proc_transaction():" {
			trns = append(trns, trn{})
			cur = &trns[len(trns)-1]
			continue
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		switch k {
		case "Ledger balance":
			ledger = v
		}
		if cur == nil {
			continue
		}
		switch k {
		case "Financial institution's ID for this transaction":
			cur.id = v
		case "Transaction type":
			cur.kind, _, _ = strings.Cut(v, ":")
		case "Total money amount":
			cur.amount = v
		case "Date posted":
			cur.posted = ofxdumpDate(t, v)
		case "Date funds are available":
			cur.avail = ofxdumpDate(t, v)
		case "Name of payee or transaction description":
			cur.name = v
		case "Extra transaction information (memo)":
			cur.memo = v
		}
	}
	return trns, ledger
}

// ofxdumpDate turns libofx's "Mon Mar  2 10:59:00 2026 UTC" into 2026-03-02.
func ofxdumpDate(t *testing.T, s string) string {
	t.Helper()
	d, err := time.Parse("Mon Jan _2 15:04:05 2006 MST", s)
	if err != nil {
		t.Fatalf("ofxdump date %q: %v", s, err)
	}
	return d.Format(time.DateOnly)
}

// aqGroup is one group of an AqBanking context file (GWEN's text format):
// its values, percent-decoded, and its subgroups.
type aqGroup struct {
	name   string
	values map[string]string
	kids   []*aqGroup
}

// find returns the descendants of g named name, depth first.
func (g *aqGroup) find(name string) []*aqGroup {
	var out []*aqGroup
	for _, k := range g.kids {
		if k.name == name {
			out = append(out, k)
		}
		out = append(out, k.find(name)...)
	}
	return out
}

// aqImport imports a camt.053 file with AqBanking's reader and returns the
// context it stored. The profile is AqBanking's camt.053.001.04 one: every
// path it reads (Bal, Ntry, Amt, CdtDbtInd, BookgDt, ValDt, BkTxCd, RmtInf)
// is the same in camt.053.001.02; naming it skips only the namespace match.
func aqImport(t *testing.T, path string) *aqGroup {
	t.Helper()
	cli := needTool(t, "aqbanking-cli", "aqbanking-tools")
	ctx := filepath.Join(t.TempDir(), "import.ctx")
	run(t, cli, "-D", t.TempDir(), "import", "--importer=xml", "--profile=camt_053_001_04", "-f", path, "-c", ctx)
	b, err := os.ReadFile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	root := &aqGroup{values: map[string]string{}}
	stack := []*aqGroup{root}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(line, "{"):
			g := &aqGroup{name: strings.TrimSpace(strings.TrimSuffix(line, "{")), values: map[string]string{}}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, g)
			stack = append(stack, g)
		case strings.HasPrefix(line, "}"):
			stack = stack[:len(stack)-1]
		case strings.HasPrefix(line, "char "), strings.HasPrefix(line, "int "):
			_, kv, _ := strings.Cut(line, " ")
			k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
			v, err := url.PathUnescape(strings.Trim(v, `"`))
			if err != nil {
				t.Fatalf("context value %q: %v", line, err)
			}
			stack[len(stack)-1].values[k] = v
		}
	}
	return root
}

// aqAmount turns AqBanking's "123456/100:EUR" into "1234.56 EUR".
func aqAmount(t *testing.T, v string) string {
	t.Helper()
	frac, cur, _ := strings.Cut(v, ":")
	r, ok := new(big.Rat).SetString(frac)
	if !ok {
		t.Fatalf("AqBanking amount %q", v)
	}
	return r.FloatString(2) + " " + cur
}

// aqDate turns AqBanking's 20260302 into 2026-03-02.
func aqDate(v string) string {
	if len(v) != 8 {
		return v
	}
	return v[:4] + "-" + v[4:6] + "-" + v[6:]
}

// aqStatement is what AqBanking read of a camt.053 statement.
type aqStatement struct {
	iban     string
	balances []string // "date amount currency"
	trns     []trn    // id is empty: AqBanking keeps no AcctSvcrRef here
}

func readCamtWithAqBanking(t *testing.T, path string) aqStatement {
	t.Helper()
	root := aqImport(t, path)
	infos := root.find("accountInfo")
	if len(infos) != 1 {
		t.Fatalf("AqBanking read %d accounts, want 1", len(infos))
	}
	var st aqStatement
	st.iban = infos[0].values["iban"]
	for _, b := range infos[0].find("balance") {
		st.balances = append(st.balances, aqDate(b.values["date"])+" "+aqAmount(t, b.values["value"]))
	}
	for _, g := range infos[0].find("transaction") {
		st.trns = append(st.trns, trn{kind: g.values["transactionKey"], amount: aqAmount(t, g.values["value"]),
			posted: aqDate(g.values["date"]), avail: aqDate(g.values["valutaDate"]), memo: g.values["purpose"]})
	}
	return st
}

// TestThirdParty_GoldenFiles: the golden statements, as the third-party
// readers see them, hold what a person reads in the fixture by hand.
func TestThirdParty_GoldenFiles(t *testing.T) {
	t.Run("OFX", func(t *testing.T) {
		path := filepath.Join("testdata", "march.ofx")
		validOFX(t, path)
		trns, ledger := ofxdump(t, path)
		want := []trn{
			{"FREENAHI0000000000000003", "XFER", "1234.56", "2026-03-02", "2026-03-03", "ACME SA", "VIR SEPA RECU ACME SA"},
			{"FREENAHI0000000000000002", "DIRECTDEBIT", "-45.90", "2026-03-02", "", "EDF", "PRLV SEPA EDF"},
			{"FREENAHI0000000000000004", "POS", "-12.34", "2026-03-05", "", "CB CARREFOUR 04/03", "CB CARREFOUR 04/03"},
			{"FREENAHI0000000000000005", "FEE", "-3.00", "2026-03-05", "", "Commission d'intervention sur",
				"Commission d'intervention sur opération été 2026 — relevé n°3"},
			{"FREENAHI0000000000000008", "DEBIT", "-0.01", "2026-03-15", "", `=HYPERLINK("x")`, `=HYPERLINK("x")`},
		}
		if !slices.Equal(trns, want) || ledger != "2050.00" {
			t.Fatalf("libofx read ledger %s and\n%+v\nwant 2050.00 and\n%+v", ledger, trns, want)
		}
	})
	t.Run("Camt053", func(t *testing.T) {
		st := readCamtWithAqBanking(t, filepath.Join("testdata", "march.camt053.xml"))
		wantBal := []string{"2026-03-01 876.69 EUR", "2026-03-31 2050.00 EUR"}
		want := []trn{
			{"", "PMNT-RCDT-ESCT", "1234.56 EUR", "2026-03-02", "2026-03-03", "", "VIR SEPA RECU ACME SA"},
			{"", "PMNT-IDDT-ESDD", "-45.90 EUR", "2026-03-02", "2026-03-02", "", "PRLV SEPA EDF"},
			{"", "PMNT-CCRD-POSD", "-12.34 EUR", "2026-03-05", "2026-03-05", "", "CB CARREFOUR 04/03"},
			{"", "ACMT-MDOP-CHRG", "-3.00 EUR", "2026-03-05", "2026-03-05", "", "Commission d'intervention sur opération été 2026 — relevé n°3"},
			{"", "ACMT-MDOP-OTHR", "-0.01 EUR", "2026-03-15", "2026-03-15", "", `=HYPERLINK("x")`},
		}
		if st.iban != testIBAN || !slices.Equal(st.balances, wantBal) || !slices.Equal(st.trns, want) {
			t.Fatalf("AqBanking read %s, balances %q and\n%+v\nwant %s, %q and\n%+v", st.iban, st.balances, st.trns, testIBAN, wantBal, want)
		}
	})
}

// TestThirdParty_LargeStatement writes a statement of every transaction
// type with hostile wordings (markup, quotes, control characters, U+FFFF,
// Cyrillic, emoji, 300 characters, cheques) and checks, transaction by
// transaction, that the third-party readers read what was stored: the
// amounts (summed with math/big), dates, order, and that the OFX file is
// valid against the DTD. Also a card account's OFX.
func TestThirdParty_LargeStatement(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := MustFixture(t, s, "large@example.com", 81, testIBAN)
		types := []string{"transfer", "order", "check", "card", "deferred_card", "withdrawal", "deposit", "bank", "fee",
			"loan_repayment", "profit", "market_order", "unknown_new_type", "summary_card", "payout"}
		wordings := []string{"CB <script>alert('x')</script> & co", `VIR "ACME" SA`, "CHEQUE N° 7654321", "Оплата Москва",
			"🍕🍕", strings.Repeat("LOYER BUREAUX ", 22), "tab\tand\nnewline", "bell\x07 \uffff end", "PRLV SEPA EDF", "é"}
		// The same wordings as a reader must get them back, written by hand:
		// spaces collapsed, what XML cannot carry as U+FFFD, nothing lost.
		readBack := []string{"CB <script>alert('x')</script> & co", `VIR "ACME" SA`, "CHEQUE N° 7654321", "Оплата Москва",
			"🍕🍕", strings.TrimSpace(strings.Repeat("LOYER BUREAUX ", 22)), "tab and newline", "bell\ufffd \ufffd end", "PRLV SEPA EDF", "é"}
		const n = 3000
		var txs []*freenahi.Transaction
		var period big.Rat
		start := freenahi.Date{Year: 2026, Month: 1, Day: 5}
		for i := range n {
			v := int64((i*7919)%200000 - 100000)
			tt := tx(int64(9000+i), start.AddDays(i/40).String(), v, types[i%len(types)], wordings[i%len(wordings)])
			if i%3 == 0 {
				tt.VDate = start.AddDays(i/40 + 1)
			}
			period.Add(&period, big.NewRat(v, 100))
			txs = append(txs, tt)
		}
		f.sync(t, 123456, txs...)
		from, to := start.String(), start.AddDays((n-1)/40).String()
		// What the test stored, in statement order (date, then Powens id,
		// which here follows the insertion order).
		wantAmount := func(i int) string { return big.NewRat(txs[i].ValueMinor, 100).FloatString(2) }

		ofxPath := writeTemp(t, "large.ofx", exportFormat(t, s, f, freenahi.FormatOFX, from, to))
		validOFX(t, ofxPath)
		trns, ledger := ofxdump(t, ofxPath)
		if len(trns) != n || ledger != "1234.56" {
			t.Fatalf("libofx read %d transactions and ledger %s, want %d and 1234.56", len(trns), ledger, n)
		}
		var sum big.Rat
		fitids := map[string]bool{}
		for i, r := range trns {
			if r.amount != wantAmount(i) || r.posted != txs[i].Date.String() || !ourRef.MatchString(r.id) || fitids[r.id] {
				t.Fatalf("transaction %d: libofx read %+v, stored %s on %s (FITIDs must be ours and unique)", i, r, wantAmount(i), txs[i].Date)
			}
			fitids[r.id] = true
			a, _ := new(big.Rat).SetString(r.amount)
			sum.Add(&sum, a)
		}
		if sum.Cmp(&period) != 0 {
			t.Fatalf("libofx's amounts add up to %s, the stored ones to %s", sum.FloatString(2), period.FloatString(2))
		}

		camt := readCamtWithAqBanking(t, writeTemp(t, "large.xml", exportFormat(t, s, f, freenahi.FormatCamt053, from, to)))
		opening := new(big.Rat).Sub(big.NewRat(123456, 100), &period)
		wantBal := []string{from + " " + opening.FloatString(2) + " EUR", to + " 1234.56 EUR"}
		if len(camt.trns) != n || !slices.Equal(camt.balances, wantBal) {
			t.Fatalf("AqBanking read %d entries and balances %q, want %d and %q", len(camt.trns), camt.balances, n, wantBal)
		}
		for i, r := range camt.trns {
			val := txs[i].Date
			if !txs[i].VDate.IsZero() {
				val = txs[i].VDate
			}
			if r.amount != wantAmount(i)+" EUR" || r.posted != txs[i].Date.String() || r.avail != val.String() || r.memo != readBack[i%len(readBack)] {
				t.Fatalf("entry %d: AqBanking read %+v, stored %s on %s valued %s, %q", i, r, wantAmount(i), txs[i].Date, val, readBack[i%len(readBack)])
			}
		}

		card := MustFixture(t, s, "largecard@example.com", 82, testIBAN)
		card.account.Type = "card"
		card.sync(t, -4200, tx(9901, "2026-02-02", -3000, "deferred_card", "CB <LIBRAIRIE> & \"co\""),
			tx(9902, "2026-02-03", -1200, "card", "Оплата 🍕"))
		validOFX(t, writeTemp(t, "card.ofx", exportFormat(t, s, card, freenahi.FormatOFX, "2026-02-01", "2026-02-05")))
	})
}
