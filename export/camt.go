package export

import (
	"io"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
)

// camtNamespace is the namespace of ISO 20022 camt.053.001.02
// (BankToCustomerStatementV02), the version French banks deliver.
const camtNamespace = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"

// writeCamt053 writes d as one camt.053.001.02 statement: opening (OPBD)
// and closing (CLBD) booked balances, then one booked entry per
// transaction, oldest first, streamed. Element order follows the schema.
func writeCamt053(w io.Writer, req freenahi.StatementRequest, d *freenahi.StatementData) (*freenahi.StatementSummary, error) {
	cur := d.Account.Currency
	head := func(x *xmlWriter) {
		id := statementID(d.Account.ID, req.From, req.To)
		// The document is dated by its period, not by the clock, so the same
		// data always gives the same bytes.
		created := req.To.String() + "T23:59:59"
		x.raw(`<?xml version="1.0" encoding="UTF-8"?>`)
		x.raw("\n")
		x.raw(`<Document xmlns="`)
		x.raw(camtNamespace)
		x.raw(`"><BkToCstmrStmt>`)
		x.raw("<GrpHdr><MsgId>")
		x.raw(id)
		x.raw("</MsgId><CreDtTm>")
		x.raw(created)
		x.raw("</CreDtTm></GrpHdr>\n")
		x.raw("<Stmt><Id>")
		x.raw(id)
		x.raw("</Id><CreDtTm>")
		x.raw(created)
		x.raw("</CreDtTm>")
		x.raw("<FrToDt><FrDtTm>")
		x.raw(req.From.String())
		x.raw("T00:00:00</FrDtTm><ToDtTm>")
		x.raw(created)
		x.raw("</ToDtTm></FrToDt>")
		x.camtAccount(d.Account)
		x.balance("OPBD", d.ClosingMinor-d.PeriodMinor, cur, req.From)
		x.balance("CLBD", d.ClosingMinor, cur, req.To)
	}
	entries := newCamtEntries(cur)
	entry := entries.write
	tail := func(x *xmlWriter) { x.raw("</Stmt></BkToCstmrStmt></Document>\n") }
	return writeXMLStatement(w, d, head, entry, tail)
}

// camtAccount writes Acct: the IBAN (else our id), currency and name.
func (x *xmlWriter) camtAccount(a *freenahi.Account) {
	x.raw("<Acct><Id>")
	if iban := strings.ToUpper(strings.Join(strings.Fields(a.IBAN), "")); ibanShape(iban) {
		x.raw("<IBAN>")
		x.raw(iban)
		x.raw("</IBAN>")
	} else {
		x.raw("<Othr><Id>FREENAHI-ACCOUNT-" + strconv.FormatInt(a.ID, 10) + "</Id></Othr>")
	}
	x.raw("</Id><Ccy>")
	x.raw(a.Currency.Code)
	x.raw("</Ccy>")
	if name := firstWords(words(a.Name), 70); name != "" {
		x.elem("Nm", name)
	}
	x.raw("</Acct>\n")
}

// statementID names a statement by account and period (Max35Text).
func statementID(accountID int64, from, to freenahi.Date) string {
	return "FREENAHI-" + strconv.FormatInt(accountID, 10) + "-" + strconv.Itoa(from.Int()) + "-" + strconv.Itoa(to.Int())
}

// ibanShape reports whether s looks like an IBAN (the schema's pattern).
func ibanShape(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter, digit := c >= 'A' && c <= 'Z', c >= '0' && c <= '9'
		if (i < 2 && !letter) || (i >= 2 && i < 4 && !digit) || (!letter && !digit) {
			return false
		}
	}
	return true
}

// balance writes a booked balance: the amount is unsigned, its side says
// CRDT (in the holder's favour) or DBIT (overdrawn).
func (x *xmlWriter) balance(code string, minor int64, cur freenahi.Currency, d freenahi.Date) {
	x.raw("<Bal><Tp><CdOrPrtry><Cd>")
	x.raw(code)
	x.raw("</Cd></CdOrPrtry></Tp><Amt Ccy=\"")
	x.raw(cur.Code)
	x.raw("\">")
	x.amount(minor, cur.Exponent, false)
	x.raw("</Amt><CdtDbtInd>")
	x.raw(side(minor))
	x.raw("</CdtDbtInd><Dt><Dt>")
	x.isoDate(d)
	x.raw("</Dt></Dt></Bal>\n")
}

// side is CdtDbtInd: zero counts as a credit, like a zero balance.
func side(minor int64) string {
	if minor < 0 {
		return "DBIT"
	}
	return "CRDT"
}

// camtEntries writes the entries of one statement. The markup that
// depends only on the currency, or on a transaction's kind (type and sign),
// is built once per statement: an entry appends it.
type camtEntries struct {
	cur   freenahi.Currency
	open  string    // <Ntry><Amt Ccy="EUR">
	side  [2]string // after the amount, up to the booking date: credit, debit
	kinds *kindFragments
}

func newCamtEntries(cur freenahi.Currency) *camtEntries {
	sideOf := func(s string) string {
		return "</Amt><CdtDbtInd>" + s + "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>"
	}
	return &camtEntries{cur: cur, open: `<Ntry><Amt Ccy="` + cur.Code + `">`,
		side: [2]string{sideOf(side(0)), sideOf(side(-1))}, kinds: newKindFragments(camtKind)}
}

// camtKind is the markup between an entry's two references: the bank
// transaction code mapped from the Powens type (camtCode), with the CFONB
// operation code as the proprietary code, the way French banks fill both.
func camtKind(powensType string, minor int64) string {
	c := camtCode(powensType, minor)
	return "</AcctSvcrRef><BkTxCd><Domn><Cd>" + c.domain + "</Cd><Fmly><Cd>" + c.family + "</Cd><SubFmlyCd>" + c.sub +
		"</SubFmlyCd></Fmly></Domn><Prtry><Cd>" + cfonb.OperationCode(powensType, minor) +
		"</Cd><Issr>CFONB</Issr></Prtry></BkTxCd><NtryDtls><TxDtls><Refs><AcctSvcrRef>"
}

// write writes one booked transaction. AcctSvcrRef carries our reference
// (the one the CFONB 05 REF carries).
func (e *camtEntries) write(x *xmlWriter, t *freenahi.Transaction) {
	x.raw(e.open)
	x.amount(t.ValueMinor, e.cur.Exponent, false)
	if t.ValueMinor < 0 {
		x.raw(e.side[1])
	} else {
		x.raw(e.side[0])
	}
	x.isoDate(t.Date)
	x.raw("</Dt></BookgDt><ValDt><Dt>")
	if t.VDate.IsZero() {
		x.isoDate(t.Date)
	} else {
		x.isoDate(t.VDate)
	}
	x.raw("</Dt></ValDt><AcctSvcrRef>")
	x.ref(t.ID)
	x.raw(e.kinds.get(t.Type, t.ValueMinor))
	x.ref(t.ID)
	x.raw("</AcctSvcrRef></Refs>")
	label := words(Label(t))
	if t.Counterparty != nil {
		e.party(x, words(t.Counterparty.Label), t.ValueMinor)
	}
	plain := plainText(label) // the label shows twice, whole or in pieces: checked once
	if label != "" {
		// Ustrd repeats: a long wording continues whole, 140 characters at a time.
		x.raw("<RmtInf>")
		if len(label) <= 140 {
			x.elemPlain("Ustrd", label, plain) // bytes bound characters: one piece, no slice to build
		} else {
			for _, part := range cutWords(label, 140) {
				x.elemPlain("Ustrd", part, plain)
			}
		}
		x.raw("</RmtInf>")
	}
	x.raw("</TxDtls></NtryDtls>")
	if label != "" {
		x.elemPlain("AddtlNtryInf", firstWords(label, 500), plain)
	}
	x.raw("</Ntry>\n")
}

// party writes RltdPties, the other party when it has a name: the debtor
// paid us, the creditor was paid.
func (e *camtEntries) party(x *xmlWriter, name string, minor int64) {
	if name == "" {
		return
	}
	if minor >= 0 {
		x.raw("<RltdPties><Dbtr>")
		x.elem("Nm", firstWords(name, 140))
		x.raw("</Dbtr></RltdPties>")
	} else {
		x.raw("<RltdPties><Cdtr>")
		x.elem("Nm", firstWords(name, 140))
		x.raw("</Cdtr></RltdPties>")
	}
}

// bankCode is an ISO 20022 bank transaction code: domain, family, sub-family.
type bankCode struct{ domain, family, sub string }

// camtCode maps a Powens type and the sign of the amount to the ISO 20022
// bank transaction code (external code list "BankTransactionCode"):
//
//	transfer         PMNT/RCDT/ESCT received, PMNT/ICDT/ESCT issued (SEPA credit transfer)
//	order            PMNT/RDDT/ESDD collected, PMNT/IDDT/ESDD paid (SEPA direct debit)
//	check            PMNT/RCHQ/CCHQ deposited, PMNT/ICHQ/CCHQ paid
//	card, deferred_card, summary_card, card_summary
//	                 PMNT/CCRD/POSD paid, PMNT/CCRD/RIMB refunded
//	withdrawal       PMNT/CCRD/CWDL (cash withdrawal)
//	deposit          PMNT/CNTR/CDPT (cash deposit)
//	bank, fee, market_fee  ACMT/MDOP/CHRG (charges)
//	loan_repayment, loan_payment  LDAS/CSLN/PPAY (loan payment)
//	profit           ACMT/MCOP/INTR (interest)
//	market_order, arbitrage  SECU/SETT/TRAD (securities trade)
//	anything else    ACMT/MCOP/OTHR or ACMT/MDOP/OTHR (miscellaneous credit or debit)
func camtCode(powensType string, minor int64) bankCode {
	in := minor >= 0
	pick := func(credit, debit bankCode) bankCode {
		if in {
			return credit
		}
		return debit
	}
	switch strings.ToLower(strings.TrimSpace(powensType)) {
	case "transfer", "payout":
		return pick(bankCode{"PMNT", "RCDT", "ESCT"}, bankCode{"PMNT", "ICDT", "ESCT"})
	case "order":
		return pick(bankCode{"PMNT", "RDDT", "ESDD"}, bankCode{"PMNT", "IDDT", "ESDD"})
	case "check":
		return pick(bankCode{"PMNT", "RCHQ", "CCHQ"}, bankCode{"PMNT", "ICHQ", "CCHQ"})
	case "card", "deferred_card", "summary_card", "card_summary":
		return pick(bankCode{"PMNT", "CCRD", "RIMB"}, bankCode{"PMNT", "CCRD", "POSD"})
	case "withdrawal":
		return bankCode{"PMNT", "CCRD", "CWDL"}
	case "deposit":
		return bankCode{"PMNT", "CNTR", "CDPT"}
	case "bank", "fee", "market_fee":
		return bankCode{"ACMT", "MDOP", "CHRG"}
	case "loan_repayment", "loan_payment":
		return bankCode{"LDAS", "CSLN", "PPAY"}
	case "profit":
		return bankCode{"ACMT", "MCOP", "INTR"}
	case "market_order", "arbitrage":
		return bankCode{"SECU", "SETT", "TRAD"}
	}
	return pick(bankCode{"ACMT", "MCOP", "OTHR"}, bankCode{"ACMT", "MDOP", "OTHR"})
}
