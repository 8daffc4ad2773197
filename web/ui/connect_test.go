package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/web/webtest"
)

// The custom connection flow against the sandbox, page by page, as a
// browser without JavaScript sees it.

func TestUIConnect_Connectors(t *testing.T) {
	e := webtest.NewFlow(t)
	r := e.Client.Get("/connect")
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Connecteur de test", "Banque Démo Pro", "Assurance Vie Démo", `<label for="q">`, `action="/connect/webview"`)
	r = e.Client.Get("/connect?q=demo")
	webtest.MustContain(t, r, "Banque Démo Pro", "Assurance Vie Démo")
	webtest.MustNotContain(t, r, "Connecteur de test")
	r = e.Client.Get("/connect?cap=wealth")
	webtest.MustContain(t, r, "Assurance Vie Démo", "Connecteur de test")
	webtest.MustNotContain(t, r, "Banque Démo Pro")
}

func TestUIConnect_Form(t *testing.T) {
	e := webtest.NewFlow(t)
	r := e.Client.Get("/connect/bank/" + sandbox.TestBankUUID)
	webtest.MustStatus(t, r, http.StatusOK)
	// The first source (directaccess, priority 1) with its credentials fields only.
	webtest.MustContain(t, r, `<label for="f-login">Identifiant`, `name="f.login" type="text"`, `name="f.password" type="password"`,
		"Identifiants de test\u00a0: demo, 2fa", `aria-describedby="h-login"`, " required")
	r = e.Client.Get("/connect/bank/" + sandbox.ProBankUUID)
	webtest.MustContain(t, r, `<select id="f-website" name="f.website" required`, `<option value="pro">Professionnels</option>`)

	t.Run("CheckedOnTheServer", func(t *testing.T) {
		r := e.Client.Post("/connect/bank/"+sandbox.ProBankUUID, url.Values{"f.website": {"corporate"}, "f.password": {"x"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "Choose one of the listed values.", "This field is required.")
		webtest.MustNotContain(t, r, `value="x"`) // a password is never shown back
	})
	t.Run("UnknownConnector", func(t *testing.T) {
		webtest.MustStatus(t, e.Client.Get("/connect/bank/00000000-0000-0000-0000-000000000000"), http.StatusNotFound)
	})
}

func TestUIConnect_PlainCredentialsAndActivation(t *testing.T) {
	e := webtest.NewFlow(t)
	r := e.Connect(sandbox.TestBankUUID, "demo", nil)
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Choose your accounts", "Compte chèques", "Carte Visa Premier", "Livret A", "Prêt immobilier",
		`name="do" value="more"`)
	pid := webtest.PowensID(t, r.Body)
	ids := regexp.MustCompile(`name="account" value="(\d+)"`).FindAllStringSubmatch(r.Body, -1)
	if len(ids) != 4 {
		t.Fatalf("%d accounts offered, want the 4 of the first source", len(ids))
	}
	if n := strings.Count(r.Body, `name="account" value=`); n != 4 || strings.Count(r.Body, " checked>") != 4 {
		t.Fatalf("the first choice should start with the 4 accounts ticked:\n%s", r.Body)
	}

	t.Run("RefusesOtherIDs", func(t *testing.T) {
		r := e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"account": {"999999"}, "do": {"activate"}})
		webtest.MustStatus(t, r, http.StatusBadRequest)
	})
	t.Run("NoneChosen", func(t *testing.T) {
		r := e.Settle(e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"do": {"activate"}}))
		webtest.MustContain(t, r, "Tick at least one account.")
	})

	// A subset: the checking account and the savings account.
	r = e.Settle(e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"account": {ids[0][1], ids[2][1]}, "do": {"activate"}}))
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Your accounts are being synchronised")
	e.Drain()
	r = e.Client.Get("/accounts")
	webtest.MustContain(t, r, "Compte chèques", "Livret A")
	webtest.MustNotContain(t, r, "Carte Visa Premier", "Prêt immobilier")
	webtest.MustContain(t, r, "2 accounts found at your banks are not activated.")

	r = e.Client.Get("/connections")
	webtest.MustContain(t, r, "Connecteur de test", "Everything works.", "Sync now", "Delete")
}

func TestUIConnect_TwoFactor(t *testing.T) {
	e := webtest.NewFlow(t)
	r := e.Connect(sandbox.TestBankUUID, "2fa", nil)
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Your bank asks for more information.", `name="f.otp"`, `pattern="^\d{6}$"`, "Code reçu par SMS")
	pid := webtest.PowensID(t, r.Body)

	r = e.Client.Post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"12ab"}})
	webtest.MustStatus(t, r, http.StatusBadRequest)
	webtest.MustContain(t, r, "This value does not have the expected format.")

	r = e.Settle(e.Client.Post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"000000"}}))
	webtest.MustContain(t, r, "Your bank refused this code.", `name="f.otp"`)

	r = e.Settle(e.Client.Post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"123456"}}))
	webtest.MustContain(t, r, "Choose your accounts", "Compte chèques")
}

func TestUIConnect_Decoupled(t *testing.T) {
	e := webtest.NewFlow(t)
	r := e.Connect(sandbox.TestBankUUID, "decoupled", nil)
	webtest.MustContain(t, r, "Confirm in your bank’s app.", "I approved it, continue")
	pid := webtest.PowensID(t, r.Body)
	r = e.Settle(e.Client.Post("/connect/c/"+pid+"/resume", nil))
	webtest.MustContain(t, r, "Choose your accounts")
}

func TestUIConnect_WrongpassThenRetry(t *testing.T) {
	e := webtest.NewFlow(t)
	r := e.Connect(sandbox.TestBankUUID, "wrongpass", nil)
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Your bank refused these credentials.", `name="f.login"`)
	r = e.Connect(sandbox.TestBankUUID, "demo", nil)
	webtest.MustContain(t, r, "Choose your accounts")
}

// TestUIConnect_WebauthSource adds the second source (openapi, webauth) by
// "add more accounts": the choice made so far travels through the bank.
func TestUIConnect_WebauthSource(t *testing.T) {
	e := webtest.NewFlow(t)
	r := e.Connect(sandbox.TestBankUUID, "demo", nil)
	pid := webtest.PowensID(t, r.Body)
	first := regexp.MustCompile(`name="account" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
	r = e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"account": {first}, "do": {"more"}})
	r = e.Settle(r)
	webtest.MustContain(t, r, "Adding more accounts (your bank’s open banking interface).", "Continue to the bank’s page")
	webtest.MustNotContain(t, r, `name="f.login"`) // fields of the source already added are not asked again

	t.Run("Denied", func(t *testing.T) {
		r := e.Client.Post("/connect/bank/"+sandbox.TestBankUUID, url.Values{"connection": {pid}, "source": {"openapi"}, "keep": {first}})
		r = e.AtBank(e.Settle(r), "deny")
		webtest.MustContain(t, r, "You cancelled at the bank or in the Powens window; nothing was changed.", "Try again")
	})

	r = e.Client.Post("/connect/bank/"+sandbox.TestBankUUID, url.Values{"connection": {pid}, "source": {"openapi"}, "keep": {first}})
	r = e.AtBank(e.Settle(r), "authorize")
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Choose your accounts", "PEA", "Assurance vie Horizon", `value="`+first+`" checked`)
	webtest.MustNotContain(t, r, `name="do" value="more"`) // no source left

	t.Run("StateBoundToSession", func(t *testing.T) {
		other := webtest.NewClient(t, e.URL)
		webtest.MustUserWithPassword(t, e.Store, "eve@example.com")
		other.SignIn("eve@example.com")
		r := other.Get("/connect/callback?id_connection=" + pid + "&state=forged.state")
		webtest.MustStatus(t, r, http.StatusBadRequest)
		webtest.MustContain(t, r, "does not belong to your current session")
	})
}

func TestUIConnect_OtherPersonsConnection(t *testing.T) {
	e := webtest.NewFlow(t)
	r := e.Connect(sandbox.TestBankUUID, "2fa", nil)
	pid := webtest.PowensID(t, r.Body)
	eve := webtest.NewClient(t, e.URL)
	webtest.MustUserWithPassword(t, e.Store, "eve@example.com")
	eve.SignIn("eve@example.com")
	for _, path := range []string{"/connect/c/" + pid, "/connect/c/" + pid + "/accounts"} {
		webtest.MustStatus(t, eve.Get(path), http.StatusNotFound)
	}
	for _, path := range []string{"/connect/c/" + pid + "/answer", "/connect/c/" + pid + "/retry", "/connect/c/" + pid + "/accounts"} {
		webtest.MustStatus(t, eve.Post(path, url.Values{"f.otp": {"123456"}}), http.StatusNotFound)
	}
	r = eve.Post("/connect/bank/"+sandbox.TestBankUUID, url.Values{"connection": {pid}, "source": {"openapi"}})
	webtest.MustStatus(t, r, http.StatusNotFound)
	// Ana's connection still waits for her code.
	webtest.MustContain(t, e.Client.Get("/connect/c/"+pid), "Your bank asks for more information.")
}

// TestUIConnect_Repairs reaches the states that appear on a later sync and
// repairs each from the connections page.
func TestUIConnect_Repairs(t *testing.T) {
	e := webtest.NewFlow(t)
	repair := func(t *testing.T, login string) (string, *webtest.Page) {
		t.Helper()
		r := e.Connect(sandbox.TestBankUUID, login, nil)
		pid := webtest.PowensID(t, r.Body)
		id := regexp.MustCompile(`name="account" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
		e.Settle(e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"account": {id}, "do": {"activate"}}))
		n, _ := strconv.ParseInt(pid, 10, 64)
		e.Sandbox.SyncConnection(n) // Powens' own daily sync, the person absent
		if err := e.Aggregator.PullConnection(ctx, e.User.ID, n); err != nil {
			t.Fatal(err)
		}
		e.Drain()
		r = e.Client.Get("/connections")
		repairLink := regexp.MustCompile(`href="(/connections/\d+/repair)"`).FindStringSubmatch(r.Body)
		if repairLink == nil {
			t.Fatalf("no repair action on the connections page:\n%s", webtest.Excerpt(r.Body))
		}
		return pid, e.Settle(e.Client.Get(repairLink[1]))
	}
	t.Run("SCARequired", func(t *testing.T) {
		pid, r := repair(t, "sca")
		webtest.MustContain(t, r, "Your bank needs you to confirm your identity.", "Authenticate again", "Repair in the Powens window")
		r = e.Settle(e.Client.Post("/connect/c/"+pid+"/retry", nil))
		webtest.MustContain(t, r, "Repaired: your bank connection works again.", "Add or remove accounts")
		webtest.MustNotContain(t, r, "Choose your accounts")
	})
	t.Run("WebauthRequired", func(t *testing.T) {
		pid, r := repair(t, "webauth")
		webtest.MustContain(t, r, "Your bank needs you to sign in on its page again.")
		r = e.AtBank(e.Settle(e.Client.Post("/connect/c/"+pid+"/webauth", nil)), "authorize")
		webtest.MustContain(t, r, "Repaired: your bank connection works again.")
	})
}

func mustConnections(t *testing.T, e *webtest.Flow) []*freenahi.Connection {
	t.Helper()
	e.Drain()
	conns, err := e.Store.FindConnections(ctx, e.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	return conns
}

func TestUIConnect_OtherStates(t *testing.T) {
	e := webtest.NewFlow(t)
	t.Run("ActionNeeded", func(t *testing.T) {
		r := e.Connect(sandbox.TestBankUUID, "action", nil)
		webtest.MustContain(t, r, "Your bank says:", "Veuillez accepter les nouvelles conditions générales", "Done at the bank, check again")
		r = e.Settle(e.Client.Post("/connect/c/"+webtest.PowensID(t, r.Body)+"/retry", nil))
		webtest.MustContain(t, r, "Choose your accounts")
	})
	t.Run("PasswordExpired", func(t *testing.T) {
		r := e.Connect(sandbox.TestBankUUID, "expired", nil)
		webtest.MustContain(t, r, "Change it on your bank’s website first", `name="f.login"`, `name="f.password"`)
		r = e.Settle(e.Client.Post("/connect/c/"+webtest.PowensID(t, r.Body)+"/credentials", url.Values{"f.login": {"expired"}, "f.password": {"new one"}}))
		webtest.MustContain(t, r, "Choose your accounts")
	})
	t.Run("WebsiteUnavailable", func(t *testing.T) {
		r := e.Connect(sandbox.TestBankUUID, "down", nil)
		webtest.MustContain(t, r, "Your bank’s website is unavailable. Powens will try again by itself", "Next try:",
			"This page checks again by itself every 30 seconds.", `<meta http-equiv="refresh" content="30">`)
		// The bank is back at the next sync: "check now" leads on to the
		// accounts to choose.
		r = e.Settle(e.Client.Post("/connect/c/"+webtest.PowensID(t, r.Body)+"/retry", nil))
		webtest.MustContain(t, r, "Choose your accounts")
	})
	t.Run("Slow", func(t *testing.T) {
		webtest.MustStatus(t, e.Client.Get("/connect/bank/"+sandbox.TestBankUUID), http.StatusOK)
		r := e.Client.Post("/connect/bank/"+sandbox.TestBankUUID, url.Values{"f.login": {"slow"}, "f.password": {"x"}})
		if loc := r.Header.Get("Location"); r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/connect/jobs/") {
			t.Fatalf("slow login → %d %q, want the progress page", r.Status, loc)
		}
		p := e.Client.Get(r.Header.Get("Location"))
		webtest.MustStatus(t, p, http.StatusAccepted)
		webtest.MustContain(t, p, "Your bank is checking your credentials…", "data-poll=", `http-equiv="refresh"`)
		webtest.MustContain(t, e.Settle(p), "Choose your accounts")
	})
}

func TestUIConnect_Delete(t *testing.T) {
	e := webtest.NewFlow(t)
	webtest.MustContain(t, e.Connect(sandbox.TestBankUUID, "demo", nil), "Choose your accounts")
	conns := mustConnections(t, e)
	if len(conns) != 1 {
		t.Fatalf("%d connections in the store after adding one", len(conns))
	}
	path := "/connections/" + itoa(conns[0].ID) + "/delete"
	r := e.Client.Get(path)
	webtest.MustStatus(t, r, http.StatusOK)
	webtest.MustContain(t, r, "Delete the connection to Connecteur de test?", "Yes, delete it")
	r = e.Client.Post(path, nil)
	webtest.MustStatus(t, r, http.StatusSeeOther)
	e.Drain()
	r = e.Client.Get(r.Header.Get("Location"))
	webtest.MustContain(t, r, "The connection is deleted.", "Deleted")
	webtest.MustNotContain(t, r, "Sync now")
}
