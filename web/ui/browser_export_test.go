package ui_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/webtest"
)

// fetchedFile is what the page's own statement form downloads.
type fetchedFile struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Disp   string `json:"disp"`
	Body   string `json:"body"`
}

// fetchStatementJS requests the statement form's URL with the values in
// the form, from the page, with the page's cookies: what the download
// button fetches, readable by the test.
const fetchStatementJS = `(async function () {
  var f = document.querySelector('form[action$="/statement"]');
  var r = await fetch(f.action + "?" + new URLSearchParams(new FormData(f)), {credentials: "same-origin"});
  return JSON.stringify({status: r.status, type: r.headers.get("Content-Type"),
    disp: r.headers.get("Content-Disposition"), body: await r.text()});
})()`

// TestBrowser_StatementAndInqom signs in, downloads a CFONB statement from
// an account's page, then on the accounting page saves credentials for the
// local Inqom sandbox, links the account, pushes, and sees the file sent.
func TestBrowser_StatementAndInqom(t *testing.T) {
	t.Parallel() // see TestMain
	s := storetest.MustOpen(t, store.SQLite)
	e := newInqomUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	token := webtest.MustAddData(t, s, ana, 42).Token
	eur := webtest.FrenchAccount(t, s, ana.ID)
	b := newTab(t, e.url)
	b.signIn("ana@example.com")

	b.open("/accounts")
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/accounts/%d"]`, eur.ID))))
	b.waitText("Download a statement", false)
	b.do(chromedp.SetValue(chromedp.ID("st-from"), "2025-01-01"), chromedp.SetValue(chromedp.ID("st-to"), "2025-01-31"))
	b.shot("statement-form")
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fetchStatementJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var got fetchedFile
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	api := webtest.NewClient(t, e.url).GetWithToken(token, fmt.Sprintf("/api/v1/accounts/%d/export.cfonb?from=2025-01-01&to=2025-01-31", eur.ID))
	if got.Status != 200 || !strings.HasPrefix(got.Type, "text/plain") || !strings.Contains(got.Disp, "attachment") ||
		!strings.HasPrefix(got.Body, "01") || got.Body != api.Body {
		t.Fatalf("statement from the page: %d %q %q, same as the API: %v\n%s", got.Status, got.Type, got.Disp, got.Body == api.Body, got.Body)
	}
	// The same form, submitted with a period upside down, answers the page with why.
	b.do(chromedp.SetValue(chromedp.ID("st-from"), "2025-02-01"), chromedp.Click(chromedp.CSS(`#statement button[type=submit]`)))
	b.waitText("The first day is after the last day", false)

	b.do(chromedp.Click(chromedp.CSS(`header nav a[href="/inqom"]`)))
	b.waitText("No account is linked to an Inqom dossier yet.", false)
	b.fill(map[string]string{"i-username": sbUser, "i-password": sbPassword, "i-client-id": sbClientID, "i-client-secret": sbSecret,
		"i-auth-url": e.sbURL + sandbox.TokenPath, "i-banking-url": e.sbURL}, `form[action="/inqom/credentials"] button[type=submit]`)
	b.waitText("Your Inqom credentials are saved.", false)
	b.do(chromedp.SetValue(chromedp.ID("l-account"), itoa(eur.ID)))
	b.fill(map[string]string{"l-dossier": itoa(sbDossier)}, `form[action="/inqom/mappings"] button[type=submit]`)
	b.waitText("The account is linked and registered in Inqom.", false)
	b.do(chromedp.Click(chromedp.CSS(`form[action="/inqom/push"] button`)))
	b.waitLocation("/inqom?msg=") // through the progress page when the push takes long
	b.waitText("Sent to Inqom", false)
	b.shot("inqom")
	if n := len(e.sb.Imports(sbDossier)); n == 0 {
		t.Fatal("the Inqom sandbox received no statement")
	}

	m := mustMapping(t, s, ana.ID)
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/inqom/mappings/%d"]`, m.ID))))
	b.waitPath(fmt.Sprintf("/inqom/mappings/%d", m.ID)) // not the text of the page being left
	b.waitText("Inqom accepted this file.", false)
	if h := b.html(); !strings.Contains(h, `class="badge badge-batch-sent">Sent</span>`) {
		t.Fatalf("history without a sent file:\n%s", b.mainText())
	}
	b.shot("inqom-history")
}
