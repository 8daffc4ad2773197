package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
)

// The custom connection flow against the sandbox, page by page, as a
// browser without JavaScript sees it.

func TestUIConnect_Connectors(t *testing.T) {
	e := newFlowEnv(t)
	r := e.c.get("/connect")
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "Connecteur de test", "Banque Démo Pro", "Assurance Vie Démo", `<label for="q">`, `action="/connect/webview"`)
	r = e.c.get("/connect?q=demo")
	mustContain(t, r, "Banque Démo Pro", "Assurance Vie Démo")
	mustNotContain(t, r, "Connecteur de test")
	r = e.c.get("/connect?cap=wealth")
	mustContain(t, r, "Assurance Vie Démo", "Connecteur de test")
	mustNotContain(t, r, "Banque Démo Pro")
}

func TestUIConnect_Form(t *testing.T) {
	e := newFlowEnv(t)
	r := e.c.get("/connect/bank/" + testBankUUID)
	mustStatus(t, r, http.StatusOK)
	// The first source (directaccess, priority 1) with its credentials fields only.
	mustContain(t, r, `<label for="f-login">Identifiant`, `name="f.login" type="text"`, `name="f.password" type="password"`,
		"Identifiants de test\u00a0: demo, 2fa", `aria-describedby="h-login"`, " required")
	r = e.c.get("/connect/bank/" + proBankUUID)
	mustContain(t, r, `<select id="f-website" name="f.website" required`, `<option value="pro">Professionnels</option>`)

	t.Run("CheckedOnTheServer", func(t *testing.T) {
		r := e.c.post("/connect/bank/"+proBankUUID, url.Values{"f.website": {"corporate"}, "f.password": {"x"}})
		mustStatus(t, r, http.StatusBadRequest)
		mustContain(t, r, "Choose one of the listed values.", "This field is required.")
		mustNotContain(t, r, `value="x"`) // a password is never shown back
	})
	t.Run("UnknownConnector", func(t *testing.T) {
		mustStatus(t, e.c.get("/connect/bank/00000000-0000-0000-0000-000000000000"), http.StatusNotFound)
	})
}

func TestUIConnect_PlainCredentialsAndActivation(t *testing.T) {
	e := newFlowEnv(t)
	r := e.connect(testBankUUID, "demo", nil)
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "Choose your accounts", "Compte chèques", "Carte Visa Premier", "Livret A", "Prêt immobilier",
		`name="do" value="more"`)
	pid := powensID(t, r.Body)
	ids := regexp.MustCompile(`name="account" value="(\d+)"`).FindAllStringSubmatch(r.Body, -1)
	if len(ids) != 4 {
		t.Fatalf("%d accounts offered, want the 4 of the first source", len(ids))
	}
	if strings.Contains(r.Body, "checked") {
		t.Fatal("accounts are ticked before the person chose")
	}

	t.Run("RefusesOtherIDs", func(t *testing.T) {
		r := e.c.post("/connect/c/"+pid+"/accounts", url.Values{"account": {"999999"}, "do": {"activate"}})
		mustStatus(t, r, http.StatusBadRequest)
	})
	t.Run("NoneChosen", func(t *testing.T) {
		r := e.settle(e.c.post("/connect/c/"+pid+"/accounts", url.Values{"do": {"activate"}}))
		mustContain(t, r, "Tick at least one account.")
	})

	// A subset: the checking account and the savings account.
	r = e.settle(e.c.post("/connect/c/"+pid+"/accounts", url.Values{"account": {ids[0][1], ids[2][1]}, "do": {"activate"}}))
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "Your accounts are being synchronised")
	e.drain()
	r = e.c.get("/accounts")
	mustContain(t, r, "Compte chèques", "Livret A")
	mustNotContain(t, r, "Carte Visa Premier", "Prêt immobilier")
	mustContain(t, r, "2 accounts found at your banks are not activated.")

	r = e.c.get("/connections")
	mustContain(t, r, "Connecteur de test", "Everything works.", "Sync now", "Delete")
}

func TestUIConnect_TwoFactor(t *testing.T) {
	e := newFlowEnv(t)
	r := e.connect(testBankUUID, "2fa", nil)
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "Your bank asks for more information.", `name="f.otp"`, `pattern="^\d{6}$"`, "Code reçu par SMS")
	pid := powensID(t, r.Body)

	r = e.c.post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"12ab"}})
	mustStatus(t, r, http.StatusBadRequest)
	mustContain(t, r, "This value does not have the expected format.")

	r = e.settle(e.c.post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"000000"}}))
	mustContain(t, r, "Your bank refused this code.", `name="f.otp"`)

	r = e.settle(e.c.post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"123456"}}))
	mustContain(t, r, "Choose your accounts", "Compte chèques")
}

func TestUIConnect_Decoupled(t *testing.T) {
	e := newFlowEnv(t)
	r := e.connect(testBankUUID, "decoupled", nil)
	mustContain(t, r, "Confirm in your bank’s app.", "I approved it, continue")
	pid := powensID(t, r.Body)
	r = e.settle(e.c.post("/connect/c/"+pid+"/resume", nil))
	mustContain(t, r, "Choose your accounts")
}

func TestUIConnect_WrongpassThenRetry(t *testing.T) {
	e := newFlowEnv(t)
	r := e.connect(testBankUUID, "wrongpass", nil)
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "Your bank refused these credentials.", `name="f.login"`)
	r = e.connect(testBankUUID, "demo", nil)
	mustContain(t, r, "Choose your accounts")
}

// TestUIConnect_WebauthSource adds the second source (openapi, webauth) by
// "add more accounts": the choice made so far travels through the bank.
func TestUIConnect_WebauthSource(t *testing.T) {
	e := newFlowEnv(t)
	r := e.connect(testBankUUID, "demo", nil)
	pid := powensID(t, r.Body)
	first := regexp.MustCompile(`name="account" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
	r = e.c.post("/connect/c/"+pid+"/accounts", url.Values{"account": {first}, "do": {"more"}})
	r = e.settle(r)
	mustContain(t, r, "Adding more accounts (your bank’s open banking interface).", "Continue to the bank’s page")
	mustNotContain(t, r, `name="f.login"`) // fields of the source already added are not asked again

	t.Run("Denied", func(t *testing.T) {
		r := e.c.post("/connect/bank/"+testBankUUID, url.Values{"connection": {pid}, "source": {"openapi"}, "keep": {first}})
		r = e.atBank(e.settle(r), "deny")
		mustContain(t, r, "You cancelled at the bank or in the Powens window; nothing was changed.", "Try again")
	})

	r = e.c.post("/connect/bank/"+testBankUUID, url.Values{"connection": {pid}, "source": {"openapi"}, "keep": {first}})
	r = e.atBank(e.settle(r), "authorize")
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "Choose your accounts", "PEA", "Assurance vie Horizon", `value="`+first+`" checked`)
	mustNotContain(t, r, `name="do" value="more"`) // no source left

	t.Run("StateBoundToSession", func(t *testing.T) {
		other := newUIClient(t, e.url)
		mustUserWithPassword(t, e.store, "eve@example.com")
		other.signIn("eve@example.com")
		r := other.get("/connect/callback?id_connection=" + pid + "&state=forged.state")
		mustStatus(t, r, http.StatusBadRequest)
		mustContain(t, r, "does not belong to your current session")
	})
}

func TestUIConnect_OtherPersonsConnection(t *testing.T) {
	e := newFlowEnv(t)
	r := e.connect(testBankUUID, "2fa", nil)
	pid := powensID(t, r.Body)
	eve := newUIClient(t, e.url)
	mustUserWithPassword(t, e.store, "eve@example.com")
	eve.signIn("eve@example.com")
	for _, path := range []string{"/connect/c/" + pid, "/connect/c/" + pid + "/accounts"} {
		mustStatus(t, eve.get(path), http.StatusNotFound)
	}
	for _, path := range []string{"/connect/c/" + pid + "/answer", "/connect/c/" + pid + "/retry", "/connect/c/" + pid + "/accounts"} {
		mustStatus(t, eve.post(path, url.Values{"f.otp": {"123456"}}), http.StatusNotFound)
	}
	r = eve.post("/connect/bank/"+testBankUUID, url.Values{"connection": {pid}, "source": {"openapi"}})
	mustStatus(t, r, http.StatusNotFound)
	// Ana's connection still waits for her code.
	mustContain(t, e.c.get("/connect/c/"+pid), "Your bank asks for more information.")
}

// TestUIConnect_Repairs reaches the states that appear on a later sync and
// repairs each from the connections page.
func TestUIConnect_Repairs(t *testing.T) {
	e := newFlowEnv(t)
	repair := func(t *testing.T, login string) (string, *uiResponse) {
		t.Helper()
		r := e.connect(testBankUUID, login, nil)
		pid := powensID(t, r.Body)
		id := regexp.MustCompile(`name="account" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
		e.settle(e.c.post("/connect/c/"+pid+"/accounts", url.Values{"account": {id}, "do": {"activate"}}))
		n, _ := strconv.ParseInt(pid, 10, 64)
		e.sandbox.SyncConnection(n) // Powens' own daily sync, the person absent
		if err := e.agg.PullConnection(ctx, e.user.ID, n); err != nil {
			t.Fatal(err)
		}
		e.drain()
		r = e.c.get("/connections")
		repairLink := regexp.MustCompile(`href="(/connections/\d+/repair)"`).FindStringSubmatch(r.Body)
		if repairLink == nil {
			t.Fatalf("no repair action on the connections page:\n%s", excerpt(r.Body))
		}
		return pid, e.settle(e.c.get(repairLink[1]))
	}
	t.Run("SCARequired", func(t *testing.T) {
		pid, r := repair(t, "sca")
		mustContain(t, r, "Your bank needs you to confirm your identity.", "Authenticate again", "Repair in the Powens window")
		r = e.settle(e.c.post("/connect/c/"+pid+"/retry", nil))
		mustContain(t, r, "Choose your accounts", "already synchronised")
	})
	t.Run("WebauthRequired", func(t *testing.T) {
		pid, r := repair(t, "webauth")
		mustContain(t, r, "Your bank needs you to sign in on its page again.")
		r = e.atBank(e.settle(e.c.post("/connect/c/"+pid+"/webauth", nil)), "authorize")
		mustContain(t, r, "Choose your accounts")
	})
}

func mustConnections(t *testing.T, e *flowEnv) []*freenahi.Connection {
	t.Helper()
	e.drain()
	conns, err := e.store.FindConnections(ctx, e.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	return conns
}

func TestUIConnect_OtherStates(t *testing.T) {
	e := newFlowEnv(t)
	t.Run("ActionNeeded", func(t *testing.T) {
		r := e.connect(testBankUUID, "action", nil)
		mustContain(t, r, "Your bank says:", "Veuillez accepter les nouvelles conditions générales", "Done at the bank, check again")
		r = e.settle(e.c.post("/connect/c/"+powensID(t, r.Body)+"/retry", nil))
		mustContain(t, r, "Choose your accounts")
	})
	t.Run("PasswordExpired", func(t *testing.T) {
		r := e.connect(testBankUUID, "expired", nil)
		mustContain(t, r, "Change it on your bank’s website first", `name="f.login"`, `name="f.password"`)
		r = e.settle(e.c.post("/connect/c/"+powensID(t, r.Body)+"/credentials", url.Values{"f.login": {"expired"}, "f.password": {"new one"}}))
		mustContain(t, r, "Choose your accounts")
	})
	t.Run("WebsiteUnavailable", func(t *testing.T) {
		r := e.connect(testBankUUID, "down", nil)
		mustContain(t, r, "Your bank’s website is unavailable. Powens will try again by itself", "Next try:")
		mustNotContain(t, r, "<form method=\"post\" action=\"/connect/c/")
	})
	t.Run("Slow", func(t *testing.T) {
		mustStatus(t, e.c.get("/connect/bank/"+testBankUUID), http.StatusOK)
		r := e.c.post("/connect/bank/"+testBankUUID, url.Values{"f.login": {"slow"}, "f.password": {"x"}})
		if loc := r.Header.Get("Location"); r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/connect/jobs/") {
			t.Fatalf("slow login → %d %q, want the progress page", r.Status, loc)
		}
		p := e.c.get(r.Header.Get("Location"))
		mustStatus(t, p, http.StatusAccepted)
		mustContain(t, p, "Your bank is checking your credentials…", "data-poll=", `http-equiv="refresh"`)
		mustContain(t, e.settle(p), "Choose your accounts")
	})
}

func TestUIConnect_Delete(t *testing.T) {
	e := newFlowEnv(t)
	mustContain(t, e.connect(testBankUUID, "demo", nil), "Choose your accounts")
	conns := mustConnections(t, e)
	if len(conns) != 1 {
		t.Fatalf("%d connections in the store after adding one", len(conns))
	}
	path := "/connections/" + itoa(conns[0].ID) + "/delete"
	r := e.c.get(path)
	mustStatus(t, r, http.StatusOK)
	mustContain(t, r, "Delete the connection to Connecteur de test?", "Yes, delete it")
	r = e.c.post(path, nil)
	mustStatus(t, r, http.StatusSeeOther)
	e.drain()
	r = e.c.get(r.Header.Get("Location"))
	mustContain(t, r, "The connection is deleted.", "Deleted")
	mustNotContain(t, r, "Sync now")
}
