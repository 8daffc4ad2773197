package bankfile

import (
	"strings"
	"unicode"

	textfold "github.com/freenahi/freenahi/internal/fold"
)

// Operation kinds are Powens transaction types (freenahi.Transaction.Type),
// so that categorisation, the rules' "kind" condition, the CFONB, camt.053
// and OFX exports and the pages treat an imported line like a synced one.
// A line whose kind the file does not tell is left without one ("").

// ofxKinds maps OFX TRNTYPE values (OFX 2.2, section 11.4.4.3) to kinds;
// CREDIT, DEBIT, OTHER and PAYMENT say nothing of the means and fall back
// to the wording.
var ofxKinds = map[string]string{
	"POS": "card", "ATM": "withdrawal", "CASH": "withdrawal", "XFER": "transfer", "DIRECTDEP": "transfer",
	"CHECK": "check", "DIRECTDEBIT": "order", "REPEATPMT": "order", "FEE": "bank", "SRVCHG": "bank",
	"INT": "profit", "DIV": "profit", "DEP": "deposit",
}

// cfonbKinds maps CFONB 120 interbank operation codes (04 record,
// positions 33–34) to kinds: the codes package cfonb writes for each
// Powens type, read the other way.
var cfonbKinds = map[string]string{
	"05": "transfer", "06": "transfer", "A1": "order", "B1": "order", "01": "check", "02": "check",
	"04": "deposit", "29": "withdrawal", "11": "card", "28": "summary_card", "72": "loan_repayment",
	"62": "bank", "51": "market_order", "63": "profit",
}

// wordingKinds are the first words French and English banks put before
// the payee, folded (upper case, no accents), tried in order: the longest
// first where one starts another.
var wordingKinds = []struct{ prefix, kind string }{
	{"PAIEMENT PAR CARTE", "card"}, {"PAIEMENT CB", "card"}, {"ACHAT CB", "card"}, {"CARTE ", "card"}, {"CB ", "card"},
	{"FACTURE CARTE", "summary_card"}, {"RETRAIT", "withdrawal"}, {"DAB ", "withdrawal"},
	{"VIREMENT", "transfer"}, {"VIR ", "transfer"}, {"PRELEVEMENT", "order"}, {"PRLV", "order"}, {"PRELEV ", "order"},
	{"REMISE CHEQUE", "check"}, {"REM CHQ", "check"}, {"CHEQUE", "check"}, {"CHQ", "check"},
	{"FRAIS", "bank"}, {"COMMISSION", "bank"}, {"COTISATION", "bank"}, {"AGIOS", "bank"},
	{"INTERETS", "profit"}, {"ECHEANCE PRET", "loan_repayment"}, {"ECH PRET", "loan_repayment"},
	{"VERSEMENT ESPECES", "deposit"}, {"DIRECT DEBIT", "order"}, {"CARD ", "card"}, {"POS ", "card"},
	{"ATM", "withdrawal"}, {"CASH WITHDRAWAL", "withdrawal"}, {"TRANSFER", "transfer"}, {"CHECK", "check"},
	{"SERVICE CHARGE", "bank"}, {"FEE", "bank"},
}

// kindOfWording returns the kind the wording's first words name, or "".
func kindOfWording(wording string) string {
	w := strings.ToUpper(textfold.String(strings.Join(strings.Fields(wording), " "))) + " "
	for _, k := range wordingKinds {
		if strings.HasPrefix(w, k.prefix) && boundary(w, len(k.prefix)) {
			return k.kind
		}
	}
	return ""
}

// boundary tells that a prefix of w ending at n ends a word: "CHQ" names a
// cheque, "CHQUOTIDIEN" does not.
func boundary(w string, n int) bool {
	if w[n-1] == ' ' || n >= len(w) {
		return true
	}
	r := rune(w[n])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// kindOfOFX returns the kind of an STMTTRN: its TRNTYPE, else its wording.
func kindOfOFX(trnType, wording string) string {
	if k, ok := ofxKinds[strings.ToUpper(strings.TrimSpace(trnType))]; ok {
		return k
	}
	return kindOfWording(wording)
}

// kindOfQIF returns the kind of a QIF record: its N field names a cheque
// by its number, or a means (ATM, XFER, POS, DEP, EFT); else its wording.
func kindOfQIF(number, wording string) string {
	n := strings.ToUpper(strings.TrimSpace(number))
	switch {
	case n == "":
	case strings.Trim(n, "0123456789") == "" || strings.HasPrefix(n, "CHK"):
		return "check"
	case n == "ATM":
		return "withdrawal"
	case n == "XFER" || n == "TXFR":
		return "transfer"
	case n == "POS":
		return "card"
	case n == "DEP":
		return "deposit"
	case n == "EFT":
		return "order"
	}
	return kindOfWording(wording)
}

// kindOfCFONB returns the kind of a CFONB movement's operation code, else
// of its wording.
func kindOfCFONB(code, wording string) string {
	if k, ok := cfonbKinds[code]; ok {
		return k
	}
	return kindOfWording(wording)
}
