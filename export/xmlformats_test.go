package export_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// node is a generic XML element: the independent reader of these tests
// knows element names and text, nothing of the writer's code.
type node struct {
	name  string
	attrs map[string]string
	text  string
	kids  []*node
}

// parseXML reads a whole document into nodes with encoding/xml's tokenizer,
// which refuses a document that is not well-formed.
func parseXML(t *testing.T, b []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if tok.Name.Local == "Document" {
				n.attrs["xmlns"] = tok.Name.Space
			}
			if len(stack) > 0 {
				stack[len(stack)-1].kids = append(stack[len(stack)-1].kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	return root
}

// all returns the descendants of n at path (names separated by /).
func (n *node) all(path string) []*node {
	cur := []*node{n}
	for _, name := range strings.Split(path, "/") {
		var next []*node
		for _, c := range cur {
			for _, k := range c.kids {
				if k.name == name {
					next = append(next, k)
				}
			}
		}
		cur = next
	}
	return cur
}

// one returns the only descendant at path, or fails.
func (n *node) one(t *testing.T, path string) *node {
	t.Helper()
	got := n.all(path)
	if len(got) != 1 {
		t.Fatalf("%s/%s: %d elements, want 1", n.name, path, len(got))
	}
	return got[0]
}

// inOrder checks that n's children appear in the order of the schema's
// sequence (order lists every element the sequence allows).
func inOrder(t *testing.T, n *node, order ...string) {
	t.Helper()
	last := -1
	for _, k := range n.kids {
		i := slices.Index(order, k.name)
		if i < 0 {
			t.Fatalf("%s holds <%s>, which its schema sequence does not allow", n.name, k.name)
		}
		if i < last {
			t.Fatalf("%s: <%s> comes after <%s>, against the schema's order", n.name, k.name, order[last])
		}
		last = i
	}
}

// Element sequences of camt.053.001.02, copied from the schema's
// complexTypes (AccountStatement2, CashBalance3, ReportEntry2,
// EntryTransaction2, BankTransactionCodeStructure4).
var (
	camtStmt    = []string{"Id", "ElctrncSeqNb", "LglSeqNb", "CreDtTm", "FrToDt", "CpyDplctInd", "RptgSrc", "Acct", "RltdAcct", "Intrst", "Bal", "TxsSummry", "Ntry", "AddtlStmtInf"}
	camtBal     = []string{"Tp", "CdtLine", "Amt", "CdtDbtInd", "Dt", "Avlbty"}
	camtNtry    = []string{"NtryRef", "Amt", "CdtDbtInd", "RvslInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef", "Avlbty", "BkTxCd", "ComssnWvrInd", "AddtlInfInd", "AmtDtls", "Chrgs", "TechInptChanl", "Intrst", "NtryDtls", "AddtlNtryInf"}
	camtTxDtls  = []string{"Refs", "AmtDtls", "Avlbty", "BkTxCd", "Chrgs", "Intrst", "RltdPties", "RltdAgts", "Purp", "RltdRmtInf", "RmtInf", "RltdDts", "RltdPric", "RltdQties", "FinInstrmId", "Tax", "RtrInf", "CorpActn", "SfkpgAcct", "AddtlTxInf"}
	camtBkTxCd  = []string{"Domn", "Prtry"}
	camtAmount  = regexp.MustCompile(`^[0-9]{1,13}(\.[0-9]{1,5})?$`)
	camtDate    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	camtCodes   = regexp.MustCompile(`^[A-Z]{4}$`)
	ourRef      = regexp.MustCompile(`^FREENAHI[0-9]{16}$`)
	ofxSigned   = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)
	ofxDate     = regexp.MustCompile(`^[0-9]{8}$`)
	ofxTrnTypes = []string{"CREDIT", "DEBIT", "INT", "DIV", "FEE", "SRVCHG", "DEP", "ATM", "POS", "XFER", "CHECK", "PAYMENT", "CASH", "DIRECTDEP", "DIRECTDEBIT", "REPEATPMT", "OTHER"}
)

// rat reads a decimal amount exactly.
func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("amount %q is not a decimal", s)
	}
	return r
}

func exportFormat(t *testing.T, s *store.Store, f *fixture, format, from, to string) []byte {
	t.Helper()
	var buf bytes.Buffer
	now := func() time.Time { return time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC) }
	_, err := (&export.Exporter{Source: s, Now: now}).ExportStatement(ctx, &buf, freenahi.StatementRequest{UserID: f.user.ID,
		AccountID: f.account.ID, From: d(from), To: d(to), Format: format})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExporter_Camt053(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := marchFixture(t, s)
		b := exportFormat(t, s, f, freenahi.FormatCamt053, "2026-03-01", "2026-03-31")
		golden(t, "march.camt053.xml", b)
		if again := exportFormat(t, s, f, freenahi.FormatCamt053, "2026-03-01", "2026-03-31"); !bytes.Equal(b, again) {
			t.Fatal("two exports of the same data differ")
		}
		doc := parseXML(t, b)
		if doc.name != "Document" || doc.attrs["xmlns"] != "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" {
			t.Fatalf("root <%s xmlns=%q>", doc.name, doc.attrs["xmlns"])
		}
		hdr := doc.one(t, "BkToCstmrStmt/GrpHdr")
		if id := hdr.one(t, "MsgId").text; id == "" || len(id) > 35 {
			t.Fatalf("MsgId %q", id)
		}
		st := doc.one(t, "BkToCstmrStmt/Stmt")
		inOrder(t, st, camtStmt...)
		if got := st.one(t, "Acct/Id/IBAN").text; got != testIBAN {
			t.Fatalf("IBAN %q", got)
		}
		// Balances read off the fixture by hand: 2,000.00 stored after the
		// sync, 50.00 withdrawn on 2 April (after the period), so March
		// closes at 2,050.00; March's booked movements add up to 1,173.31.
		bals := map[string]string{}
		for _, bal := range st.all("Bal") {
			inOrder(t, bal, camtBal...)
			code := bal.one(t, "Tp/CdOrPrtry/Cd").text
			amt := bal.one(t, "Amt")
			if amt.attrs["Ccy"] != "EUR" || !camtAmount.MatchString(amt.text) || bal.one(t, "CdtDbtInd").text != "CRDT" {
				t.Fatalf("balance %s: %+v", code, amt)
			}
			bals[code] = amt.text + " " + bal.one(t, "Dt/Dt").text
		}
		if bals["OPBD"] != "876.69 2026-03-01" || bals["CLBD"] != "2050.00 2026-03-31" {
			t.Fatalf("balances %v", bals)
		}
		sum := rat(t, "876.69")
		refs := map[string]bool{}
		entries := st.all("Ntry")
		if len(entries) != 5 {
			t.Fatalf("%d entries, want the 5 booked, non-deleted ones of March", len(entries))
		}
		for _, n := range entries {
			inOrder(t, n, camtNtry...)
			amt := n.one(t, "Amt")
			if amt.attrs["Ccy"] != "EUR" || !camtAmount.MatchString(amt.text) || n.one(t, "Sts").text != "BOOK" {
				t.Fatalf("entry amount %+v", amt)
			}
			switch n.one(t, "CdtDbtInd").text {
			case "CRDT":
				sum.Add(sum, rat(t, amt.text))
			case "DBIT":
				sum.Sub(sum, rat(t, amt.text))
			default:
				t.Fatal("CdtDbtInd is not CRDT or DBIT")
			}
			for _, p := range []string{"BookgDt/Dt", "ValDt/Dt"} {
				if !camtDate.MatchString(n.one(t, p).text) {
					t.Fatalf("%s %q", p, n.one(t, p).text)
				}
			}
			ref := n.one(t, "AcctSvcrRef").text
			if !ourRef.MatchString(ref) || refs[ref] {
				t.Fatalf("AcctSvcrRef %q is not ours or repeats", ref)
			}
			refs[ref] = true
			code := n.one(t, "BkTxCd")
			inOrder(t, code, camtBkTxCd...)
			for _, p := range []string{"Domn/Cd", "Domn/Fmly/Cd", "Domn/Fmly/SubFmlyCd"} {
				if !camtCodes.MatchString(code.one(t, p).text) {
					t.Fatalf("%s %q", p, code.one(t, p).text)
				}
			}
			tx := n.one(t, "NtryDtls/TxDtls")
			inOrder(t, tx, camtTxDtls...)
			for _, u := range tx.all("RmtInf/Ustrd") {
				if c := utf8.RuneCountInString(u.text); c == 0 || c > 140 {
					t.Fatalf("Ustrd of %d characters", c)
				}
			}
		}
		if sum.Cmp(rat(t, "2050.00")) != 0 {
			t.Fatalf("OPBD + entries = %s, want CLBD 2050.00", sum.FloatString(2))
		}
		// Hand-read from the fixture: ACME's transfer is a SEPA credit
		// transfer received, from ACME SA, valued on 3 March.
		acme := entries[0]
		if acme.one(t, "Amt").text != "1234.56" || acme.one(t, "ValDt/Dt").text != "2026-03-03" ||
			acme.one(t, "BkTxCd/Domn/Fmly/Cd").text != "RCDT" || acme.one(t, "NtryDtls/TxDtls/RltdPties/Dbtr/Nm").text != "ACME SA" {
			t.Fatalf("first entry is not ACME's transfer as the fixture has it:\n%s", b)
		}
	})
}

func TestExporter_XMLFormatsKeepText(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := MustFixture(t, s, "text@example.com", 79, testIBAN)
		long := strings.Repeat("Loyer <bureaux> & charges ", 12) // 312 characters, markup inside
		f.sync(t, 10000, tx(3001, "2026-06-02", -4200, "card", "Оплата Москва 🍕"),
			tx(3002, "2026-06-03", -100, "transfer", long),
			tx(3003, "2026-06-04", -15000, "check", "CHEQUE N° 1234567"))
		camt := parseXML(t, exportFormat(t, s, f, freenahi.FormatCamt053, "2026-06-01", "2026-06-05"))
		entries := camt.all("BkToCstmrStmt/Stmt/Ntry")
		var texts []string
		for _, n := range entries {
			var parts []string
			for _, u := range n.all("NtryDtls/TxDtls/RmtInf/Ustrd") {
				parts = append(parts, u.text)
			}
			texts = append(texts, strings.Join(parts, " "))
		}
		want := []string{"Оплата Москва 🍕", strings.TrimSpace(long), "CHEQUE N° 1234567"}
		if !slices.Equal(texts, want) {
			t.Fatalf("camt.053 texts %q,\nwant %q", texts, want)
		}
		if n := len(entries[1].all("NtryDtls/TxDtls/RmtInf/Ustrd")); n != 3 {
			t.Fatalf("the 312-character wording takes %d Ustrd, want 3", n)
		}

		ofx := parseXML(t, exportFormat(t, s, f, freenahi.FormatOFX, "2026-06-01", "2026-06-05"))
		trns := ofx.all("BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN")
		if len(trns) != 3 {
			t.Fatalf("%d STMTTRN, want 3", len(trns))
		}
		if got := trns[2].one(t, "CHECKNUM").text; got != "1234567" || trns[2].one(t, "TRNTYPE").text != "CHECK" {
			t.Fatalf("cheque: CHECKNUM %q", got)
		}
		if got := trns[0].one(t, "MEMO").text; got != "Оплата Москва 🍕" {
			t.Fatalf("MEMO %q", got)
		}
		if got := trns[1].one(t, "NAME").text; utf8.RuneCountInString(got) > 32 || !strings.HasPrefix(long, got) || strings.HasSuffix(got, " ") {
			t.Fatalf("NAME %q is not the start of the wording cut at a word within 32 characters", got)
		}
	})
}

func TestExporter_OFX(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := marchFixture(t, s)
		b := exportFormat(t, s, f, freenahi.FormatOFX, "2026-03-01", "2026-03-31")
		golden(t, "march.ofx", b)
		if !bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>`+"\n"+`<?OFX OFXHEADER="200" VERSION="220"`)) {
			t.Fatalf("not an OFX 2.2 header:\n%s", b[:120])
		}
		doc := parseXML(t, b)
		rs := doc.one(t, "BANKMSGSRSV1/STMTTRNRS/STMTRS")
		acct := rs.one(t, "BANKACCTFROM")
		// The RIB inside testIBAN, read by hand: bank 30006, branch 00001, account 12345678901, key 89.
		if got := acct.one(t, "BANKID").text + " " + acct.one(t, "BRANCHID").text + " " + acct.one(t, "ACCTID").text + " " +
			acct.one(t, "ACCTKEY").text + " " + acct.one(t, "ACCTTYPE").text; got != "30006 00001 12345678901 89 CHECKING" {
			t.Fatalf("account %q", got)
		}
		if rs.one(t, "CURDEF").text != "EUR" || rs.one(t, "LEDGERBAL/BALAMT").text != "2050.00" || rs.one(t, "LEDGERBAL/DTASOF").text != "20260331" {
			t.Fatalf("currency or ledger balance wrong:\n%s", b)
		}
		sum := rat(t, "876.69")
		fitids := map[string]bool{}
		for _, trn := range rs.all("BANKTRANLIST/STMTTRN") {
			if typ := trn.one(t, "TRNTYPE").text; !slices.Contains(ofxTrnTypes, typ) {
				t.Fatalf("TRNTYPE %q", typ)
			}
			amt := trn.one(t, "TRNAMT").text
			if !ofxSigned.MatchString(amt) || !ofxDate.MatchString(trn.one(t, "DTPOSTED").text) {
				t.Fatalf("TRNAMT %q or DTPOSTED %q", amt, trn.one(t, "DTPOSTED").text)
			}
			sum.Add(sum, rat(t, amt))
			id := trn.one(t, "FITID").text
			if !ourRef.MatchString(id) || fitids[id] {
				t.Fatalf("FITID %q", id)
			}
			fitids[id] = true
			if name := trn.one(t, "NAME").text; utf8.RuneCountInString(name) > 32 {
				t.Fatalf("NAME %q is longer than 32", name)
			}
		}
		if len(fitids) != 5 || sum.Cmp(rat(t, "2050.00")) != 0 {
			t.Fatalf("%d transactions adding up to %s from 876.69, want 5 and 2050.00", len(fitids), sum.FloatString(2))
		}
		// FITIDs are stable: another period that holds the same transactions names them the same.
		wider := parseXML(t, exportFormat(t, s, f, freenahi.FormatOFX, "2026-02-01", "2026-04-30"))
		for _, trn := range wider.all("BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN") {
			delete(fitids, trn.one(t, "FITID").text)
		}
		if len(fitids) != 0 {
			t.Fatalf("FITIDs %v changed with the period", fitids)
		}
	})
}

func TestExporter_OFXCard(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		f := MustFixture(t, s, "card@example.com", 80, testIBAN)
		f.account.Type = "card"
		f.sync(t, -3000, tx(4001, "2026-06-02", -3000, "deferred_card", "CB LIBRAIRIE"))
		doc := parseXML(t, exportFormat(t, s, f, freenahi.FormatOFX, "2026-06-01", "2026-06-05"))
		rs := doc.one(t, "CREDITCARDMSGSRSV1/CCSTMTTRNRS/CCSTMTRS")
		if rs.one(t, "CCACCTFROM/ACCTID").text != "12345678901" || rs.one(t, "LEDGERBAL/BALAMT").text != "-30.00" ||
			rs.one(t, "BANKTRANLIST/STMTTRN/TRNTYPE").text != "POS" {
			t.Fatal("card statement wrong")
		}
	})
}
