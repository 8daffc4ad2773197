package ui_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web"
	"github.com/freenahi/freenahi/web/webtest"
)

// importUI serves the UI with imports and categories over s.
func importUI(t *testing.T, s *store.Store) string {
	t.Helper()
	ts, _ := webtest.NewUIServer(t, s, func(srv *web.Server) {
		srv.Spending = s
		srv.Imports = &bankfile.Importer{Store: s, Accounts: s}
	})
	return ts.URL
}

// postFile sends the import form as a browser does: multipart, with the
// page's CSRF token and a file (none when name is "").
func postFile(t *testing.T, c *webtest.Client, form url.Values, name string, data []byte) *webtest.Page {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	form.Set("csrf", c.CSRF)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	// Without a file chosen, a browser still sends the part, empty and
	// without a file name.
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.Base+"/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.Base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

var hiddenData = regexp.MustCompile(`name="data" value="([^"]+)"`)

// TestUIImport walks the import as a person without JavaScript: upload, a
// preview with the rows as stored and the lines left out, a corrected
// mapping, the import, and the same file again adding nothing.
func TestUIImport(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := importUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	c := webtest.NewClient(t, base)
	c.SignIn("ana@example.com")
	csv, err := os.ReadFile("../../bankfile/testdata/bank-fr-1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	webtest.MustContain(t, c.Get("/accounts"), `href="/import"`)
	page := c.Get("/import")
	webtest.MustStatus(t, page, http.StatusOK)
	webtest.MustContain(t, page, `enctype="multipart/form-data"`, `name="file"`)

	form := url.Values{"action": {"preview"}, "account": {"new"}, "new_name": {"Ancien compte"}, "new_currency": {"EUR"}}
	page = postFile(t, c, form, "releve.csv", csv)
	webtest.MustStatus(t, page, http.StatusOK)
	webtest.MustContain(t, page, "3 new transactions", "3 lines left out", "CB CAFÉ DE LA GARE 02/01", "-€42.50", "Cafés and bars", "Line 5",
		"Date: &#34;32/01/2024&#34; is not a date in the format dd/mm/yyyy", `name="debit_column" type="text" inputmode="numeric" pattern="[0-9]*" maxlength="2" size="3" value="3"`,
		`id="confirm"`)
	m := hiddenData.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("the preview does not carry the file back")
	}
	if accts, _ := s.FindManualAccounts(t.Context(), ana.ID); len(accts) != 0 {
		t.Fatal("the preview created an account")
	}

	// A mapping that names a column the file lacks: every line is left
	// out, and the page says so in the person's words.
	bad := url.Values{"action": {"preview"}, "account": {"new"}, "new_name": {"Ancien compte"}, "new_currency": {"EUR"},
		"data": {m[1]}, "file_name": {"releve.csv"}, "date_column": {"1"}, "wording_column": {"2"}, "amount_column": {"9"}}
	page = postFile(t, c, bad, "", nil)
	webtest.MustStatus(t, page, http.StatusBadRequest)
	webtest.MustContain(t, page, "has no line that can be imported")

	form.Set("action", "import")
	form.Set("data", m[1])
	form.Set("file_name", "releve.csv")
	page = postFile(t, c, form, "", nil)
	if page.Status != http.StatusSeeOther || !strings.Contains(page.Location(), "msg=flash.imported") {
		t.Fatalf("import: %d %s", page.Status, webtest.Excerpt(page.Body))
	}
	accts, err := s.FindManualAccounts(t.Context(), ana.ID)
	if err != nil || len(accts) != 1 {
		t.Fatalf("manual accounts %v, %v", accts, err)
	}
	txs, _, err := s.FindTransactions(t.Context(), freenahi.TransactionFilter{UserID: ana.ID, AccountID: &accts[0].ID})
	if err != nil || len(txs) != 3 {
		t.Fatalf("%d transactions imported, %v", len(txs), err)
	}
	webtest.MustContain(t, c.Follow(page), "File imported.", "VIR SEPA SALAIRE")

	// The same file into the account now: nothing new, nothing to confirm.
	again := url.Values{"action": {"preview"}, "account": {strings.TrimPrefix(strings.Split(page.Location(), "?")[0], "/accounts/")}}
	page = postFile(t, c, again, "releve.csv", csv)
	webtest.MustContain(t, page, "0 new transactions", "3 already imported")
	webtest.MustNotContain(t, page, `id="confirm"`)

	// A form from elsewhere (no CSRF token) is refused.
	c.CSRF = "forged"
	page = postFile(t, c, form, "releve.csv", csv)
	webtest.MustStatus(t, page, http.StatusForbidden)
}

// TestUIFrench_Import: the import page, its preview with lines left out,
// and its refusals have no English left in French.
func TestUIFrench_Import(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	base := importUI(t, s)
	ana := webtest.MustUserWithPassword(t, s, "ana@example.com")
	c := webtest.NewClient(t, base)
	c.SignInAs(s, ana.ID)
	toFrench(t, c)
	f := &frenchPages{t: t}
	csv, err := os.ReadFile("../../bankfile/testdata/bank-fr-1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	f.check("import", c.Get("/import"), http.StatusOK)
	form := func(kv ...string) url.Values {
		v := url.Values{"action": {"preview"}, "account": {"new"}, "new_name": {"Ancien compte"}, "new_currency": {"EUR"}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	page := postFile(t, c, form(), "releve.csv", csv)
	f.check("import preview", page, http.StatusOK)
	webtest.MustContain(t, page, "3 nouvelles opérations", "Ligne 5", "Date\u00a0: &#34;32/01/2024&#34; n’est pas une date au format dd/mm/yyyy")
	f.check("import, no file", postFile(t, c, form(), "", nil), http.StatusBadRequest)
	f.check("import, bad currency", postFile(t, c, form("new_currency", "EURO"), "releve.csv", csv), http.StatusBadRequest)
	f.check("import, no name", postFile(t, c, form("new_name", ""), "releve.csv", csv), http.StatusBadRequest)
	f.check("import, bad column", postFile(t, c, form("date_column", "99"), "releve.csv", csv), http.StatusBadRequest)
	f.check("import, unknown account", postFile(t, c, form("account", "999999"), "releve.csv", csv), http.StatusBadRequest)
	f.check("import, wrong format", postFile(t, c, form("format", "cfonb"), "releve.csv", csv), http.StatusBadRequest)
}
