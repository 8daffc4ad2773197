package ui_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_AccountsYourWay renames an account and finds the new name on
// the dashboard, hides the Livret A and sees it leave net worth, then adds
// a flat with two dated values and its chart; in English and French, on a
// desktop and a phone, with a screenshot of each step.
func TestBrowser_AccountsYourWay(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	today := parisToday()
	w := webtest.MustAddWealth(t, s, u, 42, today)
	for _, screen := range []struct {
		name          string
		width, height int64
		phone         bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		for _, lang := range []string{"en", "fr"} {
			t.Run(screen.name+"-"+lang, func(t *testing.T) {
				t.Cleanup(func() { resetAccounts(t, s, w) })
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
				// The fixture's net worth, −149,459.15, without the Livret A's
				// 12,000.00, then with a flat worth 250,000.00.
				words := map[string][]string{
					"en": {"Name at the bank", "-€161,459.15", "€88,540.85", "Value over time"},
					"fr": {"Nom à la banque", "-161\u202f459,15\u00a0€", "88\u202f540,85\u00a0€", "Valeur dans le temps"},
				}[lang]
				name := "Joint account " + screen.name + " " + lang

				b.open(fmt.Sprintf("/accounts/%d", w.Checking.ID))
				b.do(chromedp.Click(chromedp.CSS(`#choices summary`)))
				b.fill(map[string]string{"ch-name": name}, `#choices button[type=submit]`)
				b.waitText(words[0], false)
				b.waitText(name, false)
				b.noOverflow()
				b.shot("account-renamed-" + screen.name + "-" + lang)
				b.open("/")
				b.waitText(name, false)
				b.noOverflow()
				b.shot("dashboard-renamed-" + screen.name + "-" + lang)

				b.open(fmt.Sprintf("/accounts/%d", w.Savings.ID))
				b.do(chromedp.Click(chromedp.CSS(`#choices summary`)),
					chromedp.Click(chromedp.CSS(`#choices input[name=hidden]`)),
					chromedp.Click(chromedp.CSS(`#choices button[type=submit]`)))
				b.waitLocation("msg=flash.account_saved")
				b.open("/")
				b.waitText(words[1], false)
				b.noOverflow()
				b.shot("dashboard-hidden-" + screen.name + "-" + lang)
				b.open("/accounts?hidden=1#set-aside")
				b.waitText("Livret A", false)
				b.shot("accounts-hidden-" + screen.name + "-" + lang)

				b.open("/assets")
				b.fill(map[string]string{"as-name": "Flat " + lang, "as-value": "250000"}, `#new button[type=submit]`)
				b.waitLocation("msg=flash.asset_saved")
				b.do(chromedp.SetValue(chromedp.ID("v-date"), today.AddDays(-200).String()),
					chromedp.SetValue(chromedp.ID("v-value"), "231500"),
					chromedp.Click(chromedp.CSS(`form[action$="/values"] button[type=submit]`)))
				b.waitLocation("msg=flash.asset_value_saved")
				b.waitText(words[3], false)
				b.do(chromedp.WaitVisible(chromedp.CSS(`figure.chart svg`)))
				b.noOverflow()
				b.shot("asset-history-" + screen.name + "-" + lang)
				b.open("/")
				b.waitText(words[2], false)
				b.noOverflow()
				b.shot("dashboard-asset-" + screen.name + "-" + lang)
			})
		}
	}
}

// resetAccounts gives the fixture's accounts back their bank names and
// visibility and deletes the assets a subtest added.
func resetAccounts(t *testing.T, s *store.Store, w *webtest.Wealth) {
	ctx := context.Background()
	empty, no := "", false
	for _, a := range []*freenahi.Account{w.Checking, w.Savings} {
		if _, err := s.UpdateAccountChoices(ctx, w.ID, a.ID, freenahi.AccountChoices{Name: &empty, Hidden: &no}); err != nil {
			t.Error(err)
		}
	}
	assets, err := s.FindAssets(ctx, w.ID)
	if err != nil {
		t.Error(err)
	}
	for _, a := range assets {
		if err := s.DeleteAsset(ctx, w.ID, a.ID); err != nil {
			t.Error(err)
		}
	}
}
