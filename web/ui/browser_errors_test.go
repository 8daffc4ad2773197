package ui_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/web/webtest"
)

// TestBrowser_CreateTimeErrors: when Powens refuses to create a connection
// with an HTTP error rather than a state, each error reaches a screen of its
// own that says what to do, in the person's language; never a generic
// "refused". The sandbox answers these logins as real Powens does.
func TestBrowser_CreateTimeErrors(t *testing.T) {
	t.Parallel() // see TestMain
	e := webtest.NewFlow(t)
	e.StartWorker()
	b := newTab(t, e.URL)
	b.signIn("ana@example.com")
	form := func(login string) {
		t.Helper()
		b.open("/connect/bank/" + sandbox.TestBankUUID)
		b.waitText("Identifiant", false)
		b.fill(map[string]string{"f-login": login, "f-password": "secret"}, `button.primary`)
	}
	for _, tc := range []struct{ login, text, shot string }{
		{"err-passwordexpired", "Your bank says your password has expired", "password-expired"},
		{"err-action", "Your bank says:", "action-needed"},
		{"err-down", "Your bank’s website is unavailable right now", "website-down"},
		{"err-bug", "Powens met an unexpected problem with your bank", "powens-bug"},
		{"err-ratelimit", "Your bank refuses more attempts for now", "rate-limited"},
	} {
		t.Run(tc.shot, func(t *testing.T) {
			b.t = t
			form(tc.login)
			b.waitText(tc.text, false)
			b.shot(tc.shot)
		})
	}
	t.Run("decoupled-pending", func(t *testing.T) {
		b.t = t
		release := e.Sandbox.HoldDecoupled() // the bank's app waits for the person
		defer release()
		b.forgetShown()
		form("decoupled")
		b.waitShown("Confirm in your bank’s app.")
		// That screen submits itself after half a second: opening the form
		// before it has moved on to the waiting page raced with its submit
		// (CI at load, "gave up … waiting for the page to show 'Identifiant'").
		b.waitText("Waiting for your confirmation", false)
		form("demo") // another connection to the same bank meanwhile
		b.waitText("Another connection to this bank waits for your confirmation", false)
		b.shot("decoupled-pending")
	})
	t.Run("french", func(t *testing.T) {
		b.t = t
		b.open("/lang/fr?back=/connections")
		form("err-down")
		b.waitText("Le site de votre banque est indisponible pour le moment", false)
		b.do(chromedp.Click(chromedp.CSS(`a.button.primary`))) // try again: the form
		b.waitText("Identifiant", false)
		b.shot("website-down-fr")
	})
}
