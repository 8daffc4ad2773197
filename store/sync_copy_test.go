package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/google/go-cmp/cmp"
)

// TestSyncWriter_CopyEdges puts the PostgreSQL COPY path (copies of 3 rows
// here, so that one event crosses several) and SQLite's gathered batches
// (3 rows each, the event's constants bound once) through every edge of an
// upsert, on both engines: text COPY's text format would mangle (tabs,
// newlines, backslashes, its end marker, quotes), unicode, a byte that is
// not UTF-8, NULL fields, a row listed twice in one copy and across two,
// a re-delivered row, a changed one, a deletion, and the fields a person
// edited, which no sync overwrites. Every expected value is written by hand.
func TestSyncWriter_CopyEdges(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		s.SetCopyRows(3)
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		acct := b.checking
		hostile := &freenahi.Transaction{AccountID: acct.ID, PowensID: 1, Date: date("2026-03-02"), RDate: date("2026-02-28"),
			DateTime: ptr(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)), ValueMinor: -4250, Type: "card", Active: true,
			OriginalWording:   "CB\tTAB\nNEWLINE\r\nCRLF \\N \\. back\\slash",
			SimplifiedWording: "\\.\n", Wording: "Café — 東京 🙂 « quoted », 'single'; comma, \"double\"",
			Card: "XXXX\t1234", Webid: "w\\1", Counterparty: &freenahi.Counterparty{Label: "Ünïcødé\tLabel", Type: "creditor"},
			OriginalCurrency: &freenahi.Currency{Code: "USD", Exponent: 2}, OriginalValueMinor: ptr(int64(-4600))}
		bare := &freenahi.Transaction{AccountID: acct.ID, PowensID: 2, Date: date("2026-03-03"), ValueMinor: -500,
			Type: "transfer", Active: true, OriginalWording: "VIR SEPA LOYER"}
		twice := func(v int64) *freenahi.Transaction {
			return &freenahi.Transaction{AccountID: acct.ID, PowensID: 3, Date: date("2026-03-04"), ValueMinor: v, Active: true,
				OriginalWording: "PRLV EDF"}
		}
		notUTF8 := &freenahi.Transaction{AccountID: acct.ID, PowensID: 4, Date: date("2026-03-05"), ValueMinor: 100, Active: true,
			OriginalWording: "BAD \xff BYTE"}
		filler := func(id int64) *freenahi.Transaction {
			return &freenahi.Transaction{AccountID: acct.ID, PowensID: id, Date: date("2026-03-06"), ValueMinor: -id, Active: true,
				OriginalWording: "CB BOULANGERIE"}
		}

		// Event 1: four calls; the second copy holds row 3 twice, and row 3
		// comes again after the account write that flushes the copy.
		first := clk.now
		MustSync(t, s, b.user, func(w freenahi.SyncWriter) error {
			if err := w.UpsertTransactions(ctx, []*freenahi.Transaction{hostile, bare}); err != nil {
				return err
			}
			if err := w.UpsertTransactions(ctx, []*freenahi.Transaction{twice(-1), filler(10), twice(-2), notUTF8}); err != nil {
				return err
			}
			if err := w.UpsertAccount(ctx, acct); err != nil {
				return err
			}
			return w.UpsertTransactions(ctx, []*freenahi.Transaction{filler(11), twice(-3)})
		})
		ids := rowIDs(t, s, b.user.ID)
		if len(ids) != 6 {
			t.Fatalf("%d rows after the first event, want 6 (powens ids 1, 2, 3, 4, 10, 11): %v", len(ids), ids)
		}
		want := map[int64]copyRow{
			1: {value: -4250, original: "CB\tTAB\nNEWLINE\r\nCRLF \\N \\. back\\slash", simplified: "\\.\n",
				wording: "Café — 東京 🙂 « quoted », 'single'; comma, \"double\"", card: "XXXX\t1234", webid: "w\\1",
				counterparty: ptr("Ünïcødé\tLabel"), currency: ptr("USD"), rdate: true, datetime: true, updated: first},
			2:  {value: -500, original: "VIR SEPA LOYER", updated: first},
			3:  {value: -3, original: "PRLV EDF", updated: first},
			4:  {value: 100, original: "BAD \uFFFD BYTE", updated: first},
			10: {value: -10, original: "CB BOULANGERIE", updated: first},
			11: {value: -11, original: "CB BOULANGERIE", updated: first},
		}
		checkCopyRows(t, s, b.user.ID, want)

		// The person edits row 1 (payee, category, tags, note) and marks
		// row 2 a transfer.
		cats, err := s.FindCategories(ctx, b.user.ID)
		if err != nil || len(cats) == 0 {
			t.Fatalf("categories: %d, %v", len(cats), err)
		}
		catID := cats[len(cats)-1].ID
		if _, err := s.EditTransaction(ctx, b.user.ID, ids[1], freenahi.TransactionEdit{Payee: ptr("Mon épicerie « à moi »"),
			CategoryID: &catID, Tags: &[]string{"vacances", "été"}, Note: ptr("ligne 1\nligne 2 \\ fin")}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EditTransaction(ctx, b.user.ID, ids[2], freenahi.TransactionEdit{Transfer: ptr(true)}); err != nil {
			t.Fatal(err)
		}

		// Event 2: row 1 re-delivered as it was, row 2 changed (amount,
		// wording, a field appearing), row 10 deleted, a new row 12
		// already deleted, row 11 re-delivered.
		second := clk.Add(time.Hour)
		changed := *bare
		changed.ValueMinor, changed.OriginalWording, changed.Webid = -600, "VIR\tSEPA\nLOYER MARS", "new\\webid"
		gone := filler(10)
		gone.Deleted = ptr(second)
		born := filler(12)
		born.Deleted = ptr(second)
		MustSync(t, s, b.user, func(w freenahi.SyncWriter) error {
			return w.UpsertTransactions(ctx, []*freenahi.Transaction{hostile, &changed, gone, born, filler(11)})
		})
		want[2] = copyRow{value: -600, original: "VIR\tSEPA\nLOYER MARS", webid: "new\\webid", updated: second}
		want[10] = copyRow{value: -10, original: "CB BOULANGERIE", deleted: true, updated: second}
		want[12] = copyRow{value: -12, original: "CB BOULANGERIE", deleted: true, updated: second}
		checkCopyRows(t, s, b.user.ID, want)
		if got := rowIDs(t, s, b.user.ID); got[1] != ids[1] || got[2] != ids[2] || got[10] != ids[10] {
			t.Fatalf("rows moved: ids %v, were %v", got, ids)
		}

		// What the person set survived both events.
		edited, err := s.FindTransactionByID(ctx, b.user.ID, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if edited.Payee != "Mon épicerie « à moi »" || edited.CategoryID == nil || *edited.CategoryID != catID ||
			!cmp.Equal(edited.Tags, []string{"vacances", "été"}) || edited.Note != "ligne 1\nligne 2 \\ fin" {
			t.Fatalf("edited row read back with payee %q, category %v, tags %q, note %q", edited.Payee, edited.CategoryID, edited.Tags, edited.Note)
		}
		transfer, err := s.FindTransactionByID(ctx, b.user.ID, ids[2])
		if err != nil {
			t.Fatal(err)
		}
		if !transfer.Transfer {
			t.Fatal("the transfer mark set by hand was overwritten by a sync")
		}
	})
}

// copyRow is what TestSyncWriter_CopyEdges expects of a stored row.
type copyRow struct {
	value                         int64
	original, simplified, wording string
	card, webid                   string
	counterparty, currency        *string // NULL when nil
	rdate, datetime, deleted      bool    // set (not NULL)
	updated                       time.Time
}

// rowIDs maps the user's transactions' Powens ids to our ids, read with
// plain SQL.
func rowIDs(t *testing.T, s *store.Store, userID int64) map[int64]int64 {
	t.Helper()
	rows, err := s.DB().QueryContext(ctx, `SELECT powens_id, id FROM transactions WHERE user_id = $1`, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var p, id int64
		if err := rows.Scan(&p, &id); err != nil {
			t.Fatal(err)
		}
		out[p] = id
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkCopyRows reads the user's transactions with plain SQL, NULLs told
// apart from empty text, and compares them with want.
func checkCopyRows(t *testing.T, s *store.Store, userID int64, want map[int64]copyRow) {
	t.Helper()
	rows, err := s.DB().QueryContext(ctx, `SELECT powens_id, value_minor, original_wording, simplified_wording, wording,
		card, webid, counterparty_label, original_currency, rdate IS NOT NULL, datetime IS NOT NULL,
		deleted_at IS NOT NULL, updated_at FROM transactions WHERE user_id = $1`, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[int64]copyRow{}
	for rows.Next() {
		var p, updated int64
		var r copyRow
		if err := rows.Scan(&p, &r.value, &r.original, &r.simplified, &r.wording, &r.card, &r.webid, &r.counterparty,
			&r.currency, &r.rdate, &r.datetime, &r.deleted, &updated); err != nil {
			t.Fatal(err)
		}
		r.updated = time.UnixMicro(updated).UTC()
		got[p] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(copyRow{})); diff != "" {
		t.Fatalf("stored rows (-want +got):\n%s", diff)
	}
}

// TestSyncWriter_RareColumnsCleared checks the SQLite batches that leave
// the rarely set columns out of their INSERT when no row of the batch has
// one (they take NULL as their default): a row that had them, sent again
// without them in such a batch, must lose them as the full statement's
// bound NULLs would make it, and a deleted row sent alive must come back.
// Batches of 3 rows, then of 400 (the prepared statements); on PostgreSQL
// the same expectations hold through COPY. Expected values by hand.
func TestSyncWriter_RareColumnsCleared(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		for k, rows := range []int{3, 0} {
			s.SetCopyRows(rows)
			b := MustSeedBank(t, s, MustCreateUser(t, s, fmt.Sprintf("ana%d@example.com", k), int64(k+1)))
			acct := b.checking
			bare := func(id int64) *freenahi.Transaction {
				return &freenahi.Transaction{AccountID: acct.ID, PowensID: id, Date: date("2026-03-06"), ValueMinor: -id,
					Active: true, OriginalWording: "CB BOULANGERIE"}
			}
			rich := bare(1)
			rich.DateTime = ptr(time.Date(2026, 3, 6, 9, 30, 0, 0, time.UTC))
			rich.Counterparty = &freenahi.Counterparty{Label: "EDF", Type: "creditor"}
			rich.OriginalCurrency, rich.OriginalValueMinor = &freenahi.Currency{Code: "USD", Exponent: 2}, ptr(int64(-2))
			dead := bare(2)
			dead.Deleted = ptr(clk.now)
			// 400 rows a batch (rows 0): the event fills two, the first
			// holding rows 1 and 2.
			n := int64(3)
			if rows == 0 {
				n = 800
			}
			event := func(first ...*freenahi.Transaction) []*freenahi.Transaction {
				for id := int64(3); id <= n; id++ {
					first = append(first, bare(id))
				}
				return first
			}
			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, event(rich, dead)) })
			want := map[int64]copyRow{}
			for id := int64(3); id <= n; id++ {
				want[id] = copyRow{value: -id, original: "CB BOULANGERIE", updated: clk.now}
			}
			want[1] = copyRow{value: -1, original: "CB BOULANGERIE", counterparty: ptr("EDF"), currency: ptr("USD"),
				datetime: true, updated: clk.now}
			want[2] = copyRow{value: -2, original: "CB BOULANGERIE", deleted: true, updated: clk.now}
			checkCopyRows(t, s, b.user.ID, want)

			second := clk.Add(time.Hour)
			MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, event(bare(1), bare(2))) })
			want[1] = copyRow{value: -1, original: "CB BOULANGERIE", updated: second}
			want[2] = copyRow{value: -2, original: "CB BOULANGERIE", updated: second}
			checkCopyRows(t, s, b.user.ID, want)
		}
	})
}
