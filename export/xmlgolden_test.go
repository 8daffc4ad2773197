package export_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
)

// memorySource serves one statement from memory: text a database refuses
// (invalid UTF-8) reaches the writers too.
type memorySource struct {
	account *freenahi.Account
	closing int64
	txs     []*freenahi.Transaction
}

func (m *memorySource) ReadStatement(ctx context.Context, q freenahi.StatementQuery, fn func(*freenahi.StatementData) error) error {
	var period int64
	for _, t := range m.txs {
		period += t.ValueMinor
	}
	return fn(&freenahi.StatementData{Account: m.account, ClosingMinor: m.closing, PeriodMinor: period, Count: int64(len(m.txs)),
		Transactions: func(yield func(*freenahi.Transaction, error) bool) {
			for _, t := range m.txs {
				// A copy, as the store reuses its transactions: a writer must
				// not keep one past the next.
				c := *t
				if !yield(&c, nil) {
					return
				}
			}
		}})
}

// edgeTransactions are the wordings a fast path could get wrong: markup and
// quotes, control and invalid bytes, non-characters, non-Latin scripts,
// spaces to collapse, words longer than a field, texts longer than three
// Ustrd, long counterparties, value and user dates, every kind and sign.
func edgeTransactions() []*freenahi.Transaction {
	d := func(s string) freenahi.Date {
		v, err := freenahi.ParseDate(s)
		if err != nil {
			panic(err)
		}
		return v
	}
	long := strings.Repeat("Loyer <bureaux> & charges ", 25) // 650 characters, markup inside
	word := strings.Repeat("X", 150)                         // one word longer than a Ustrd
	cp := func(s string) *freenahi.Counterparty { return &freenahi.Counterparty{Label: s} }
	rows := []struct {
		date, vdate, rdate string
		typ, wording       string
		v                  int64
		cp                 *freenahi.Counterparty
	}{
		{"2026-06-01", "", "", "card", "Оплата Москва 🍕", -4200, nil},
		{"2026-06-01", "2026-06-02", "2026-05-30", "transfer", long, 123456, cp(`ACME "Ltd" & <Fils> l'aîné`)},
		{"2026-06-01", "", "", "check", "CHEQUE N° 1234567", -15000, nil},
		{"2026-06-02", "", "", "order", "  PRLV   SEPA\tEDF \n CLIENT  ", -7821, cp("   ")},
		{"2026-06-02", "", "", "bank", "FRAIS\x01TENUE\x7f DE COMPTE", -250, nil},
		{"2026-06-02", "", "", "deposit", "bad \xff\xfe bytes \xc3 and \uFFFE\uFFFF end", 5000, nil},
		{"2026-06-03", "2026-06-03", "", "withdrawal", "RETRAIT DAB 中国银行 ATM", -6000, cp(strings.Repeat("Société Générale ", 12))},
		{"2026-06-03", "", "", "unknown_type", word + " tail", 0, nil},
		{"2026-06-03", "", "2026-06-03", "profit", "", 17, cp("Banque")},
		{"2026-06-04", "", "", "market_order", "ΑΘΗΝΑ Ελληνικά κείμενα 😀😀😀", 9223372036854775, nil},
		{"2026-06-04", "", "", "fee", "\u00a0NBSP\u00a0around\u2003em\u2003space\u00a0", -1, nil},
		{"2026-06-04", "", "", "CARD", "x", -99999999999, nil},
	}
	out := make([]*freenahi.Transaction, len(rows))
	for i, r := range rows {
		t := &freenahi.Transaction{ID: int64(900 + i), PowensID: int64(i + 1), Date: d(r.date), Type: r.typ,
			OriginalWording: r.wording, ValueMinor: r.v, Counterparty: r.cp, Active: true}
		if r.vdate != "" {
			t.VDate = d(r.vdate)
		}
		if r.rdate != "" {
			t.RDate = d(r.rdate)
		}
		if i == 8 {
			t.OriginalWording, t.Wording, t.SimplifiedWording = " ", "", "Intérêts créditeurs"
		}
		out[i] = t
	}
	return out
}

// TestExporter_XMLEdgeCasesGolden compares camt.053 and OFX files of the
// edge cases with golden files written by the writers as they stood before
// their per-record work was cut (commit of this test): the faster writers
// must give the same bytes.
func TestExporter_XMLEdgeCasesGolden(t *testing.T) {
	txs := edgeTransactions()
	var period int64
	for _, t := range txs {
		period += t.ValueMinor
	}
	for _, tc := range []struct {
		format, name, typ, currency string
		exp                         int
	}{
		{freenahi.FormatCamt053, "edge-cases.camt053.xml", "checking", "EUR", 2},
		{freenahi.FormatOFX, "edge-cases.ofx", "checking", "EUR", 2},
		{freenahi.FormatCamt053, "edge-cases-jpy.camt053.xml", "card", "JPY", 0},
		{freenahi.FormatOFX, "edge-cases-card.ofx", "card", "TND", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &memorySource{account: &freenahi.Account{ID: 42, UserID: 7, IBAN: "FR76 3000 6000 0112 3456 7890 189",
				Type: tc.typ, Name: "Compte <joint> & épargne", Currency: freenahi.Currency{Code: tc.currency, Exponent: tc.exp}},
				closing: period + 100000, txs: txs}
			ex := &export.Exporter{Source: src, Now: func() time.Time { return time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC) }}
			var buf bytes.Buffer
			if _, err := ex.ExportStatement(ctx, &buf, freenahi.StatementRequest{UserID: 7, AccountID: 42,
				From: freenahi.Date{Year: 2026, Month: 6, Day: 1}, To: freenahi.Date{Year: 2026, Month: 6, Day: 5},
				Format: tc.format}); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, buf.Bytes())
			// The golden files themselves are read by readers we did not write.
			path := filepath.Join("testdata", tc.name)
			if tc.format == freenahi.FormatOFX {
				validOFX(t, path)
				if trns, _ := ofxdump(t, path); len(trns) != len(txs) {
					t.Fatalf("libofx read %d transactions, want %d", len(trns), len(txs))
				}
			} else if st := readCamtWithAqBanking(t, path); len(st.trns) != len(txs) {
				t.Fatalf("AqBanking read %d transactions, want %d", len(st.trns), len(txs))
			}
		})
	}
}
