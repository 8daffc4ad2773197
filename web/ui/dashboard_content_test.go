package ui_test

import (
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestUIDashboard_Content renders the dashboard of a fixed data set on a
// fixed day, in English and in French, and checks its figures against
// values computed here from the fixture's own numbers (net worth as the sum
// of the balances by group, the changes from the transactions and
// snapshots, the latest and coming transactions sorted here), then the
// whole <main> against the page as it was before the dashboard was made
// faster (testdata/dashboard_*.golden.html; -update rewrites them).
func TestUIDashboard_Content(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	today := freenahi.Date{Year: 2026, Month: 3, Day: 18}
	now := time.Date(2026, 3, 18, 10, 0, 0, 0, paris)
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Now = func() time.Time { return now } })
	ana := webtest.MustUserWithWealth(t, s, "ana@example.com", 42, today)
	// Two coming transactions: the debit is shown as coming, the credit is not.
	eur := freenahi.Currency{Code: "EUR", Exponent: 2}
	coming := []*freenahi.Transaction{
		{AccountID: ana.Checking.ID, PowensID: 90001, Date: today.AddDays(2), ValueMinor: -4217, OriginalWording: "PRLV EDF MARS",
			Wording: "PRLV EDF MARS", Currency: eur, Active: true, Coming: true, Type: "order"},
		{AccountID: ana.Checking.ID, PowensID: 90002, Date: today.AddDays(1), ValueMinor: 1500, OriginalWording: "REMB MUTUELLE",
			Wording: "REMB MUTUELLE", Currency: eur, Active: true, Coming: true, Type: "transfer"},
	}
	webtest.MustSync(t, s, 42, func(ctx context.Context, w freenahi.SyncWriter) error { return w.UpsertTransactions(ctx, coming) })
	flat := &freenahi.Asset{UserID: ana.ID, Name: "Appartement Lyon", Kind: freenahi.AssetProperty, Currency: eur}
	if err := s.CreateAsset(context.Background(), flat); err != nil {
		t.Fatal(err)
	}
	const flatValue = 31500000
	if err := s.SetAssetValue(context.Background(), ana.ID, flat.ID, freenahi.AssetValue{Date: today.AddDays(-4 * 365), ValueMinor: flatValue}); err != nil {
		t.Fatal(err)
	}
	webtest.MustUserWithWealth(t, s, "bob@example.com", 43, today) // never shown to Ana

	// The oracle: balances at the end of a day, from the fixture's numbers.
	// Checking and savings are rebuilt backwards from today's balance
	// through the booked transactions after the day; the PEA and the
	// mortgage carry their last snapshot: today's sync, else the month-end
	// ones (the fixture's formula).
	reconstructed := func(a *freenahi.Account, d freenahi.Date) int64 {
		v := *a.BalanceMinor
		for _, tx := range ana.Transactions {
			if tx.AccountID == a.ID && tx.Date.After(d) {
				v -= tx.ValueMinor
			}
		}
		return v
	}
	carried := func(d freenahi.Date, base, step, wave int64) int64 {
		if !d.Before(today) {
			return base // today's sync
		}
		for m := 1; m <= 36; m++ {
			end := freenahi.DateOf(time.Date(today.Year, today.Month, 1, 20, 0, 0, 0, time.UTC).AddDate(0, 1-m, -1))
			if !end.After(d) {
				return base + step*int64(m) + wave*int64(m%3)
			}
		}
		t.Fatalf("no snapshot before %v", d)
		return 0
	}
	netWorthOn := func(d freenahi.Date) int64 {
		return reconstructed(ana.Checking, d) + reconstructed(ana.Savings, d) +
			carried(d, 1854030, -31000, 41000) + carried(d, -18234512, -74321, 0) + flatValue
	}
	groups := []struct {
		name  [2]string // English, French
		minor int64
	}{
		{[2]string{"Checking accounts", "Comptes courants"}, *ana.Checking.BalanceMinor},
		{[2]string{"Savings", "Épargne"}, *ana.Savings.BalanceMinor},
		{[2]string{"Investments", "Placements"}, *ana.PEA.BalanceMinor},
		{[2]string{"Loans", "Crédits"}, *ana.Mortgage.BalanceMinor},
		{[2]string{"Other accounts", "Autres comptes"}, flatValue},
	}
	var total int64
	for _, g := range groups {
		total += g.minor
	}
	if total != netWorthOn(today) {
		t.Fatalf("the oracle disagrees with itself: %d by group, %d by history", total, netWorthOn(today))
	}
	booked := slices.Clone(ana.Transactions)
	slices.SortStableFunc(booked, func(a, b *freenahi.Transaction) int { return b.Date.Compare(a.Date) })
	latest := booked[:8]

	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, ana.ID)
	for i, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			if lang == "fr" {
				toFrench(t, c)
			}
			money := func(minor int64) string { return formatEUR(lang, minor) }
			signed := func(minor int64) string {
				if minor >= 0 {
					return "+" + money(minor)
				}
				return money(minor)
			}
			r := c.Get("/")
			webtest.MustStatus(t, r, http.StatusOK)
			main := mainOf(t, r.Body)
			must := func(parts ...string) {
				t.Helper()
				for _, p := range parts {
					if !strings.Contains(main, p) {
						t.Fatalf("dashboard (%s) lacks %q", lang, p)
					}
				}
			}
			must(`<p class="big"><span class="amount">`+money(total)+`</span></p>`,
				map[string]string{"en": "Net worth in EUR", "fr": "Patrimoine net en EUR"}[lang])
			for _, g := range groups {
				must(`<span class="k">` + g.name[i] + `</span><span class="v">` + amountSpan(money, g.minor) + `</span>`)
			}
			// Changes over 1 month and 1 year: the difference of the
			// history's ends, 30 and 365 days apart.
			for _, days := range []int{30, 365} {
				must(signed(total - netWorthOn(today.AddDays(-days))))
			}
			// The PEA is valued from its first month-end snapshot on (36
			// months back: 31 March 2023), later than the checking account's
			// first day: the change since the start leaves it out and the
			// page says so. The mortgage's first snapshot is as late, but
			// its earlier capital is computed from its terms: not left out.
			must(map[string]string{"en": "<li>PEA, valued since 31 Mar 2023</li>", "fr": "<li>PEA, valorisé depuis le 31 mars 2023</li>"}[lang])
			if _, note, ok := strings.Cut(main, "late-note"); !ok || strings.Count(note[:strings.Index(note, "</ul>")], "<li>") != 1 {
				t.Fatalf("the late note lists more than the PEA in\n%s", main)
			}
			// Every counted account and the asset, with their balances.
			for _, a := range []*freenahi.Account{ana.Checking, ana.Savings, ana.PEA, ana.Mortgage} {
				must(`<span class="name">`+a.Name+`</span>`, strconv.Quote("/accounts/"+strconv.FormatInt(a.ID, 10)),
					amountSpan(money, *a.BalanceMinor)+`</li>`)
			}
			must(`<span class="name">Appartement Lyon</span>`)
			// The coming debit is listed once, the coming credit never; the
			// eight newest booked transactions in order.
			must("PRLV EDF MARS", amountSpan(money, -4217))
			if strings.Contains(main, "REMB MUTUELLE") || strings.Count(main, "PRLV EDF MARS") != 1 {
				t.Fatalf("coming transactions wrong in\n%s", main)
			}
			latestAt := strings.Index(main, `aria-labelledby="h-latest"`)
			if latestAt < 0 {
				t.Fatal("no latest transactions")
			}
			rest := main[latestAt:]
			for _, tx := range latest {
				k := strings.Index(rest, amountSpan(money, tx.ValueMinor))
				if k < 0 || !strings.Contains(rest[:k], tx.Wording) {
					t.Fatalf("latest transactions: %s %s missing or out of order in\n%s", tx.Wording, money(tx.ValueMinor), main[latestAt:])
				}
				rest = rest[k+1:]
			}
			if strings.Contains(main, "bob@example.com") {
				t.Fatal("Bob's data on Ana's dashboard")
			}
			golden := filepath.Join("testdata", "dashboard_"+lang+".golden.html")
			if *update {
				if err := os.WriteFile(golden, []byte(main), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if main != string(want) {
				t.Fatalf("dashboard (%s) differs from %s:\n%s", lang, golden, firstDifference(string(want), main))
			}
		})
	}
	// Names are escaped in the list written outside the template.
	name := `<b>Joint & "Co" 'A+B'</b>`
	if _, err := s.UpdateAccountChoices(context.Background(), ana.ID, ana.Savings.ID, freenahi.AccountChoices{Name: &name}); err != nil {
		t.Fatal(err)
	}
	main := mainOf(t, c.Get("/").Body)
	if want := `<span class="name">&lt;b&gt;Joint &amp; &#34;Co&#34; &#39;A+B&#39;&lt;/b&gt;</span>`; !strings.Contains(main, want) || strings.Contains(main, "<b>Joint") {
		t.Fatalf("account name not escaped as %s in\n%s", want, main)
	}
}

// mainOf is the page's <main> element.
func mainOf(t *testing.T, body string) string {
	t.Helper()
	start, end := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if start < 0 || end < start {
		t.Fatalf("no <main> in\n%s", webtest.Excerpt(body))
	}
	return body[start : end+len("</main>")]
}

// amountSpan is an amount as the pages mark it up, negative ones flagged.
func amountSpan(money func(int64) string, minor int64) string {
	if minor < 0 {
		return `<span class="amount neg">` + money(minor) + `</span>`
	}
	return `<span class="amount">` + money(minor) + `</span>`
}

// formatEUR writes euros as each language writes them, independently of
// the locale package: -€1,234.56 in English, -1 234,56 € in French (a
// narrow no-break space between thousands, a no-break space before €).
func formatEUR(lang string, minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	units, cents := strconv.FormatInt(minor/100, 10), minor%100
	sep, dec := ",", "."
	if lang == "fr" {
		sep, dec = "\u202f", ","
	}
	var grouped []string
	for len(units) > 3 {
		grouped = append([]string{units[len(units)-3:]}, grouped...)
		units = units[:len(units)-3]
	}
	num := strings.Join(append([]string{units}, grouped...), sep) + dec + string(rune('0'+cents/10)) + string(rune('0'+cents%10))
	if lang == "fr" {
		return sign + num + "\u00a0€"
	}
	return sign + "€" + num
}

// firstDifference shows where two texts part, with some context.
func firstDifference(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-200)
	return "want …" + want[from:min(len(want), i+200)] + "…\ngot  …" + got[from:min(len(got), i+200)] + "…"
}
