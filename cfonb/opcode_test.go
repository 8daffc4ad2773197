package cfonb

import "testing"

func TestOperationCode(t *testing.T) {
	tests := []struct {
		typ    string
		amount int64
		want   string
	}{
		{"transfer", 1, "05"}, {"transfer", -1, "06"}, {"transfer", 0, "06"},
		{"order", -1, "B1"}, {"order", 1, "A1"},
		{"check", -1, "01"}, {"check", 1, "02"},
		{"deposit", 1, "04"}, {"deposit", -1, "99"},
		{"withdrawal", -1, "29"}, {"withdrawal", 1, "99"},
		{"card", -1, "11"}, {"card", 1, "11"}, {"deferred_card", -1, "11"},
		{"summary_card", -1, "28"}, {"card_summary", -1, "28"},
		{"loan_repayment", -1, "72"}, {"loan_payment", -1, "72"},
		{"bank", -1, "62"}, {"fee", -1, "62"}, {"market_fee", -1, "62"}, {"bank", 1, "99"},
		{"market_order", -1, "51"}, {"arbitrage", 1, "51"},
		{"profit", 1, "63"}, {"payback", 1, "99"}, {"refund", -1, "99"},
		{"payout", 1, "05"}, {"payment", -1, "91"}, {"unknown", 1, "91"},
		{"", -1, "91"}, {"crypto_swap", -1, "91"}, {" Transfer ", -1, "06"}, {"CARD", -1, "11"},
		// Zero takes the code of the kind, never 99 (a cancelled operation is not a reversal).
		{"card", 0, "11"}, {"withdrawal", 0, "29"}, {"fee", 0, "62"}, {"bank", 0, "62"},
		{"summary_card", 0, "28"}, {"loan_payment", 0, "72"}, {"deposit", 0, "04"},
		{"profit", 0, "63"}, {"payout", 0, "05"}, {"order", 0, "B1"}, {"check", 0, "01"},
		{"unknown", 0, "91"},
	}
	for _, tc := range tests {
		if got := OperationCode(tc.typ, tc.amount); got != tc.want {
			t.Errorf("OperationCode(%q, %d)=%q, want %q", tc.typ, tc.amount, got, tc.want)
		}
	}
}

func TestKindLabel(t *testing.T) {
	tests := []struct {
		typ    string
		amount int64
		want   string
	}{
		{"card", -1, "PAIEMENT CB"}, {"card", 1, "REMBOURSEMENT CB"}, {"transfer", -1, "VIREMENT"},
		{"transfer", 1, "VIREMENT RECU"}, {"order", -1, "PRELEVEMENT"}, {"check", -1, "CHEQUE"},
		{"withdrawal", -1, "RETRAIT DAB"}, {"fee", 0, "FRAIS BANCAIRES"}, {"crypto_swap", 1, "OPERATION"},
	}
	for _, tc := range tests {
		if got := KindLabel(tc.typ, tc.amount); got != tc.want {
			t.Errorf("KindLabel(%q, %d)=%q, want %q", tc.typ, tc.amount, got, tc.want)
		}
	}
}
