package cfonb

import "strings"

// DefaultOperationCode is the interbank code given to movements whose Powens
// type is unknown or new: 91, "opérations diverses", which banks use in both
// directions (reference §1.9).
const DefaultOperationCode = "91"

// reversalCode marks a movement whose sign contradicts its Powens type (a
// positive ATM withdrawal, a negative deposit): 99, "annulations et
// régularisations", is what such a movement is in practice.
const reversalCode = "99"

// OperationCode returns the interbank operation code (04 positions 33–34)
// for a Powens transaction type and the signed amount of the movement, as
// tabulated in the package documentation. Types are matched case-insensitively
// and unknown types get DefaultOperationCode, so a new Powens type never
// stops an export.
func OperationCode(powensType string, amountMinor int64) string {
	credit, debit := operationCodes(strings.ToLower(strings.TrimSpace(powensType)))
	switch {
	case amountMinor < 0:
		return debit
	case amountMinor > 0:
		return credit
	}
	// Zero has no direction (a cancelled or fee-waived operation): it takes
	// the code of what the kind usually is, never the reversal code that a
	// contradicting sign earns. Kinds that go both ways are read as money
	// out, which is what a person's account mostly sees of them.
	switch {
	case debit == reversalCode:
		return credit
	case credit == reversalCode:
		return debit
	}
	return debit
}

// KindLabel returns a label that names what a movement is from its Powens
// type and sign, in the words French statements use ("PAIEMENT CB",
// "VIREMENT"): the writer puts it in the 04 when the wording has nothing
// CFONB can show, because a blank 04 label is refused or lost by readers.
func KindLabel(powensType string, amountMinor int64) string {
	switch strings.ToLower(strings.TrimSpace(powensType)) {
	case "transfer":
		if amountMinor > 0 {
			return "VIREMENT RECU"
		}
		return "VIREMENT"
	case "order":
		return "PRELEVEMENT"
	case "check":
		if amountMinor > 0 {
			return "REMISE DE CHEQUE"
		}
		return "CHEQUE"
	case "deposit":
		return "VERSEMENT ESPECES"
	case "withdrawal":
		return "RETRAIT DAB"
	case "card", "deferred_card":
		if amountMinor > 0 {
			return "REMBOURSEMENT CB"
		}
		return "PAIEMENT CB"
	case "summary_card", "card_summary":
		return "RELEVE CARTE"
	case "loan_repayment", "loan_payment":
		return "ECHEANCE PRET"
	case "bank", "fee", "market_fee":
		return "FRAIS BANCAIRES"
	case "market_order", "arbitrage":
		return "OPERATION SUR TITRES"
	case "profit":
		return "INTERETS"
	case "payback", "refund":
		return "REMBOURSEMENT"
	case "payout":
		return "VERSEMENT"
	}
	return "OPERATION"
}

// operationCodes returns the (credit, debit) codes of a lower-case Powens type.
func operationCodes(t string) (credit, debit string) {
	switch t {
	case "transfer":
		return "05", "06" // transfers received / issued (SEPA SCT reuses them)
	case "order":
		return "A1", "B1" // SEPA direct debit collected / paid
	case "check":
		return "02", "01" // cheque deposit / cheque paid
	case "deposit":
		return "04", reversalCode // cash deposit
	case "withdrawal":
		return reversalCode, "29" // ATM withdrawal
	case "card", "deferred_card":
		return "11", "11" // card payments; a credit is a card refund
	case "summary_card", "card_summary":
		return reversalCode, "28" // monthly debit of a deferred card: card invoices paid
	case "loan_repayment", "loan_payment":
		return reversalCode, "72" // credit instalment
	case "bank", "fee", "market_fee":
		return reversalCode, "62" // commissions and fees; a credit is a fee refund
	case "market_order", "arbitrage":
		return "51", "51" // securities bought and sold
	case "profit":
		return "63", reversalCode // interest, coupons, dividends
	case "payback", "refund":
		return reversalCode, reversalCode // a refund undoes an earlier movement
	case "payout":
		return "05", reversalCode // e-commerce payouts arrive as transfers
	}
	// "unknown", "payment" (a method Powens does not name) and future types.
	return DefaultOperationCode, DefaultOperationCode
}
