package ui_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_PhoneHeaderAndIBAN: at 390 px in French, the header is one
// line with a Menu button that unfolds the navigation, and the account
// page (its IBAN in groups of four) never scrolls sideways.
func TestBrowser_PhoneHeaderAndIBAN(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, u, 42)
	eur := webtest.FrenchAccount(t, s, u.ID)
	b := newTab(t, ts.URL)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn("ana@example.com")
	b.open("/lang/fr?back=/accounts/" + itoa(eur.ID))
	b.waitText("FR76 3000 6000 0112 3456 7890 189", false)
	b.shot("account-phone-fr")
	height, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`document.querySelector("header.top").getBoundingClientRect().height`))
	if err != nil || height > 72 {
		t.Fatalf("header %v px high on a phone (%v)", height, err)
	}
	if text := b.mainText(); contains(text, "Opérations\n") && !contains(text, "Menu") {
		t.Fatalf("navigation shown unfolded:\n%s", text)
	}
	wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || wide {
		t.Fatalf("the account page scrolls sideways at 390 px (%v)", err)
	}
	b.do(chromedp.Click(chromedp.CSS(".menu-toggle")))
	b.do(chromedp.WaitVisible(chromedp.CSS(`#nav-menu a[href="/transactions"]`)))
	expanded, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(".menu-toggle").getAttribute("aria-expanded")`))
	if expanded != "true" {
		t.Fatalf("aria-expanded %q after opening the menu", expanded)
	}
	b.shot("menu-open-phone-fr")
	b.do(chromedp.Click(chromedp.CSS(`#nav-menu a[href="/transactions"]`)))
	b.waitLocation("/transactions")
}

// TestBrowser_Offline: once a page was seen, the service worker answers
// page loads with the offline page when the server cannot be reached.
func TestBrowser_Offline(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	b := newTab(t, ts.URL)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.open("/lang/fr?back=/signin")
	b.waitFor("the service worker to control the page", func() bool {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!navigator.serviceWorker.controller`))
		if err == nil && !ok {
			chromedp.Do(b.ctx, chromedp.Reload())
		}
		return err == nil && ok
	})
	ts.Close()
	b.open("/accounts")
	b.waitText("Vous êtes hors ligne", false)
	b.shot("offline-phone-fr")
}
