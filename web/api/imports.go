package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/bankfile"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// previewRows is how many transactions an import answer lists.
const previewRows = 100

func (s *Handler) registerImportRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/imports", s.requireToken(s.handleImport))
	mux.HandleFunc("PUT /api/v1/accounts/{id}/balance", s.requireToken(s.handleManualBalance))
}

type importErrorJSON struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

type csvMappingJSON struct {
	Separator     string `json:"separator"`
	Header        bool   `json:"header"`
	DateColumn    int    `json:"date_column"`
	AmountColumn  int    `json:"amount_column"`
	DebitColumn   int    `json:"debit_column"`
	CreditColumn  int    `json:"credit_column"`
	WordingColumn int    `json:"wording_column"`
	DateFormat    string `json:"date_format"`
	Decimal       string `json:"decimal"`
}

type importJSON struct {
	Format       string            `json:"format"`
	Currency     *string           `json:"currency"`
	DryRun       bool              `json:"dry_run"`
	Account      accountJSON       `json:"account"`
	Added        int               `json:"added"`
	Skipped      int               `json:"skipped"`
	Transactions []transactionJSON `json:"transactions"`
	Errors       []importErrorJSON `json:"errors"`
	Mapping      *csvMappingJSON   `json:"mapping"`
}

// handleImport reads the request body as a bank file (CFONB 120, OFX, QIF
// or CSV) and imports it into a manual account: account_id, or a new one
// named by new_account_name and new_account_currency. With dry_run=true
// nothing is kept and the answer previews exactly what would be stored.
func (s *Handler) handleImport(w http.ResponseWriter, r *http.Request) {
	known := append([]string{"account_id", "new_account_name", "new_account_currency", "new_account_type", "dry_run"}, request.ImportParams...)
	p := request.NewParams(r.URL.Query(), known...)
	req := bankfile.Request{UserID: request.User(r.Context()).ID, Options: request.ImportOptions(p), DryRun: p.Bool("dry_run")}
	if id := p.Int64("account_id"); id != nil {
		req.AccountID = *id
	} else if name := p.Str("new_account_name"); name != "" || p.Str("new_account_currency") != "" {
		req.NewAccount = &freenahi.Account{Name: name, Currency: freenahi.Currency{Code: p.Str("new_account_currency")}, Type: p.Str("new_account_type")}
	} else if p.Err == nil {
		p.Err = freenahi.FieldErrorf("account_id", "is required, or new_account_name and new_account_currency")
	}
	if p.Err == nil && s.Imports == nil {
		p.Err = freenahi.Errorf(freenahi.EUNAVAILABLE, "Imports are not configured on this server.")
	}
	if p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, bankfile.MaxSize))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		respond.Error(w, r, freenahi.FieldErrorf("file", "is larger than %d MB", bankfile.MaxSize>>20))
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	req.Data = data
	out, err := s.Imports.Import(r.Context(), req)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	status := http.StatusCreated
	if req.DryRun {
		status = http.StatusOK
	}
	j := toImportJSON(out, req.DryRun)
	names := s.categoryNames(r.Context(), req.UserID)
	for i := range j.Transactions {
		j.Transactions[i] = names.named(j.Transactions[i])
	}
	respond.JSON(w, r, status, j)
}

func toImportJSON(out *bankfile.Outcome, dryRun bool) importJSON {
	res := out.Result
	j := importJSON{Format: string(out.File.Format), Currency: strPtrOrNil(out.File.Currency), DryRun: dryRun,
		Account: toAccountJSON(res.Account), Added: len(res.Added), Skipped: res.Skipped,
		Transactions: []transactionJSON{}, Errors: []importErrorJSON{}}
	for _, t := range res.Added[:min(len(res.Added), previewRows)] {
		j.Transactions = append(j.Transactions, toTransactionJSON(t))
	}
	for _, e := range out.Errors {
		j.Errors = append(j.Errors, importErrorJSON{Line: e.Line, Field: e.Err.Field, Message: e.Err.Message})
	}
	if out.File.Format == bankfile.CSV {
		m := out.File.Mapping
		sep := string(m.Separator)
		if m.Separator == '\t' {
			sep = "tab"
		}
		j.Mapping = &csvMappingJSON{Separator: sep, Header: m.Header, DateColumn: m.Date, AmountColumn: m.Amount,
			DebitColumn: m.Debit, CreditColumn: m.Credit, WordingColumn: m.Wording, DateFormat: m.DateFormat, Decimal: m.Decimal}
	}
	return j
}
