package export_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/cfonb"
	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestPusher_LateTransactionNeverRestates is invariant 9 end to end: a
// transaction booked after the file covering its day went is sent in the
// next file, which starts where the first ended, on the next bank day; the
// local Inqom refuses a file that would restate a sent day.
func TestPusher_LateTransactionNeverRestates(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomEnv(t, s)
		f := marchFixture(t, s)
		e.saveCredentials(t, f.user.ID)
		m := e.link(t, f, true)
		// Wednesday 8 April 2026: Tuesday 7 has ended (Monday 6 is Easter Monday).
		now := time.Date(2026, 4, 8, 10, 0, 0, 0, time.UTC)
		e.pusher.Now, s.Now = func() time.Time { return now }, func() time.Time { return now }
		if err := e.pusher.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}

		// Booked on 8 April by the bank, dated 8 March: late.
		f.sync(t, 200000-4321, tx(1013, "2026-03-08", -4321, "card", "CB TARDIVE"))
		now = time.Date(2026, 4, 9, 10, 0, 0, 0, time.UTC)
		if err := e.pusher.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}
		ups := e.Uploads()
		if len(ups) != 2 {
			t.Fatalf("%d files reached Inqom, want 2", len(ups))
		}
		first, second := readFixedWidth(t, ups[0].Content), readFixedWidth(t, ups[1].Content)
		end, start := first[len(first)-1], second[0]
		if end.code != "07" || start.code != "01" || start.date != end.date || start.amount != end.amount {
			t.Fatalf("file 2 opens with %s %s %s; file 1 closed with %s %s %s", start.code, start.date, start.amount, end.code, end.date, end.amount)
		}
		// File 1 closed on 2 April (its last movement); the late one is booked on
		// Friday 3 April, the next bank day, with 8 March as value date.
		if end.date != "020426" {
			t.Fatalf("file 1 closes on %s, want 020426", end.date)
		}
		raw := strings.Split(string(ups[1].Content), "\r\n")
		mv := raw[1]
		if mv[0:2] != "04" || mv[34:40] != "030426" || mv[42:48] != "080326" || strings.TrimSpace(mv[48:79]) != "CB TARDIVE" {
			t.Fatalf("late movement %q: want booked 030426, value 080326", mv)
		}
		for _, l := range second {
			if l.date != "" && dmy(l.date).Before(dmy(end.date)) {
				t.Fatalf("file 2 has a %s record dated %s, before file 1's end %s", l.code, l.date, end.date)
			}
		}
		e.assertOnce(t, f, m, 8)

		// A file that restates a sent day, balances chaining: refused.
		acct, err := cfonb.AccountFromIBAN(testIBAN)
		if err != nil {
			t.Fatal(err)
		}
		closing := readAll(t, ups[1].Content)
		last := closing[len(closing)-1]
		var buf bytes.Buffer
		w := cfonb.NewWriter(&buf)
		mustNil(t, w.Begin(acct, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), last.ClosingMinor))
		mustNil(t, w.Movement(cfonb.Movement{BookingDate: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), AmountMinor: -1, Label: "RESTATED"}))
		if _, err := w.End(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		mustNil(t, w.Flush())
		imp, err := e.clients.Importer(ctx, f.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = imp.ImportCFONB(ctx, "restated.txt", buf.Bytes())
		if ie := inqom.AsError(err); ie == nil || ie.Status != 400 || !strings.Contains(ie.Body, "cannot be restated") {
			t.Fatalf("importing a file that restates 31/03–01/04: %v, want a 400 saying it restates", err)
		}
		e.assertOnce(t, f, m, 8)
	})
}

// TestPusher_TodayWaits: a transaction of a day that has not ended waits.
func TestPusher_TodayWaits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomEnv(t, s)
		f := marchFixture(t, s)
		e.saveCredentials(t, f.user.ID)
		m := e.link(t, f, true)
		// Thursday 2 April 2026 in the afternoon: its transaction waits.
		now := time.Date(2026, 4, 2, 14, 0, 0, 0, time.UTC)
		e.pusher.Now, s.Now = func() time.Time { return now }, func() time.Time { return now }
		if err := e.pusher.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}
		if bs := e.batches(t, f, m); len(bs) != 1 || bs[0].Transactions != 6 || bs[0].ClosingDate != d("2026-03-15") {
			t.Fatalf("batches %+v, want one of the 6 transactions up to 15 March", bs)
		}
		now = time.Date(2026, 4, 3, 8, 0, 0, 0, time.UTC)
		if err := e.pusher.Push(ctx, f.user.ID); err != nil {
			t.Fatal(err)
		}
		if bs := e.batches(t, f, m); len(bs) != 2 || bs[1].Transactions != 1 || bs[1].ClosingDate != d("2026-04-02") {
			t.Fatalf("batches %+v, want a second one with the transaction of 2 April", bs)
		}
		e.assertOnce(t, f, m, 7)
	})
}

// dmy reads a DDMMYY zone.
func dmy(s string) freenahi.Date {
	v, err := time.Parse("020106", s)
	if err != nil {
		panic(err)
	}
	return freenahi.DateOf(v)
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
