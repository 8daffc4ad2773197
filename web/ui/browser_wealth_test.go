package ui_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_Wealth walks the dashboard, an account's chart, the
// portfolio and the mortgage with its schedule, in English and French, on
// a desktop and a phone, and saves a screenshot of each.
func TestBrowser_Wealth(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	w := webtest.MustAddWealth(t, s, u, 42, parisToday())
	for _, screen := range []struct {
		name          string
		width, height int64
		phone         bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		for _, lang := range []string{"en", "fr"} {
			t.Run(screen.name+"-"+lang, func(t *testing.T) {
				b := newTab(t, ts.URL)
				if screen.phone {
					b.do(chromedp.EmulateViewport(screen.width, screen.height, chromedp.EmulateMobile))
				} else {
					b.do(chromedp.EmulateViewport(screen.width, screen.height))
				}
				b.signIn("ana@example.com")
				if lang == "fr" {
					b.open("/lang/fr?back=/")
				}
				words := map[string][]string{
					"en": {"Net worth in EUR", "Amortisation schedule", "Positions", "Balance history", "€1,109.20", "computed from the loan’s terms"},
					"fr": {"Patrimoine net en EUR", "Tableau d’amortissement", "Positions", "Historique du solde", "1\u202f109,20\u00a0€", "calculé d’après les conditions du crédit"},
				}[lang]
				b.open("/")
				b.waitText(words[0], false)
				b.noOverflow()
				b.shot("dashboard-" + screen.name + "-" + lang)

				b.open(fmt.Sprintf("/accounts/%d?period=3m", w.Checking.ID))
				b.waitText(words[3], false)
				// A tap on the chart reads the day's value under it.
				b.do(chromedp.Click(chromedp.CSS(`figure.chart rect.hit:last-of-type`)))
				b.waitFor("the chart's readout to show a value", func() bool {
					text, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("figure.chart output.readout")))
					return err == nil && (contains(text, "2,345.67") || contains(text, "2\u202f345,67"))
				})
				b.noOverflow()
				b.shot("account-chart-" + screen.name + "-" + lang)

				// The mortgage's capital before its first snapshot is
				// computed from its terms, and the chart says so.
				b.open(fmt.Sprintf("/accounts/%d?period=all", w.Mortgage.ID))
				b.waitText(words[5], false)
				b.noOverflow()
				b.shot("loan-history-" + screen.name + "-" + lang)

				b.open("/investments")
				b.waitText(words[2], false)
				b.noOverflow()
				b.shot("investments-" + screen.name + "-" + lang)

				b.open("/loans")
				b.waitText(words[1], false)
				b.noOverflow()
				b.shot("mortgage-" + screen.name + "-" + lang)
				if !screen.phone { // on a phone the 230 rows make a screenshot 19,000 pixels tall
					b.do(chromedp.Click(chromedp.CSS(`details.alt summary`)))
					b.noOverflow()
					b.shot("mortgage-schedule-" + screen.name + "-" + lang)
				}
				b.open("/calculators?calc=loan&principal=200000&rate=3&years=20&insurance=30")
				b.waitText(words[4], false)
				b.noOverflow()
				b.shot("calculators-" + screen.name + "-" + lang)
			})
		}
	}
}

// noOverflow fails when the page is wider than the screen: nothing may
// need a sideways scroll but the tables inside their own scroll boxes.
func (b *tab) noOverflow() {
	b.t.Helper()
	over, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil {
		b.t.Fatal(err)
	}
	if over {
		b.shot("overflow")
		b.t.Fatalf("the page is wider than the screen")
	}
}
