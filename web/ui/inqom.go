package ui

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/export"
	"github.com/freenahi/freenahi/web/locale"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// The accounting page (/inqom): the person's accounts linked to Inqom
// dossiers with the state of each one's export, "push now", the form that
// links another account through the same service as the API and the CLI,
// and the person's own Inqom credentials, whose password and client secret
// are never shown back. Each link's history of files is in ui_inqom_batch.go.

// InqomCredentialStore keeps each person's own Inqom credentials, the
// password and the client secret sealed at rest (the store).
type InqomCredentialStore interface {
	FindInqomCredentials(ctx context.Context, userID int64) (*freenahi.InqomCredentials, error)
	SaveInqomCredentials(ctx context.Context, c *freenahi.InqomCredentials) error
}

func (s *Handler) registerUIInqomRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /inqom", s.signedIn(s.uiInqom(s.handleUIInqomIndex)))
	mux.HandleFunc("POST /inqom/credentials", s.signedIn(s.uiInqom(s.handleUIInqomCredentials)))
	mux.HandleFunc("POST /inqom/mappings", s.signedIn(s.uiInqom(s.handleUIInqomLink)))
	mux.HandleFunc("POST /inqom/push", s.signedIn(s.uiInqom(s.handleUIInqomPush)))
	mux.HandleFunc("POST /inqom/mappings/{id}/unlink", s.signedIn(s.uiInqom(s.handleUIInqomUnlink)))
	s.registerUIInqomBatchRoutes(mux)
}

// uiInqom answers the unavailable page when the server has no Inqom exporter.
func (s *Handler) uiInqom(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Inqom == nil {
			respond.Error(w, r, &freenahi.Error{Code: freenahi.EUNAVAILABLE, Message: s.localeOf(r).T("inqom.unavailable")})
			return
		}
		h(w, r)
	}
}

// inqomView is the accounting page.
type inqomView struct {
	Mappings []mappingRow
	// Accounts are the active accounts the link form offers.
	Accounts []*freenahi.Account
	Link     mappingForm
	// Credentials is nil when the server keeps no credentials per person.
	Credentials *credentialsForm
	// LastDay is the last bank day that has ended: files stop there.
	LastDay freenahi.Date
}

// mappingRow is one linked account with the state of its export.
type mappingRow struct {
	*freenahi.InqomMappingStatus
	AccountName string
	// Last is the latest file of the mapping; nil before the first.
	Last *freenahi.ExportBatch
}

// mappingForm is the form linking an account to a dossier, as typed.
type mappingForm struct {
	AccountID, DossierID, BankName, IBAN, From string
	Control, Additional                        bool
	Error, Field                               string
}

// credentialsForm shows a person's Inqom credentials: never the password
// nor the client secret, only that they are saved.
type credentialsForm struct {
	Username, ClientID, Environment, AuthURL, BankingURL string
	Saved                                                bool
	UpdatedAt                                            time.Time
	Error, Field                                         string
}

func (s *Handler) handleUIInqomIndex(w http.ResponseWriter, r *http.Request) {
	s.renderInqom(w, r, http.StatusOK, &inqomView{Link: mappingForm{Control: true}})
}

// renderInqom loads what v does not hold yet and renders the page.
func (s *Handler) renderInqom(w http.ResponseWriter, r *http.Request, status int, v *inqomView) {
	if err := s.loadInqomView(r.Context(), request.User(r.Context()).ID, v); err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, status, "inqom", &page{Title: "inqom.title", Nav: "inqom", Data: v})
}

func (s *Handler) loadInqomView(ctx context.Context, userID int64, v *inqomView) error {
	v.LastDay = freenahi.LastEndedBankDay(s.Now())
	if s.InqomCredentials != nil && v.Credentials == nil {
		var err error
		if v.Credentials, err = s.savedCredentials(ctx, userID); err != nil {
			return err
		}
	}
	accounts, err := s.Accounts.FindAccounts(ctx, freenahi.AccountFilter{UserID: userID})
	if err != nil {
		return err
	}
	names := accountNames(accounts)
	for _, a := range accounts {
		if a.Disabled == nil {
			v.Accounts = append(v.Accounts, a)
		}
	}
	ms, err := s.Inqom.FindInqomMappings(ctx, userID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		last, err := s.Inqom.FindExportBatches(ctx, userID, m.ID, 1)
		if err != nil {
			return err
		}
		row := mappingRow{InqomMappingStatus: m, AccountName: names[m.AccountID]}
		if len(last) > 0 {
			row.Last = last[0]
		}
		v.Mappings = append(v.Mappings, row)
	}
	return nil
}

// savedCredentials returns what the form shows of the person's saved
// credentials; the secrets are dropped here.
func (s *Handler) savedCredentials(ctx context.Context, userID int64) (*credentialsForm, error) {
	c, err := s.InqomCredentials.FindInqomCredentials(ctx, userID)
	switch freenahi.ErrorCode(err) {
	case "":
		return &credentialsForm{Username: c.Username, ClientID: c.ClientID, Environment: c.Environment, AuthURL: c.AuthURL,
			BankingURL: c.BankingURL, Saved: true, UpdatedAt: c.UpdatedAt}, nil
	case freenahi.ENOTFOUND:
		return &credentialsForm{}, nil
	}
	return nil, err
}

// handleUIInqomCredentials saves the person's credentials. A password or
// client secret left empty keeps the saved one, since neither is ever
// shown back to be typed again, but only while the Inqom addresses stay
// the same (export.KeepSecrets); addresses must be https and public
// (export.CheckCredentialURLs).
func (s *Handler) handleUIInqomCredentials(w http.ResponseWriter, r *http.Request) {
	userID := request.User(r.Context()).ID
	if s.InqomCredentials == nil {
		respond.Error(w, r, &freenahi.Error{Code: freenahi.EUNAVAILABLE, Message: s.localeOf(r).T("inqom.unavailable")})
		return
	}
	f, err := s.savedCredentials(r.Context(), userID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	pf := r.PostForm
	c := &freenahi.InqomCredentials{UserID: userID, Username: strings.TrimSpace(pf.Get("username")), Password: pf.Get("password"),
		ClientID: strings.TrimSpace(pf.Get("client_id")), ClientSecret: pf.Get("client_secret"), Environment: pf.Get("environment"),
		AuthURL: strings.TrimSpace(pf.Get("auth_url")), BankingURL: strings.TrimSpace(pf.Get("banking_url"))}
	var saved *freenahi.InqomCredentials
	if f.Saved {
		if saved, err = s.InqomCredentials.FindInqomCredentials(r.Context(), userID); err != nil {
			respond.Error(w, r, err)
			return
		}
	}
	f.Username, f.ClientID, f.Environment, f.AuthURL, f.BankingURL = c.Username, c.ClientID, c.Environment, c.AuthURL, c.BankingURL
	if err = export.KeepSecrets(c, saved); err == nil {
		if f.Field, f.Error = checkCredentials(c, s.localeOf(r)); f.Error == "" {
			if err = export.CheckCredentialURLs(c, s.Config.InqomAllowLoopback); err == nil {
				err = s.InqomCredentials.SaveInqomCredentials(r.Context(), c)
			}
		}
	}
	switch code := freenahi.ErrorCode(err); {
	case code == freenahi.EINVALID:
		f.Field, f.Error = fieldOf(err), s.localeOf(r).Err(err)
	case err != nil:
		respond.Error(w, r, err)
		return
	}
	if f.Error != "" {
		s.renderInqom(w, r, http.StatusBadRequest, &inqomView{Link: mappingForm{Control: true}, Credentials: f})
		return
	}
	http.Redirect(w, r, "/inqom?msg=flash.inqom_saved", http.StatusSeeOther)
}

// checkCredentials returns the field at fault and why, in the person's
// language, or two empty strings.
func checkCredentials(c *freenahi.InqomCredentials, l *locale.Locale) (field, msg string) {
	for _, f := range []struct{ name, v string }{{"username", c.Username}, {"password", c.Password},
		{"client_id", c.ClientID}, {"client_secret", c.ClientSecret}} {
		if strings.TrimSpace(f.v) == "" {
			return f.name, l.T("form.required")
		}
	}
	if c.Environment != "production" && c.Environment != "staging" {
		return "environment", l.T("form.not_a_choice")
	}
	return "", ""
}

// handleUIInqomLink links an account to a dossier and registers it in
// Inqom. Another person's account is not found; what the service or Inqom
// refuses shows in the form.
func (s *Handler) handleUIInqomLink(w http.ResponseWriter, r *http.Request) {
	userID, l, pf := request.User(r.Context()).ID, s.localeOf(r), r.PostForm
	f := mappingForm{AccountID: pf.Get("account_id"), DossierID: strings.TrimSpace(pf.Get("dossier_id")),
		BankName: strings.TrimSpace(pf.Get("bank_name")), IBAN: strings.TrimSpace(pf.Get("iban")),
		From: strings.TrimSpace(pf.Get("from")), Control: pf.Get("cfonb_control") == "true", Additional: pf.Get("additional") == "true"}
	accountID, err := request.PathID(f.AccountID)
	if err == nil {
		_, err = s.Accounts.FindAccountByID(r.Context(), userID, accountID)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	req := freenahi.InqomMappingInput{UserID: userID, AccountID: accountID, IBAN: f.IBAN, BankName: f.BankName, CFONBControl: &f.Control,
		Additional: f.Additional}
	if req.DossierID, err = request.PathID(f.DossierID); err != nil {
		f.Field, f.Error = "dossier_id", l.T("inqom.need_dossier")
	} else if f.From != "" {
		if req.StartDate, err = freenahi.ParseDate(f.From); err != nil {
			f.Field, f.Error = "from", l.T("form.not_a_date")
		}
	}
	status := http.StatusBadRequest
	if f.Error == "" {
		_, err = s.Inqom.MapAccount(r.Context(), req)
		switch code := freenahi.ErrorCode(err); code {
		case "":
			http.Redirect(w, r, "/inqom?msg=flash.inqom_linked", http.StatusSeeOther)
			return
		case freenahi.EINTERNAL:
			respond.Error(w, r, err)
			return
		default:
			f.Field, f.Error = fieldOf(err), l.T("inqom.link_failed", l.Err(err))
			status = respond.Status(code)
		}
	}
	s.renderInqom(w, r, status, &inqomView{Link: f})
}

// handleUIInqomPush exports what is waiting now, in a job (see
// export.Pusher.RegisterJobs).
func (s *Handler) handleUIInqomPush(w http.ResponseWriter, r *http.Request) {
	s.runJob(w, r, jobInqomPush, nil)
}

// jobInqomPush is the kind of the push job.
const jobInqomPush = export.JobInqomPush

// handleUIInqomUnlink stops sending a linked account to its dossier; the
// page said beforehand what happens to its waiting transactions.
func (s *Handler) handleUIInqomUnlink(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		_, err = s.Inqom.UnlinkInqomMapping(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/inqom?msg=flash.inqom_unlinked", http.StatusSeeOther)
}
