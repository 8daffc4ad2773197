package ui_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

func TestBrowser_SetupAndSignIn(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	b := newTab(t, ts.URL)

	b.open("/")
	b.waitText("Welcome to freenahi", false)
	b.shot("setup")
	b.fill(map[string]string{"email": "ana@example.com", "password": webtest.Password, "confirm": webtest.Password}, `button[type=submit]`)
	b.waitText("Your account is ready", false)
	b.do(chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	b.waitText("You are signed out.", false)
	b.fill(map[string]string{"email": "ana@example.com", "password": webtest.Password}, `button[type=submit]`)
	b.waitText("No account yet", false)
	b.shot("signed-in")
}

// TestBrowser_Connect adds the test bank in every way the sandbox scripts,
// in one browser tab signed in once.
func TestBrowser_Connect(t *testing.T) {
	t.Parallel() // see TestMain
	e := webtest.NewFlow(t)
	e.StartWorker()
	b := newTab(t, e.URL)
	b.signIn("ana@example.com")
	form := func(login string) {
		t.Helper()
		b.open("/connect?q=test")
		b.do(chromedp.Click(chromedp.CSS(`a[href="/connect/bank/` + sandbox.TestBankUUID + `"]`)))
		b.fill(map[string]string{"f-login": login, "f-password": "secret"}, `button.primary`)
	}
	tick := func(i int) {
		t.Helper()
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(function(){var b=document.querySelectorAll('input[name=account]')[`+
			itoa(int64(i))+`];b.click();return b.checked})()`)); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("PlainCredentialsAndSubset", func(t *testing.T) {
		b.t = t
		form("demo")
		b.waitText("Choose your accounts", false)
		// The first choice starts with every account ticked; "All
		// accounts" says so, and unticking two leaves it half-ticked.
		if all, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById('acc-all').checked`)); err != nil || !all {
			t.Fatalf("\"All accounts\" not ticked at first (%v)", err)
		}
		tick(1)
		tick(3)
		if half, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById('acc-all').indeterminate`)); err != nil || !half {
			t.Fatalf("\"All accounts\" should be half-ticked after unticking two (%v)", err)
		}
		b.shot("activation")
		b.do(chromedp.Click(chromedp.CSS(`button[value=activate]`)))
		b.waitPath("/accounts") // reloading before would cancel the post
		b.waitText("Livret A", true)
		b.waitText("2 accounts found at your banks are not activated.", true)
		b.shot("accounts")
	})
	t.Run("TwoFactor", func(t *testing.T) {
		b.t = t
		form("2fa")
		b.waitText("Your bank asks for more information.", false)
		b.fill(map[string]string{"f-otp": "000000"}, `button.primary`)
		b.waitText("Your bank refused this code.", false)
		b.shot("wrong-code")
		b.fill(map[string]string{"f-otp": "123456"}, `button.primary`)
		b.waitText("Choose your accounts", false)
	})
	t.Run("Decoupled", func(t *testing.T) {
		b.t = t
		// The bank app confirms only once the page was seen, and the page
		// submits itself after half a second: on a loaded machine both went
		// by before the test looked (waitShown reads every page shown).
		release := e.Sandbox.HoldDecoupled()
		defer release()
		b.forgetShown()
		form("decoupled")
		b.waitShown("Confirm in your bank’s app.")
		b.waitText("Waiting for your confirmation in the bank’s app…", false)
		b.shot("decoupled")
		release()
		// No click: the page follows the bank app by itself.
		b.waitText("Choose your accounts", false)
	})
	t.Run("WrongpassThenRetry", func(t *testing.T) {
		b.t = t
		form("wrongpass")
		b.waitText("Your bank refused these credentials.", false)
		b.shot("wrongpass")
		// The login typed before is still there; the password is not.
		login, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById('f-login').value + '|' + document.getElementById('f-password').value`))
		if err != nil || login != "wrongpass|" {
			t.Fatalf("after a refused password the fields hold %q (%v), want the login kept and the password empty", login, err)
		}
		b.fill(map[string]string{"f-login": "demo", "f-password": "right"}, `button.primary`)
		b.waitText("Choose your accounts", false)
	})
	t.Run("WebauthSource", func(t *testing.T) {
		b.t = t
		form("demo")
		b.waitText("Choose your accounts", false)
		tick(0)
		b.do(chromedp.Click(chromedp.CSS(`button[value=more]`)))
		b.waitText("Continue to the bank’s page", false)
		b.do(chromedp.Click(chromedp.CSS(`button.primary`)))
		b.waitText("Authorize", false) // the sandbox's bank page
		b.shot("bank-page")
		b.do(chromedp.Click(chromedp.CSS(`button[value=authorize]`)))
		b.waitText("Assurance vie Horizon", false)
		b.shot("activation-after-webauth")
	})
	t.Run("RepairAfterSCARequired", func(t *testing.T) {
		b.t = t
		form("sca")
		b.waitText("Choose your accounts", false)
		pid := webtest.PowensID(t, b.html())
		tick(0)
		b.do(chromedp.Click(chromedp.CSS(`button[value=activate]`)))
		b.waitText("Your accounts are being synchronised", false)
		n := mustParseInt(t, pid)
		e.Sandbox.SyncConnection(n) // the daily sync, without the person: SCARequired
		if err := e.Aggregator.PullConnection(ctx, e.User.ID, n); err != nil {
			t.Fatal(err)
		}
		b.open("/connections")
		b.waitText("Your bank needs you to confirm your identity.", true)
		b.shot("sca-required")
		b.do(chromedp.Click(chromedp.CSS(`a[href$="/repair"]`)))
		b.waitText("Authenticate again", false)
		b.do(chromedp.Click(chromedp.CSS(`button.primary`)))
		b.waitText("Repaired: your bank connection works again.", false)
		b.shot("repaired")
	})
}

func TestBrowser_TransactionsSearch(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s)
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	webtest.MustAddData(t, s, u, 42)
	b := newTab(t, ts.URL)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)) // a phone
	b.signIn("ana@example.com")
	b.open("/transactions")
	b.waitText("PRLV SEPA EDF", false)
	b.fill(map[string]string{"q": "carrefour"}, `form[role=search] button[type=submit]`)
	b.waitLocation("q=carrefour")
	b.waitText("CB CARREFOUR 13/01", false)
	if text := b.mainText(); contains(text, "PRLV SEPA EDF") {
		t.Fatalf("the search kept other transactions:\n%s", text)
	}
	b.shot("transactions-search-phone")
}
