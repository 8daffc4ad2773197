package sandbox

import (
	"testing"
	"time"
)

// TestTransactions_BankDaysOnly: the sandbox's bank books nothing on
// weekends and French public holidays. The history runs over the spring of
// 2026 (Easter Monday, 1 and 8 May, Ascension, Whit Monday); the holidays
// are written out by hand from the French government's calendar.
func TestTransactions_BankDaysOnly(t *testing.T) {
	now := time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)
	h := newHarness(t, func(c *Config) { c.Now = func() time.Time { return now }; c.HistoryDays = 120 })
	holidays := map[string]bool{"2026-01-01": true, "2026-04-06": true, "2026-05-01": true, "2026-05-08": true,
		"2026-05-14": true, "2026-05-25": true, "2026-07-14": true}
	tok := h.user()
	c := h.connect(tok, "demo", 201)
	h.activate(tok, c.ID)
	txs := h.transactions(tok, "")
	if len(txs) < 100 {
		t.Fatalf("%d transactions in 120 days", len(txs))
	}
	weekendOrders := 0
	for _, tx := range txs {
		day, err := time.Parse("2006-01-02", tx.Date.String())
		if err != nil {
			t.Fatalf("transaction %d: date %q: %v", tx.ID, tx.Date, err)
		}
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday || holidays[tx.Date.String()] {
			t.Errorf("transaction %d (%s) is booked on %s %s", tx.ID, tx.OriginalWording, wd, tx.Date)
		}
		if r, err := time.Parse("2006-01-02", tx.RDate.String()); err == nil && (r.Weekday() == time.Saturday || r.Weekday() == time.Sunday) {
			weekendOrders++
		}
	}
	// People still pay by card at weekends: those orders are posted on Monday.
	if weekendOrders == 0 {
		t.Fatal("no transaction was ordered on a weekend: the test proves nothing")
	}
}
