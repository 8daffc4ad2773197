package export

import (
	"io"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
)

// writeOFX writes d as an OFX 2.2 statement response (XML): STMTRS for a
// bank account, CCSTMTRS for a card account, its transactions oldest
// first, streamed, then LEDGERBAL, the closing balance. FITID is our
// reference, stable across exports, so importers (Kresus, Actual, Firefly,
// GnuCash, HomeBank) never import a transaction twice.
func writeOFX(w io.Writer, req freenahi.StatementRequest, d *freenahi.StatementData) (*freenahi.StatementSummary, error) {
	cur := d.Account.Currency
	card := d.Account.Type == "card"
	msgs, trnrs, stmtrs := "BANKMSGSRSV1", "STMTTRNRS", "STMTRS"
	if card {
		msgs, trnrs, stmtrs = "CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS"
	}
	head := func(x *xmlWriter) {
		// Dated by the period, not the clock, so that the bytes depend on the data alone.
		server := strconv.Itoa(req.To.Int()) + "235959"
		x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>`)
		x.raw("\n")
		x.raw(`<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>`)
		x.raw("\n")
		x.raw("<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>")
		x.raw("<DTSERVER>")
		x.raw(server)
		x.raw("</DTSERVER><LANGUAGE>FRA</LANGUAGE></SONRS></SIGNONMSGSRSV1>\n")
		x.open(msgs)
		x.open(trnrs)
		x.raw("<TRNUID>")
		x.raw(statementID(d.Account.ID, req.From, req.To))
		x.raw("</TRNUID>")
		x.raw("<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>")
		x.open(stmtrs)
		x.raw("<CURDEF>")
		x.raw(cur.Code)
		x.raw("</CURDEF>")
		x.ofxAccount(d.Account, card)
		x.raw("\n<BANKTRANLIST><DTSTART>")
		x.compactDate(req.From)
		x.raw("</DTSTART><DTEND>")
		x.compactDate(req.To)
		x.raw("</DTEND>\n")
	}
	entries := newOFXEntries(cur)
	entry := entries.write
	tail := func(x *xmlWriter) {
		x.raw("</BANKTRANLIST><LEDGERBAL><BALAMT>")
		x.amount(d.ClosingMinor, cur.Exponent, true)
		x.raw("</BALAMT><DTASOF>")
		x.compactDate(req.To)
		x.raw("</DTASOF></LEDGERBAL>")
		x.close(stmtrs)
		x.close(trnrs)
		x.close(msgs)
		x.raw("</OFX>\n")
	}
	return writeXMLStatement(w, d, head, entry, tail)
}

// ofxAccount writes BANKACCTFROM (bank id, branch, account number and key
// of a French RIB; for another IBAN its country and check digits and its
// last 22 characters) or CCACCTFROM; an account without an IBAN is named
// by our id.
func (x *xmlWriter) ofxAccount(a *freenahi.Account, card bool) {
	iban := strings.ToUpper(strings.Join(strings.Fields(a.IBAN), ""))
	bank, branch, number, key := "FREENAHI", "", "FREENAHI-"+strconv.FormatInt(a.ID, 10), ""
	if rib, err := cfonb.AccountFromIBAN(iban); err == nil {
		bank, branch, number, key = rib.BankCode, rib.BranchCode, rib.AccountNumber, rib.RIBKey
	} else if ibanShape(iban) {
		bank, number = iban[:4], iban[max(0, len(iban)-22):]
	}
	if card {
		x.raw("<CCACCTFROM><ACCTID>")
		x.raw(number)
		x.raw("</ACCTID></CCACCTFROM>")
		return
	}
	typ := "CHECKING"
	switch a.Type {
	case "savings", "deposit", "lep", "ldds", "livreta", "pel", "cel":
		typ = "SAVINGS"
	}
	x.raw("<BANKACCTFROM><BANKID>")
	x.raw(bank)
	x.raw("</BANKID>")
	if branch != "" {
		x.raw("<BRANCHID>")
		x.raw(branch)
		x.raw("</BRANCHID>")
	}
	x.raw("<ACCTID>")
	x.raw(number)
	x.raw("</ACCTID><ACCTTYPE>")
	x.raw(typ)
	x.raw("</ACCTTYPE>")
	if key != "" {
		x.raw("<ACCTKEY>")
		x.raw(key)
		x.raw("</ACCTKEY>")
	}
	x.raw("</BANKACCTFROM>")
}

// ofxEntries writes the STMTTRN of one statement; the markup of each kind
// (type and sign) is built once per statement.
type ofxEntries struct {
	cur   freenahi.Currency
	kinds *kindFragments
}

func newOFXEntries(cur freenahi.Currency) *ofxEntries {
	return &ofxEntries{cur: cur, kinds: newKindFragments(func(powensType string, minor int64) string {
		return "<STMTTRN><TRNTYPE>" + ofxType(powensType, minor) + "</TRNTYPE><DTPOSTED>"
	})}
}

// write writes one STMTTRN: NAME is the counterparty (else the label) cut
// to OFX's 32 characters at a word, MEMO the whole label (255).
func (e *ofxEntries) write(x *xmlWriter, t *freenahi.Transaction) {
	x.raw(e.kinds.get(t.Type, t.ValueMinor))
	x.compactDate(t.Date)
	x.raw("</DTPOSTED>")
	if !t.RDate.IsZero() && t.RDate != t.Date {
		x.raw("<DTUSER>")
		x.compactDate(t.RDate)
		x.raw("</DTUSER>")
	}
	if !t.VDate.IsZero() {
		x.raw("<DTAVAIL>")
		x.compactDate(t.VDate)
		x.raw("</DTAVAIL>")
	}
	x.raw("<TRNAMT>")
	x.amount(t.ValueMinor, e.cur.Exponent, true)
	x.raw("</TRNAMT><FITID>")
	x.ref(t.ID)
	x.raw("</FITID>")
	if strings.EqualFold(t.Type, "check") {
		if n := ChequeNumber(t); n > 0 {
			x.raw("<CHECKNUM>")
			x.buf = strconv.AppendInt(x.buf, int64(n), 10)
			x.raw("</CHECKNUM>")
		}
	}
	label := words(Label(t))
	plain := plainText(label) // NAME (without a counterparty) and MEMO are its start: checked once
	name, namePlain := label, plain
	if t.Counterparty != nil && words(t.Counterparty.Label) != "" {
		name = words(t.Counterparty.Label)
		namePlain = plainText(name)
	}
	if name = firstWords(name, 32); name != "" {
		x.elemPlain("NAME", name, namePlain)
	}
	if memo := firstWords(label, 255); memo != "" {
		x.elemPlain("MEMO", memo, plain)
	}
	x.raw("</STMTTRN>\n")
}

// ofxType maps a Powens type to OFX's TRNTYPE:
//
//	transfer, payout  XFER        order             DIRECTDEBIT (DIRECTDEP when money in)
//	check             CHECK       deposit           DEP
//	withdrawal        ATM         card, deferred_card  POS
//	summary_card      PAYMENT     bank, fee, market_fee  FEE (SRVCHG when money in)
//	loan_*            PAYMENT     profit            INT
//	anything else     CREDIT or DEBIT by the sign
func ofxType(powensType string, minor int64) string {
	in := minor > 0
	switch strings.ToLower(strings.TrimSpace(powensType)) {
	case "transfer", "payout":
		return "XFER"
	case "order":
		if in {
			return "DIRECTDEP"
		}
		return "DIRECTDEBIT"
	case "check":
		return "CHECK"
	case "deposit":
		return "DEP"
	case "withdrawal":
		return "ATM"
	case "card", "deferred_card":
		return "POS"
	case "summary_card", "card_summary", "loan_repayment", "loan_payment":
		return "PAYMENT"
	case "bank", "fee", "market_fee":
		if in {
			return "SRVCHG"
		}
		return "FEE"
	case "profit":
		return "INT"
	}
	if in {
		return "CREDIT"
	}
	return "DEBIT"
}
