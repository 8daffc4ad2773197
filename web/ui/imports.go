package ui

import (
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// The import page: a bank file (CFONB 120, OFX, QIF, CSV) into a manual
// account. The person picks the account (or names a new one) and the file,
// previews the first rows exactly as they will be stored, with each line
// that cannot be read named by its line and field, adjusts the CSV
// columns if need be, then confirms. The file travels back with the
// preview in a hidden field, so nothing is kept on the server between the
// two steps.

func (s *Handler) registerUIImportRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /import", s.signedIn(s.handleUIImportForm))
	mux.HandleFunc("POST /import", s.signedIn(s.handleUIImport))
}

// importPath is where the upload form posts.
const importPath = "/import"

// maxUploadBytes bounds the import form: the file, and the same file again
// in base64 when the preview posts it back, with room for the fields.
const maxUploadBytes = 3*bankfile.MaxSize + 1<<20

// isUpload reports whether r is the import form, which alone may post a
// file (multipart) and more than maxFormBytes.
func isUpload(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.URL.Path == importPath && mt == "multipart/form-data"
}

// parseUpload reads the import form within maxUploadBytes.
func parseUpload(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
	if err := r.ParseMultipartForm(4 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return freenahi.FieldErrorf("file", "is larger than %d MB", bankfile.MaxSize>>20)
		}
		return freenahi.Errorf(freenahi.EINVALID, "The form could not be read.")
	}
	return nil
}

// previewRows is how many rows the preview shows.
const previewRows = 20

// importView is the import page.
type importView struct {
	Accounts    []*freenahi.Account
	Form        url.Values
	Formats     []bankfile.Format
	DateFormats []string
	// Data is the file in base64 once uploaded; FileName its name.
	Data, FileName string
	Preview        *importPreview
}

// importPreview is what the dry run found.
type importPreview struct {
	Format     string
	Account    *freenahi.Account
	Added      int
	Skipped    int
	Rows       []*freenahi.Transaction
	More       int
	Errors     []importLineError
	Categories map[int64]string
}

type importLineError struct {
	Line int
	Text string
}

// importFields are the names of the import form; "file" is among the
// values when no file was chosen (a browser sends the part empty).
var importFields = append([]string{"csrf", "action", "file", "account", "new_name", "new_currency", "data", "file_name"}, request.ImportParams...)

func (s *Handler) handleUIImportForm(w http.ResponseWriter, r *http.Request) {
	form := url.Values{"account": {r.URL.Query().Get("account")}, "new_currency": {"EUR"}}
	s.renderImport(w, r, http.StatusOK, &importView{Form: form}, "")
}

func (s *Handler) renderImport(w http.ResponseWriter, r *http.Request, status int, v *importView, problem string) {
	all, err := s.Accounts.FindAccounts(r.Context(), freenahi.AccountFilter{UserID: request.User(r.Context()).ID})
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	for _, a := range all {
		if a.Manual {
			v.Accounts = append(v.Accounts, a)
		}
	}
	v.Formats, v.DateFormats = bankfile.Formats, bankfile.DateFormats
	s.render(w, r, status, "import", &page{Title: "import.title", Nav: "accounts", Error: problem, Data: v})
}

// handleUIImport previews (action "preview") or imports (action "import").
func (s *Handler) handleUIImport(w http.ResponseWriter, r *http.Request) {
	if s.Imports == nil {
		respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "Imports are not configured on this server."))
		return
	}
	v := &importView{Form: r.PostForm}
	req, err := s.importRequest(r, v)
	if err == nil {
		req.DryRun = r.PostForm.Get("action") != "import"
		var out *bankfile.Outcome
		if out, err = s.Imports.Import(r.Context(), req); err == nil && !req.DryRun {
			http.Redirect(w, r, "/accounts/"+strconv.FormatInt(out.Result.Account.ID, 10)+"?msg=flash.imported", http.StatusSeeOther)
			return
		} else if err == nil {
			v.Preview = s.importPreview(r, out)
			fillMapping(v.Form, out.File)
		}
	}
	if freenahi.ErrorCode(err) == freenahi.EINVALID || freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
		s.renderImport(w, r, http.StatusBadRequest, v, s.localeOf(r).Err(err))
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.renderImport(w, r, http.StatusOK, v, "")
}

// importRequest reads the form: the account, the file (uploaded now, or
// posted back by the preview) and how to read it.
func (s *Handler) importRequest(r *http.Request, v *importView) (bankfile.Request, error) {
	req := bankfile.Request{UserID: request.User(r.Context()).ID}
	p := request.NewParams(r.PostForm, importFields...)
	req.Options = request.ImportOptions(p)
	if p.Err != nil {
		return req, p.Err
	}
	switch acc := r.PostForm.Get("account"); acc {
	case "", "new":
		req.NewAccount = &freenahi.Account{Name: r.PostForm.Get("new_name"), Currency: freenahi.Currency{Code: strings.ToUpper(strings.TrimSpace(r.PostForm.Get("new_currency")))}}
	default:
		id, err := request.PathID(acc)
		if err != nil {
			return req, freenahi.FieldErrorf("account", "is not one of your manual accounts")
		}
		req.AccountID = id
	}
	data, name, err := uploadedFile(r)
	if err != nil {
		return req, err
	}
	req.Data = data
	v.Data, v.FileName = base64.StdEncoding.EncodeToString(data), name
	v.Form.Set("file_name", name)
	return req, nil
}

// uploadedFile returns the file of the form: the one chosen now, else the
// one the preview posted back.
func uploadedFile(r *http.Request) ([]byte, string, error) {
	if f, h, err := r.FormFile("file"); err == nil {
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, bankfile.MaxSize+1))
		if err != nil {
			return nil, "", freenahi.Errorf(freenahi.EINVALID, "The form could not be read.")
		}
		if len(data) > 0 {
			return data, h.Filename, nil
		}
	}
	if b64 := r.PostForm.Get("data"); b64 != "" {
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, "", freenahi.Errorf(freenahi.EINVALID, "The form could not be read.")
		}
		return data, r.PostForm.Get("file_name"), nil
	}
	return nil, "", freenahi.FieldErrorf("file", "is required")
}

// importPreview is the page's view of a dry run, its errors in the page's language.
func (s *Handler) importPreview(r *http.Request, out *bankfile.Outcome) *importPreview {
	l := s.localeOf(r)
	res := out.Result
	p := &importPreview{Format: string(out.File.Format), Account: res.Account, Added: len(res.Added), Skipped: res.Skipped,
		Rows: res.Added[:min(len(res.Added), previewRows)], More: max(0, len(res.Added)-previewRows)}
	for _, e := range out.Errors {
		p.Errors = append(p.Errors, importLineError{Line: e.Line, Text: l.Err(e.Err)})
	}
	if s.Spending != nil {
		if _, names, err := s.categoryTree(r); err == nil {
			p.Categories = names
		}
	}
	return p
}

// fillMapping shows the CSV mapping used, guesses included, in the form,
// so that the person corrects it rather than types it.
func fillMapping(f url.Values, file *bankfile.File) {
	if file.Format != bankfile.CSV {
		return
	}
	m := file.Mapping
	col := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	sep := string(m.Separator)
	if m.Separator == '\t' {
		sep = "tab"
	}
	f.Set("format", "csv")
	f.Set("separator", sep)
	f.Set("header", strconv.FormatBool(m.Header))
	f.Set("date_column", col(m.Date))
	f.Set("amount_column", col(m.Amount))
	f.Set("debit_column", col(m.Debit))
	f.Set("credit_column", col(m.Credit))
	f.Set("wording_column", col(m.Wording))
	f.Set("date_format", m.DateFormat)
	f.Set("decimal", m.Decimal)
}
