package sandbox

import (
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/freenahi/freenahi/cfonb"
)

// accountInput is the body of the page's "Ajout d'un compte bancaire";
// encoding/json matches names without regard to case, like ASP.NET.
type accountInput struct {
	Iban                 string
	BankName             string
	IsCfonbControlActive bool
}

// handleAccountCreate registers an IBAN in a dossier the user may write.
func (s *Server) handleAccountCreate(w http.ResponseWriter, r *http.Request) {
	user, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	dossier, err := strconv.ParseInt(r.PathValue("dossierId"), 10, 64)
	if err != nil || dossier <= 0 {
		s.writeError(w, r, errInvalid("dossierId", "The value '%s' is not valid for dossierId.", r.PathValue("dossierId")))
		return
	}
	if !s.canWrite(user, dossier) {
		s.writeError(w, r, &apiError{status: http.StatusForbidden, code: "Forbidden",
			message: "The user has no rights on dossier " + strconv.FormatInt(dossier, 10) + "."})
		return
	}
	in, aerr := decodeAccount(r)
	if aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	a, aerr := s.register(dossier, in)
	if aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	s.log.Info("inqom sandbox registered an account", slog.Int64("dossier_id", dossier),
		slog.Int64("account_id", a.ID), slog.String("iban", a.IBAN))
	writeJSON(w, http.StatusOK, map[string]any{
		"id": a.ID, "enterpriseId": a.DossierID, "iban": a.IBAN, "bankName": a.BankName,
		"isCfonbControlActive": a.CFONBControl, "creationTime": a.RegisteredAt,
	})
}

// decodeAccount reads and validates the JSON body.
func decodeAccount(r *http.Request) (accountInput, *apiError) {
	var in accountInput
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return in, &apiError{status: http.StatusUnsupportedMediaType, message: "The body must be JSON (Content-Type: application/json)."}
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return in, &apiError{status: http.StatusRequestEntityTooLarge, message: "The request body is too large."}
		}
		return in, errInvalid("body", "The body is not a valid account: %v.", err)
	}
	in.Iban = strings.ToUpper(strings.Join(strings.Fields(in.Iban), ""))
	switch {
	case in.Iban == "":
		return in, errInvalid("iban", "The Iban field is required.")
	case utf8.RuneCountInString(in.BankName) > 256:
		return in, errInvalid("bankName", "The field BankName must be a string with a maximum length of 256.")
	}
	err := cfonb.ValidateIBAN(in.Iban)
	if err == nil && (strings.HasPrefix(in.Iban, "FR") || strings.HasPrefix(in.Iban, "MC")) {
		// A French RIB also has its own key, which the IBAN check misses.
		_, err = cfonb.ParseIBAN(in.Iban)
	}
	if err != nil {
		return in, errInvalid("iban", "The IBAN %s is not valid: %s.", in.Iban, ibanProblem(err))
	}
	return in, nil
}

// ibanProblem is the reason part of a cfonb IBAN error.
func ibanProblem(err error) string {
	var ie *cfonb.IBANError
	if errors.As(err, &ie) {
		return ie.Msg
	}
	return err.Error()
}

// register stores the account unless its IBAN is already in the dossier.
func (s *Server) register(dossier int64, in accountInput) (*account, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.accounts[dossier] {
		if a.IBAN == in.Iban {
			return nil, &apiError{status: http.StatusConflict, code: "Banking:AccountAlreadyRegistered",
				message: "The IBAN " + in.Iban + " is already registered in dossier " + strconv.FormatInt(dossier, 10) + ".",
				data:    map[string]any{"accountId": a.ID}}
		}
	}
	if len(s.accounts[dossier]) >= maxAccountsPerDossier {
		return nil, errBanking(http.StatusBadRequest, "TooManyAccounts", "Dossier %d already has %d bank accounts.", dossier, maxAccountsPerDossier)
	}
	s.nextAccount++
	a := &account{Account: Account{ID: s.nextAccount, DossierID: dossier, IBAN: in.Iban, BankName: in.BankName,
		CFONBControl: in.IsCfonbControlActive, RegisteredAt: s.now()}}
	// Only a French or Monegasque IBAN has a RIB a CFONB 120 file can name;
	// others are stored but no statement can reach them.
	if rib, err := cfonb.ParseIBAN(in.Iban); err == nil {
		a.rib, a.routable = rib, true
	}
	s.accounts[dossier] = append(s.accounts[dossier], a)
	return a, nil
}
