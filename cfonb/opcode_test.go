package cfonb

import "testing"

func TestOperationCode(t *testing.T) {
	tests := []struct {
		typ    string
		amount int64
		want   string
	}{
		{"transfer", 1, "05"}, {"transfer", -1, "06"}, {"transfer", 0, "05"},
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
	}
	for _, tc := range tests {
		if got := OperationCode(tc.typ, tc.amount); got != tc.want {
			t.Errorf("OperationCode(%q, %d)=%q, want %q", tc.typ, tc.amount, got, tc.want)
		}
	}
}
