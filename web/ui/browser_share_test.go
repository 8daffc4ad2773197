package ui_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_HouseholdShare: Ana shares her checking account with Bob
// from its page; Bob finds it on his dashboard, marked as Ana's, counted in
// his net worth, then on the Household page; in English and French, on a
// desktop and a phone, with a screenshot of each step.
func TestBrowser_HouseholdShare(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	today := parisToday()
	ana := webtest.MustAddWealth(t, s, webtest.MustUserWithPassword(t, s, "ana@example.com"), 81, today)
	webtest.MustAddWealth(t, s, webtest.MustUserWithPassword(t, s, "bob@example.com"), 82, today)
	for _, screen := range []struct {
		name          string
		width, height int64
		phone         bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		for _, lang := range []string{"en", "fr"} {
			t.Run(screen.name+"-"+lang, func(t *testing.T) {
				t.Cleanup(func() {
					given, _, err := s.FindShares(ctx, ana.ID)
					for _, sh := range given {
						err = s.RevokeShare(ctx, ana.ID, sh.ID)
					}
					if err != nil {
						t.Fatal(err)
					}
				})
				// Bob's own net worth is the fixture's −149,459.15; with Ana's
				// checking account (2,345.67) it is −147,113.48.
				words := map[string][]string{
					"en": {"Shared. They see this account now.", "Shared by ana@example.com", "-€147,113.48", "Shared with me", "Read-only"},
					"fr": {"Partagé. Cette personne voit ce compte dès maintenant.", "Partagé par ana@example.com", "-147\u202f113,48\u00a0€", "Partagés avec moi", "Lecture seule"},
				}[lang]
				open := func(email string) *tab {
					b := newTab(t, ts.URL)
					if screen.phone {
						b.do(chromedp.EmulateViewport(screen.width, screen.height, chromedp.EmulateMobile))
					} else {
						b.do(chromedp.EmulateViewport(screen.width, screen.height))
					}
					b.signIn(email)
					if lang == "fr" {
						b.open("/lang/fr?back=/")
					}
					return b
				}
				owner := open("ana@example.com")
				owner.open(fmt.Sprintf("/accounts/%d#sharing", ana.Checking.ID))
				owner.fill(map[string]string{"share-email": "bob@example.com"}, `#share-form button[type=submit]`)
				owner.waitLocation("msg=flash.account_shared")
				owner.waitText(words[0], false)
				owner.waitText("bob@example.com", false)
				owner.noOverflow()
				owner.shot("owner-shared-" + screen.name + "-" + lang)

				grantee := open("bob@example.com")
				grantee.open("/")
				grantee.waitText(words[1], false)
				grantee.waitText(words[2], false)
				grantee.noOverflow()
				grantee.shot("grantee-dashboard-" + screen.name + "-" + lang)
				grantee.open(fmt.Sprintf("/accounts/%d", ana.Checking.ID))
				grantee.waitText(words[1], false)
				grantee.waitText(words[4], false)
				grantee.noOverflow()
				grantee.shot("grantee-account-" + screen.name + "-" + lang)
				grantee.open("/shares")
				grantee.waitText(words[3], false)
				grantee.noOverflow()
				grantee.shot("grantee-household-" + screen.name + "-" + lang)
			})
		}
	}
}
