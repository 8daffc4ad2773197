package ui_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/powens"
	powenssandbox "github.com/freenahi/freenahi/powens/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// A French page never shows an English sentence. These tests render, in
// French, every page the other UI tests reach (signed out, browsing,
// tokens, statements, the connection flow and every state screen, the
// progress and callback pages, Inqom, error pages and refused forms) and
// look for common English words in what a person reads: the text, the
// page title, and the title, aria-label, placeholder and alt attributes.
// Words that are not the product's own are left out before looking: the
// bank's message (blockquote.bank-message), technical detail and Inqom's
// raw answer (code, .mono), the link to the English version (lang="en"),
// and the fixtures' data (account names, labels, the sandboxes' texts).

// englishWords never appear in French UI text. Proper nouns (Powens,
// Inqom, CFONB, IBAN, API) are not among them, nor words French shares or
// bank data may hold (a, an, on, or, me, page, date, type, format, code,
// action, minute, dossier, file, balance, transaction is kept: the
// product says "opération"), nor the codes a person types and messages
// quote (retry, sent, release, true, false).
var englishWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		the and not no yes is are was were be been has have had do does did will would can cannot could should
		of to in for with without from by at into onto about after before than then there here this that these those
		it its you your yours we our they their them he she his her my who what which when where why how
		all any each every some more most other another only also just again still yet now new
		please sorry error errors found missing required invalid unknown unavailable failed wrong internal
		something nothing went side request try wait waiting loading done back next previous first last
		account accounts transaction transactions amount amounts history bank banks
		connection connections connect connected sync synced synchronised synchronized update updated
		day days month months year years hour hours week weeks
		sign signed signin signout out up password username email address name names
		add added delete deleted remove save saved cancel send download search filter reset
		token tokens settings welcome checking savings investment investments loan loans card cards
		kind state screen needed works working everything already expires expired
		step steps choose chosen enter typed value values field fields
		refused denied allowed forbidden limiting
		linked link links statement statements coming booked
		`) {
		m[w] = true
	}
	return m
}()

// fixtureWords are the fixtures' own data and the sandboxes' texts, which
// a real bank or Inqom would send in its own words: they may be English.
var fixtureWords = []string{
	"Injected fault.", "The user has no rights on dossier 78.", // the Inqom sandbox's refusals
	"Carte Business",
	// The sandbox's field help lists its test logins, which are codes.
	"demo, 2fa, decoupled, wrongpass, sca, webauth, action, expired, down, ratelimit, slow, big, gross, olderror, partial, reissue, err-down…",
	"HTTP 403 Forbidden", // the Inqom sandbox's status and machine code
}

var (
	skipElement = regexp.MustCompile(`(?is)<(script|style|code)\b[^>]*>.*?</(script|style|code)>`)
	tagRe       = regexp.MustCompile(`(?s)<(/?)([a-zA-Z0-9]+)([^>]*)>`)
	attrRe      = regexp.MustCompile(`(?s)\b([a-zA-Z-]+)="([^"]*)"`)
	// wordRe finds words; one with a digit or an underscore is an
	// identifier (a request id, a code such as access_denied), not a word.
	wordRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)
	// goQuoted is a value or code quoted as typed (Go's %q): French prose
	// quotes with « », never with straight double quotes.
	goQuoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
	"polyline": true, "line": true}

// readableText is what a person reads of a page: its text and the
// attributes said to them, without the parts that are not the product's
// words (see above).
func readableText(body string) string {
	body = skipElement.ReplaceAllString(body, " ")
	var out strings.Builder
	// skipping is the depth of the element being left out, or 0.
	depth, skipping := 0, 0
	last := 0
	for _, m := range tagRe.FindAllStringSubmatchIndex(body, -1) {
		if skipping == 0 {
			out.WriteString(body[last:m[0]])
			out.WriteString(" ")
		}
		last = m[1]
		closing, name, attrs := body[m[2]:m[3]] == "/", strings.ToLower(body[m[4]:m[5]]), body[m[6]:m[7]]
		void := voidElements[name] || strings.HasSuffix(attrs, "/")
		switch {
		case closing:
			if skipping == depth {
				skipping = 0
			}
			depth--
			continue
		case !void:
			depth++
		}
		if skipping != 0 {
			continue
		}
		a := map[string]string{}
		for _, am := range attrRe.FindAllStringSubmatch(attrs, -1) {
			a[strings.ToLower(am[1])] = am[2]
		}
		class := " " + a["class"] + " "
		if !void && (a["lang"] == "en" || strings.Contains(class, " mono ") ||
			name == "blockquote" && strings.Contains(class, " bank-message ")) {
			skipping = depth
			continue
		}
		for _, k := range []string{"title", "aria-label", "placeholder", "alt"} {
			if v, ok := a[k]; ok {
				out.WriteString(" " + v + " ")
			}
		}
	}
	if skipping == 0 {
		out.WriteString(body[last:])
	}
	text := html.UnescapeString(out.String())
	for _, f := range fixtureWords {
		text = strings.ReplaceAll(text, f, " ")
	}
	return text
}

// englishIn lists the English a French page shows, each with its context.
func englishIn(body string) []string {
	text := goQuoted.ReplaceAllString(readableText(body), " ")
	var found []string
	if i := strings.Index(text, "(s)"); i >= 0 {
		found = append(found, fmt.Sprintf("“(s)” in %q", around(text, i, i+3)))
	}
	for _, m := range wordRe.FindAllStringIndex(text, -1) {
		w := strings.ToLower(text[m[0]:m[1]])
		if englishWords[w] && !strings.ContainsAny(w, "0123456789_") {
			found = append(found, fmt.Sprintf("%q in %q", text[m[0]:m[1]], around(text, m[0], m[1])))
		}
	}
	return found
}

// around is the text around [i, j), on one line.
func around(text string, i, j int) string {
	from, to := max(0, i-50), min(len(text), j+50)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return strings.Join(strings.Fields(text[from:to]), " ")
}

// frenchPages checks pages as a French reader, naming each failure by page.
type frenchPages struct {
	t    *testing.T
	seen int
}

// check fails when the answer shows English; want is the page's expected
// status.
func (f *frenchPages) check(name string, r *webtest.Page, want int) {
	f.t.Helper()
	if r.Status != want {
		f.t.Errorf("%s: status %d, want %d; location %q\n%s", name, r.Status, want, r.Header.Get("Location"), webtest.Excerpt(r.Body))
		return
	}
	if !strings.Contains(r.Body, `<html lang="fr">`) {
		f.t.Errorf("%s: not a French page:\n%s", name, webtest.Excerpt(r.Body))
		return
	}
	f.seen++
	for _, e := range englishIn(r.Body) {
		f.t.Errorf("%s: English on a French page: %s", name, e)
	}
}

// toFrench switches c to French.
func toFrench(t *testing.T, c *webtest.Client) {
	t.Helper()
	webtest.MustStatus(t, c.Get("/lang/fr?back=/"), http.StatusSeeOther)
}

// TestUIFrench_Detector: what englishIn finds, and what it leaves alone.
func TestUIFrench_Detector(t *testing.T) {
	for _, tc := range []struct {
		page string
		want []string
	}{
		{`<p>Votre banque a refusé ces identifiants.</p>`, nil},
		{`<p>Your bank refused these credentials.</p>`, []string{`"Your"`, `"bank"`, `"refused"`, `"these"`}},
		{`<p>Compte (loan)</p><p>expire dans 3 jour(s)</p>`, []string{"(s)", `"loan"`}},
		{`<button aria-label="Revoke the token">Révoquer</button>`, []string{`"the"`, `"token"`}},
		{`<blockquote class="bank-message">Please sign the new terms.</blockquote><code>dial tcp: connection refused</code>`, nil},
		{`<a href="/lang/en" lang="en" hreflang="en">English</a><dd class="mono">HTTP 400 {"error":"bad request"}</dd>`, nil},
		{`<title>Comptes · freenahi</title><p>PEA, IBAN, CFONB, API, Powens, Inqom</p>`, nil},
		{`<p>Deleted accounts</p>`, []string{`"Deleted"`, `"accounts"`}},
		{`<p>"page" n’est pas un paramètre (connus : "from", "to").</p><p>Échec (weird_new_code), requête 4be2f</p>`, nil},
	} {
		got := englishIn(tc.page)
		if len(got) != len(tc.want) {
			t.Errorf("englishIn(%q)=%q, want %d findings", tc.page, got, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("englishIn(%q)[%d]=%q, want it to name %s", tc.page, i, got[i], w)
			}
		}
	}
}

// TestUIFrench_SignedOut: setup, sign-in, their refusals and error pages.
func TestUIFrench_SignedOut(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.UI.MaxLoginFailuresPerEmail = 2 })
	c := webtest.NewClient(t, ts.URL)
	f := &frenchPages{t: t}
	toFrench(t, c)
	f.check("setup", c.Get("/setup"), http.StatusOK)
	f.check("setup, bad e-mail", c.Post("/setup", url.Values{"email": {"ana"}, "password": {webtest.Password}, "confirm": {webtest.Password}}), http.StatusBadRequest)
	f.check("setup, short password", c.Post("/setup", url.Values{"email": {"ana@example.com"}, "password": {"x"}, "confirm": {"x"}}), http.StatusBadRequest)
	weak := c.Post("/setup", url.Values{"email": {"ana@example.com"}, "password": {"aaaaaaaaaa"}, "confirm": {"aaaaaaaaaa"}})
	webtest.MustContain(t, weak, "Ce mot de passe répète des caractères ou un motif")
	f.check("setup, weak password", weak, http.StatusBadRequest)
	f.check("setup, passwords differ", c.Post("/setup", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}, "confirm": {webtest.Password + "!"}}), http.StatusBadRequest)
	f.check("setup, no CSRF", c.Post("/setup", url.Values{"csrf": {"forged"}, "email": {"ana@example.com"}}), http.StatusForbidden)
	webtest.MustUserWithPassword(t, s, "ana@example.com")
	f.check("setup, already done", c.Get("/setup"), http.StatusNotFound)
	f.check("sign-in", c.Get("/signin"), http.StatusOK)
	f.check("sign-in, signed out", c.Get("/signin?msg=flash.signed_out"), http.StatusOK)
	f.check("sign-in, wrong password", c.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"nope"}}), http.StatusUnauthorized)
	c.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"nope"}})
	f.check("sign-in, throttled", c.Post("/signin", url.Values{"email": {"ana@example.com"}, "password": {webtest.Password}}), http.StatusTooManyRequests)
	f.check("404", c.Get("/nulle/part"), http.StatusNotFound)

	// A server without Powens, Inqom or background jobs says so.
	bob := webtest.MustUserWithPassword(t, s, "bob@example.com")
	c = webtest.NewClient(t, ts.URL)
	c.SignInAs(s, bob.ID)
	toFrench(t, c)
	f.check("accounts, none yet", c.Get("/accounts"), http.StatusOK)
	f.check("connections, none yet", c.Get("/connections"), http.StatusOK)
	f.check("Powens not configured", c.Get("/connect"), http.StatusServiceUnavailable)
	f.check("Inqom not configured", c.Get("/inqom"), http.StatusServiceUnavailable)
}

// TestUIFrench_Browse: accounts, each account, transactions, tokens,
// statements and connections, with their refusals.
func TestUIFrench_Browse(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	ts, _ := webtest.NewUIServer(t, s, withStatements(s), func(srv *web.Server) { srv.Aggregator = &aggregator.Service{} })
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	c := webtest.NewClient(t, ts.URL)
	c.SignInAs(s, ana.ID)
	toFrench(t, c)
	f := &frenchPages{t: t}

	r := c.Get("/accounts")
	f.check("accounts", r, http.StatusOK)
	for _, id := range accountIDs(r.Body) {
		f.check("account "+id, c.Get("/accounts/"+id), http.StatusOK)
	}
	eur := webtest.FrenchAccount(t, s, ana.ID)
	f.check("account with statement form", c.Get(fmt.Sprintf("/accounts/%d", eur.ID)), http.StatusOK)
	statement := fmt.Sprintf("/accounts/%d/statement?", eur.ID)
	for name, q := range map[string]string{
		"statement, from after to":      "from=2025-02-01&to=2025-01-31",
		"statement, not a date":         "from=2025-02-30&to=2025-03-31",
		"statement, no start":           "to=2025-01-31",
		"statement, unknown format":     "from=2025-01-01&to=2025-01-31&format=pdf",
		"statement, unknown parameter":  "from=2025-01-01&to=2025-01-31&separator=x",
		"statement, before CFONB dates": "from=1970-01-01&to=1970-01-31",
	} {
		f.check(name, c.Get(statement+q), http.StatusBadRequest)
	}
	for _, cur := range []string{"JPY", "TND"} {
		a := accountOf(t, s, ana.ID, cur)
		f.check("statement without IBAN, "+cur, c.Get(fmt.Sprintf("/accounts/%d/statement?from=2025-01-01&to=2025-01-31&rib=30006000011234567890100", a.ID)), http.StatusBadRequest)
	}

	f.check("transactions", c.Get("/transactions"), http.StatusOK)
	f.check("transactions, filtered", c.Get("/transactions?q=edf&from=2025-01-01&min_amount=-100"), http.StatusOK)
	f.check("transactions, none", c.Get("/transactions?q=nothing-like-this"), http.StatusOK)
	f.check("transactions, bad date", c.Get("/transactions?from=2025-02-30"), http.StatusBadRequest)
	f.check("transactions, bad amount", c.Get("/transactions?min_amount=douze"), http.StatusBadRequest)
	f.check("transactions, max below min", c.Get("/transactions?min_amount=10&max_amount=5"), http.StatusBadRequest)
	f.check("transactions, to before from", c.Get("/transactions?from=2025-02-01&to=2025-01-01"), http.StatusBadRequest)
	f.check("transactions, unknown parameter", c.Get("/transactions?page=2"), http.StatusBadRequest)
	f.check("transactions, bad cursor", c.Get("/transactions?cursor=xyz"), http.StatusBadRequest)
	f.check("transactions, bad account", c.Get("/transactions?account_id=-1"), http.StatusBadRequest)

	f.check("tokens", c.Get("/settings/tokens"), http.StatusOK)
	f.check("token created", c.Post("/settings/tokens", url.Values{"name": {"compta"}}), http.StatusCreated)
	f.check("token name too long", c.Post("/settings/tokens", url.Values{"name": {strings.Repeat("é", 60)}}), http.StatusBadRequest)
	f.check("token revoked", c.Get("/settings/tokens?msg=flash.token_revoked"), http.StatusOK)
	f.check("revoke unknown token", c.Post("/settings/tokens/999/revoke", nil), http.StatusNotFound)

	f.check("connections", c.Get("/connections"), http.StatusOK)
	conns, err := s.FindConnections(ctx, ana.ID)
	if err != nil || len(conns) == 0 {
		t.Fatalf("connections %v %v", conns, err)
	}
	f.check("delete a connection", c.Get(fmt.Sprintf("/connections/%d/delete", conns[0].ID)), http.StatusOK)
	for _, flash := range []string{"welcome", "activated", "synced", "up_to_date", "deleted", "webview_done"} {
		f.check("flash "+flash, c.Get("/connections?msg=flash."+flash), http.StatusOK)
	}

	f.check("unknown account", c.Get("/accounts/999999"), http.StatusNotFound)
	f.check("malformed account id", c.Get("/accounts/abc"), http.StatusNotFound)
	f.check("unknown connection", c.Get("/connections/999999/delete"), http.StatusNotFound)
	f.check("refused form (no CSRF token)", c.Post("/settings/tokens", url.Values{"csrf": {"forged"}, "name": {"x"}}), http.StatusForbidden)
	f.check("lost job", c.Get("/connect/jobs/no-such-job"), http.StatusNotFound)
	f.check("callback with a forged state", c.Get("/connect/callback?id_connection=1&state=forged.state"), http.StatusBadRequest)
	f.check("404 signed in", c.Get("/nulle/part"), http.StatusNotFound)
	if f.seen < 40 {
		t.Fatalf("checked only %d pages", f.seen)
	}
}

// TestUIFrench_Connect: the connection flow against the Powens sandbox.
func TestUIFrench_Connect(t *testing.T) {
	e := webtest.NewFlow(t)
	toFrench(t, e.Client)
	f := &frenchPages{t: t}
	f.check("connectors", e.Client.Get("/connect"), http.StatusOK)
	f.check("connectors, none", e.Client.Get("/connect?q=nothing-like-this"), http.StatusOK)
	f.check("connectors, wealth", e.Client.Get("/connect?cap=wealth"), http.StatusOK)
	f.check("connect form", e.Client.Get("/connect/bank/"+powenssandbox.TestBankUUID), http.StatusOK)
	f.check("connect form, list field", e.Client.Get("/connect/bank/"+powenssandbox.ProBankUUID), http.StatusOK)
	f.check("connect form, refused values", e.Client.Post("/connect/bank/"+powenssandbox.ProBankUUID, url.Values{"f.website": {"corporate"}}), http.StatusBadRequest)
	f.check("unknown connector", e.Client.Get("/connect/bank/00000000-0000-0000-0000-000000000000"), http.StatusNotFound)
	f.check("wrong password", e.Connect(powenssandbox.TestBankUUID, "wrongpass", nil), http.StatusOK)

	r := e.Connect(powenssandbox.TestBankUUID, "2fa", nil)
	f.check("two-factor", r, http.StatusOK)
	pid := webtest.PowensID(t, r.Body)
	f.check("two-factor, malformed code", e.Client.Post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"12ab"}}), http.StatusBadRequest)
	f.check("two-factor, wrong code", e.Settle(e.Client.Post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"000000"}})), http.StatusOK)
	r = e.Settle(e.Client.Post("/connect/c/"+pid+"/answer", url.Values{"f.otp": {"123456"}}))
	f.check("activation", r, http.StatusOK)
	f.check("activation, none chosen", e.Settle(e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"do": {"activate"}})), http.StatusOK)
	f.check("activation, not an account of it", e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"account": {"999999"}, "do": {"activate"}}), http.StatusBadRequest)
	first := regexp.MustCompile(`name="account" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
	r = e.Settle(e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"account": {first}, "do": {"more"}}))
	f.check("adding a source", r, http.StatusOK)
	back := e.Client.Post("/connect/bank/"+powenssandbox.TestBankUUID, url.Values{"connection": {pid}, "source": {"openapi"}, "keep": {first}})
	f.check("back from the bank, denied", e.AtBank(e.Settle(back), "deny"), http.StatusOK)
	r = e.Connect(powenssandbox.TestBankUUID, "demo", nil)
	pid = webtest.PowensID(t, r.Body)
	first = regexp.MustCompile(`name="account" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
	r = e.Settle(e.Client.Post("/connect/c/"+pid+"/accounts", url.Values{"account": {first}, "do": {"activate"}}))
	f.check("activated", r, http.StatusOK)
	e.Drain()
	f.check("accounts after activation", e.Client.Get("/accounts"), http.StatusOK)
	f.check("connections after activation", e.Client.Get("/connections"), http.StatusOK)

	// The Powens window comes back to the webview callback.
	r = e.Client.Post("/connect/webview", nil)
	link, err := url.Parse(r.Header.Get("Location"))
	if err != nil || link.Query().Get("state") == "" {
		t.Fatalf("webview link %q (%v)", r.Header.Get("Location"), err)
	}
	state := link.Query().Get("state")
	for _, tc := range []struct {
		name, query string
		status      int
	}{
		{"webview, imported", "state=" + state + "&connection_id=" + pid, http.StatusOK},
		{"webview, nothing", "state=" + state, http.StatusOK},
		{"webview, cancelled", "state=" + state + "&error=access_denied", http.StatusOK},
		{"webview, terms declined", "state=" + state + "&error=" + powens.WebviewTOSDeclined, http.StatusOK},
		{"webview, session expired", "state=" + state + "&error=" + powens.WebviewSessionExpired, http.StatusOK},
		{"webview, Powens failed", "state=" + state + "&error=" + powens.WebviewServerError, http.StatusOK},
		{"webview, unknown error", "state=" + state + "&error=weird_new_code", http.StatusOK},
		{"webview, forged state", "state=forged&connection_id=1", http.StatusForbidden},
		{"webview, malformed", "state=" + state + "&connection_id=abc", http.StatusBadRequest},
	} {
		f.check(tc.name, e.Client.Get("/webview/callback?"+tc.query), tc.status)
	}

	for _, login := range []string{"decoupled", "action", "expired", "down"} {
		f.check("state of "+login, e.Connect(powenssandbox.TestBankUUID, login, nil), http.StatusOK)
	}
	webtest.MustStatus(t, e.Client.Get("/connect/bank/"+powenssandbox.TestBankUUID), http.StatusOK)
	r = e.Client.Post("/connect/bank/"+powenssandbox.TestBankUUID, url.Values{"f.login": {"slow"}, "f.password": {"x"}})
	f.check("progress", e.Client.Get(r.Header.Get("Location")), http.StatusAccepted)
	f.check("after progress", e.Settle(r), http.StatusOK)
}

// TestUIFrench_States: every connection state's screen (see fakePowens).
func TestUIFrench_States(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	fake := fakePowens(t)
	pc, err := powens.NewClient(powens.ClientConfig{BaseURL: fake.URL + "/2.0/", Domain: "fake", ClientID: "1", ClientSecret: "x", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) { srv.Aggregator = &aggregator.Service{Powens: pc, Store: s} })
	u := webtest.MustUserWithPassword(t, s, "ana@example.com")
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 7, Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, ts.URL)
	c.SignIn("ana@example.com")
	toFrench(t, c)
	f := &frenchPages{t: t}
	for i, st := range fakeStates {
		f.check("state "+st.state, c.Get(fmt.Sprintf("/connect/c/%d", i+1)), http.StatusOK)
		for _, p := range []string{freenahi.ProblemWrongpass, freenahi.ProblemWrongcode, "forged"} {
			f.check("state "+st.state+", problem "+p, c.Get(fmt.Sprintf("/connect/c/%d?problem=%s", i+1, p)), http.StatusOK)
		}
	}
	f.check("refused credentials", c.Post("/connect/c/6/credentials", url.Values{"f.login": {""}}), http.StatusBadRequest)
	f.check("unknown connection", c.Get("/connect/c/999"), http.StatusNotFound)
}

// TestUIFrench_Inqom: the accounting pages, a refused file, decisions
// and refusals.
func TestUIFrench_Inqom(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	e := newInqomUI(t, s)
	ana := webtest.MustUserWithData(t, s, "ana@example.com", 42)
	eur := webtest.FrenchAccount(t, s, ana.ID)
	c := webtest.NewClient(t, e.url)
	c.SignInAs(s, ana.ID)
	toFrench(t, c)
	f := &frenchPages{t: t}
	f.check("inqom, nothing yet", c.Get("/inqom"), http.StatusOK)
	for _, field := range []string{"password", "client_id"} {
		form := e.credentialsForm()
		form.Set(field, "")
		f.check("credentials without "+field, c.Post("/inqom/credentials", form), http.StatusBadRequest)
	}
	form := e.credentialsForm()
	form.Set("banking_url", "ftp://inqom.example")
	f.check("credentials, bad address", c.Post("/inqom/credentials", form), http.StatusBadRequest)
	webtest.MustStatus(t, c.Post("/inqom/credentials", e.credentialsForm()), http.StatusSeeOther)
	f.check("credentials saved", c.Get("/inqom?msg=flash.inqom_saved"), http.StatusOK)

	link := mappingForm(eur)
	link.Set("dossier_id", "")
	f.check("link without dossier", c.Post("/inqom/mappings", link), http.StatusBadRequest)
	link.Set("dossier_id", "78")
	f.check("link to a dossier without rights", c.Post("/inqom/mappings", link), http.StatusForbidden)
	link.Set("dossier_id", "77")
	link.Set("iban", "DE89370400440532013000")
	f.check("link with a foreign IBAN", c.Post("/inqom/mappings", link), http.StatusBadRequest)
	link.Set("iban", "FR7730006000011234567890189")
	f.check("link with a mistyped IBAN", c.Post("/inqom/mappings", link), http.StatusBadRequest)
	f.check("inqom with a refused link", c.Get("/inqom"), http.StatusOK)

	webtest.MustStatus(t, c.Post("/inqom/mappings", mappingForm(eur)), http.StatusSeeOther)
	f.check("linked", c.Get("/inqom?msg=flash.inqom_linked"), http.StatusOK)
	e.sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Status: http.StatusBadRequest})
	f.check("push refused", push(t, c), http.StatusOK)
	ms, err := s.FindInqomMappings(ctx, ana.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := ms[slices.IndexFunc(ms, func(m *freenahi.InqomMapping) bool { return m.DossierID == sbDossier })]
	history := fmt.Sprintf("/inqom/mappings/%d", m.ID)
	f.check("history with a refused file", c.Get(history), http.StatusOK)
	bs, err := s.FindExportBatches(ctx, ana.ID, m.ID, 10)
	if err != nil || len(bs) != 1 {
		t.Fatalf("batches %v %v", bs, err)
	}
	resolve := fmt.Sprintf("/inqom/batches/%d/resolve", bs[0].ID)
	for _, a := range []string{"retry", "sent", "release"} {
		f.check("decide "+a, c.Get(resolve+"?action="+a), http.StatusOK)
	}
	f.check("decide something else", c.Get(resolve+"?action=forget"), http.StatusBadRequest)
	webtest.MustStatus(t, c.Post(resolve, url.Values{"action": {"retry"}}), http.StatusSeeOther)
	f.check("decided", c.Get(history+"?msg=flash.inqom_resolved"), http.StatusOK)
	f.check("pushed", push(t, c), http.StatusOK)
	f.check("history", c.Get(history), http.StatusOK)
	f.check("decide about a sent file", c.Get(resolve+"?action=retry"), http.StatusConflict)
	deleteAtBank(t, s, ana.ID, eur, "CB CARREFOUR 13/01")
	f.check("inqom with a change after export", c.Get("/inqom"), http.StatusOK)
	f.check("unknown file", c.Get("/inqom/batches/999999/resolve?action=retry"), http.StatusNotFound)
	f.check("unknown link", c.Get("/inqom/mappings/999999"), http.StatusNotFound)
	if f.seen < 20 {
		t.Fatalf("checked only %d pages", f.seen)
	}
}
