package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// moveToSavings is what mustAddMoveToSavings writes: a move of 500.00 from
// the checking account to a Livret A, and an ordinary card payment.
type moveToSavings struct {
	debit, credit, payment *freenahi.Transaction
}

// mustAddMoveToSavings gives the person a Livret A at the fixture's bank
// (Powens connection 10), then writes, through the sync path, 500.00 leaving
// the checking account on Tuesday 4 March 2025 and reaching the Livret A the
// next day, and a card payment of 42.50 at the Fnac on Friday 7 March.
func mustAddMoveToSavings(t *testing.T, s *store.Store, u *freenahi.User, powensUser int64) moveToSavings {
	t.Helper()
	checking := webtest.FrenchAccount(t, s, u.ID)
	day := func(iso string) freenahi.Date { d, _ := freenahi.ParseDate(iso); return d }
	webtest.MustSync(t, s, powensUser, func(ctx context.Context, w freenahi.SyncWriter) error {
		conn, err := w.ConnectionID(ctx, 10)
		if err != nil {
			return err
		}
		balance := int64(1250000)
		savings := &freenahi.Account{ConnectionID: conn, PowensID: 105, PowensConnectionID: 10, Type: "savings", Name: "Livret A",
			Currency: checking.Currency, BalanceMinor: &balance, Display: true}
		if err := w.UpsertAccount(ctx, savings); err != nil {
			return err
		}
		return w.UpsertTransactions(ctx, []*freenahi.Transaction{
			{AccountID: checking.ID, PowensID: 9101, Date: day("2025-03-04"), Currency: checking.Currency, ValueMinor: -50000,
				Type: "order", OriginalWording: "VIR SEPA VERS LIVRET A", Active: true},
			{AccountID: savings.ID, PowensID: 9102, Date: day("2025-03-05"), Currency: checking.Currency, ValueMinor: 50000,
				Type: "transfer", OriginalWording: "VIR SEPA DE COMPTE CHEQUES", Active: true},
			{AccountID: checking.ID, PowensID: 9103, Date: day("2025-03-07"), Currency: checking.Currency, ValueMinor: -4250,
				Type: "card", OriginalWording: "CB FNAC 06/03", Active: true},
		})
	})
	// The ingest worker pairs transfers after each event it processes; the
	// sync path used here is the store's alone, so pair as the worker would.
	if n, err := s.DetectTransfers(context.Background(), u.ID); err != nil || n != 1 {
		t.Fatalf("DetectTransfers=%d, %v; want the one move to the Livret A", n, err)
	}
	return moveToSavings{debit: transactionByText(t, s, u.ID, "vers livret"),
		credit: transactionByText(t, s, u.ID, "de compte cheques"), payment: transactionByText(t, s, u.ID, "fnac")}
}

// transactionByText returns the user's one transaction whose wording holds
// query.
func transactionByText(t *testing.T, s *store.Store, userID int64, query string) *freenahi.Transaction {
	t.Helper()
	txs, _, err := s.FindTransactions(context.Background(), freenahi.TransactionFilter{UserID: userID, Query: query})
	if err != nil || len(txs) != 1 {
		t.Fatalf("the transaction %q: %d found, %v", query, len(txs), err)
	}
	return txs[0]
}

// cashflowMarch waits until the reports page, open on March 2025, shows its
// one cash-flow row as want: month|income|spending|net.
func (b *tab) cashflowMarch(want string) {
	b.t.Helper()
	b.open("/reports?from=2025-03-01&to=2025-03-31")
	const row = `Array.from(document.querySelectorAll("#cashflow tbody tr"), r =>
		Array.from(r.cells).slice(0, 4).map(c => c.textContent.trim()).join("|")).join("\n")`
	var last string
	b.waitFor("the cash flow of March 2025 to be "+want, func() bool {
		got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](row))
		if got != last {
			b.t.Logf("cash flow: %q", got)
			last = got
		}
		return got == want
	})
}

// TestBrowser_TransferPair: 500.00 moved from the checking account to the
// Livret A is paired as a transfer between one's own accounts; from the
// debit's page, "The other side." leads to the credit's; the reports leave
// both sides out; unticked on one side, both count again. The figures are
// the fixture's, added up by hand. Screenshots of the pair and of the
// list's mark on a desktop and a phone, in English and French.
func TestBrowser_TransferPair(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	base := spendingUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, ana, 42)
	move := mustAddMoveToSavings(t, s, ana, 42)
	debitPage, creditPage := fmt.Sprintf("/transactions/%d", move.debit.ID), fmt.Sprintf("/transactions/%d", move.credit.ID)
	b := newTab(t, base)
	b.signIn("ana@example.com")

	b.open(debitPage)
	b.waitText("VIR SEPA VERS LIVRET A", false)
	b.waitText("transfer between my accounts", false)
	b.waitText("Untick to undo the pair: both sides count again.", false)
	if ticked, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector("#edit input[name=transfer]").checked`)); err != nil || !ticked {
		t.Fatalf("the debit's transfer box: ticked=%v, %v", ticked, err)
	}
	b.do(chromedp.Click(chromedp.CSS(`#edit .tick a`)))
	b.waitPath(creditPage)
	b.waitText("VIR SEPA DE COMPTE CHEQUES", false)
	if h := b.html(); !contains(h, fmt.Sprintf(`<a href="%s">The other side.</a>`, debitPage)) {
		t.Fatalf("the credit's page does not lead back to the debit %s:\n%s", debitPage, h)
	}

	// By hand: March has the Fnac payment only (42.50); the 500.00 is
	// neither income nor spending.
	b.cashflowMarch("2025-03|€0.00|€42.50|-€42.50")
	b.shot("reports-paired-desktop-en")

	// minRows: the list shows the fixture's 8 transactions; the checking
	// account's page needs at least two rows to compare their labels.
	pages := []struct {
		path, en, fr, name string
		minRows            int
	}{
		{debitPage, "The other side.", "L’autre côté.", "pair", 0},
		{"/transactions", "transfer between my accounts", "virement entre mes comptes", "list", 8},
		{fmt.Sprintf("/accounts/%d", move.debit.AccountID), "Name, group, visibility", "Nom, groupe, visibilité", "account", 2},
		{"/reports", "Income and spending per month", "Revenus et dépenses par mois", "reports", 0},
		{"/rules", "New rule", "Nouvelle règle", "rules", 0},
	}
	b.eachView(func(view, lang string) {
		for _, p := range pages {
			b.open(p.path)
			if lang == "en" {
				b.waitText(p.en, false)
			} else {
				b.waitText(p.fr, false)
				if p.name == "pair" {
					b.waitText("Virement entre mes propres comptes", false)
					b.waitText("Décochez pour défaire la paire\u00a0: les deux côtés comptent de nouveau.", false)
				}
				if text := b.mainText(); contains(text, p.en) {
					t.Fatalf("%s in French still shows %q", p.name, p.en)
				}
			}
			b.noOverflow()
			b.laidOut(p.name+"-"+view+"-"+lang, p.minRows)
			b.shot(p.name + "-" + view + "-" + lang)
		}
	})

	// Undo on the credit's side, on a desktop in English.
	b.do(chromedp.EmulateViewport(1280, 900))
	b.open("/lang/en?back=" + creditPage)
	b.waitText("The other side.", false)
	b.do(chromedp.Click(chromedp.CSS(`#edit input[name=transfer]`)), chromedp.Click(chromedp.CSS(`#edit button[type=submit]`)))
	b.waitText("Saved.", false)
	b.shot("undone-desktop-en")
	for _, tx := range []*freenahi.Transaction{move.debit, move.credit} {
		got, err := s.FindTransactionByID(context.Background(), ana.ID, tx.ID)
		if err != nil || got.Transfer || got.TransferPair != nil {
			t.Fatalf("%s after the undo: %+v, %v; want no transfer mark and no pair", tx.OriginalWording, got, err)
		}
	}
	// By hand: 500.00 of income, 500.00 + 42.50 of spending.
	b.cashflowMarch("2025-03|€500.00|€542.50|-€42.50")
	b.shot("reports-undone-desktop-en")
	b.open(debitPage)
	b.waitText("What the bank says", false)
	if contains(b.mainText(), "transfer between my accounts") {
		t.Fatal("the debit's page still shows it as a transfer after the undo on the credit's")
	}
}

// laidOut fails unless the page reads cleanly at the current width: every
// filter select would show any of its options whole (the option's text,
// measured in the select's own font, fits between its padding and its
// arrow), the controls of one filter row stand on one line (their bottoms
// level: a date input is a little taller than a select), and every
// transaction row's label starts at the same x. minRows is how many
// transaction rows the page must show.
func (b *tab) laidOut(page string, minRows int) {
	b.t.Helper()
	const measure = `(() => {
		const ctx = document.createElement("canvas").getContext("2d");
		const arrow = 20; // Chromium's drop-down arrow, drawn inside the padding box
		const clipped = [];
		for (const s of document.querySelectorAll("form.filters select")) {
			const cs = getComputedStyle(s);
			ctx.font = cs.font;
			const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - arrow;
			for (const o of s.options) {
				const need = ctx.measureText(o.text).width;
				if (need > room) clipped.push(s.id + ": " + JSON.stringify(o.text) + " needs " + need.toFixed(1) + "px, has " + room.toFixed(1));
			}
		}
		const rows = new Map();
		for (const c of document.querySelectorAll("form.filters > .field > select, form.filters > .field > input")) {
			const row = Math.round(c.parentElement.getBoundingClientRect().top);
			const bottom = Math.round(c.getBoundingClientRect().bottom);
			if (!rows.has(row)) rows.set(row, new Set());
			rows.get(row).add(c.id + "@" + bottom);
		}
		const ragged = [];
		for (const ids of rows.values()) {
			const bottoms = new Set(Array.from(ids, i => i.split("@")[1]));
			if (bottoms.size > 1) ragged.push(Array.from(ids).join(" "));
		}
		const lefts = Array.from(document.querySelectorAll("ul.rows.tx > li > .label"), l => Math.round(l.getBoundingClientRect().left));
		return JSON.stringify({clipped, ragged, lefts: Array.from(new Set(lefts)), rows: lefts.length});
	})()`
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](measure))
	if err != nil {
		b.t.Fatal(err)
	}
	var m struct {
		Clipped, Ragged []string
		Lefts           []int
		Rows            int
	}
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		b.t.Fatalf("%s: %v", got, err)
	}
	if len(m.Clipped) > 0 || len(m.Ragged) > 0 || len(m.Lefts) > 1 || m.Rows < minRows {
		b.shot("laid-out-" + page)
		b.t.Fatalf("%s: clipped selects %q; filter rows not level %q; label left edges %v over %d rows (want one, over at least %d)",
			page, m.Clipped, m.Ragged, m.Lefts, m.Rows, minRows)
	}
}
