package ui_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_RoughEdges walks, on a phone and in French, the places where a
// new person was left stuck or misinformed: a bank outage with no way to
// check again, connections that cannot be told apart, a token revoked in one
// tap with no way to copy a new one, a request id on error pages.
func TestBrowser_RoughEdges(t *testing.T) {
	t.Parallel() // see TestMain
	e := webtest.NewFlow(t)
	e.StartWorker()
	b := newTab(t, e.URL)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn("ana@example.com")
	b.open("/lang/fr?back=/connect")
	form := func(login string) {
		t.Helper()
		b.open("/connect?q=test")
		b.do(chromedp.Click(chromedp.CSS(`a[href="/connect/bank/` + sandbox.TestBankUUID + `"]`)))
		b.fill(map[string]string{"f-login": login, "f-password": "secret"}, `button.primary`)
	}

	t.Run("OutageThenCheckNow", func(t *testing.T) {
		b.t = t
		form("down")
		b.waitText("Temporairement indisponible", false)
		b.waitText("Cette page vérifie de nouveau d’elle-même toutes les 30 secondes.", false)
		b.shot("outage-fr-phone")
		// The bank is back (the sandbox succeeds at the next sync): "check
		// now" leads on to choosing the accounts, all ticked at first.
		b.do(chromedp.Click(chromedp.CSS(`form[action$="/retry"] button.primary`)))
		b.waitText("Choisissez vos comptes", false)
		b.do(chromedp.Click(chromedp.CSS(`button[value=activate]`)))
		b.waitPath("/accounts")
	})
	t.Run("ConnectionsToldApart", func(t *testing.T) {
		b.t = t
		form("demo")
		b.waitText("Choisissez vos comptes", false)
		b.do(chromedp.Click(chromedp.CSS(`button[value=activate]`)))
		b.waitPath("/accounts")
		b.open("/connections")
		// Two connections to the same test bank: each card names its
		// accounts, its date and its number.
		b.waitText("Compte chèques, Carte Visa Premier, Livret A et 1 autre", true)
		text := b.mainText()
		if !contains(text, "Ajoutée") || !contains(text, "Connexion n°") {
			t.Fatalf("connection cards without date or number:\n%s", text)
		}
		b.shot("connections-told-apart-fr-phone")
	})
	t.Run("TokenCopyAndRevokeConfirm", func(t *testing.T) {
		b.t = t
		b.open("/settings/tokens")
		b.fill(map[string]string{"name": "tableur"}, `form[action="/settings/tokens"] button.primary`)
		b.waitText("Copiez-le maintenant", false)
		b.do(chromedp.Click(chromedp.CSS(`button[data-copy=secret]`)))
		b.waitText("Copié.", false)
		b.shot("token-copied-fr-phone")
		b.open("/settings/tokens")
		// The page fits the phone: nothing sticks out sideways.
		if wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
			b.shot("token-list-too-wide")
			t.Fatalf("the tokens page scrolls sideways on a phone (%v)", err)
		}
		b.do(chromedp.Click(chromedp.CSS(`a.button.danger[href$="/revoke"]`)))
		b.waitText("Révoquer le jeton «\u00a0tableur\u00a0»\u00a0?", false)
		b.shot("token-revoke-confirm-fr-phone")
		b.do(chromedp.Click(chromedp.CSS(`form[action$="/revoke"] button.danger`)))
		b.waitPath("/settings/tokens")
		b.waitText("Aucun jeton pour l’instant.", false)
	})
	t.Run("ErrorPageWithoutRequestID", func(t *testing.T) {
		b.t = t
		b.open("/accounts/999999")
		b.waitText("Retour à l’accueil", false)
		if text := b.mainText(); contains(text, "requête") || contains(text, "Request id") {
			t.Fatalf("an error page shows a request id to a person:\n%s", text)
		}
	})
}
