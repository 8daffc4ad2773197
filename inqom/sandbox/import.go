package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/freenahi/freenahi/cfonb"
)

// handleImport reads an uploaded CFONB 120 file, routes each statement to a
// registered account of a dossier the user may write, applies the balance
// control, and records the statements: all of them, or none.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	user, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	name, data, aerr := readUpload(r)
	if aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	statements, aerr := parseStatements(name, data)
	if aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	summary, aerr := s.importStatements(user, name, statements)
	if aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	s.log.Info("inqom sandbox imported a file", slog.String("filename", name),
		slog.Int64("import_id", summary.ImportID), slog.Int("statements", summary.Statements),
		slog.Int("movements", summary.Movements))
	writeJSON(w, http.StatusOK, summary)
}

// readUpload returns the name and content of the multipart part "file".
func readUpload(r *http.Request) (string, []byte, *apiError) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return "", nil, &apiError{status: http.StatusUnsupportedMediaType, message: "The body must be multipart/form-data with a part named file."}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, errInvalid("file", "The multipart body cannot be read: %v.", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, errInvalid("file", "The file field is required.")
		}
		if err != nil {
			return "", nil, uploadError(err)
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return "", nil, uploadError(err)
		}
		return part.FileName(), data, nil
	}
}

// uploadError explains a broken or oversized upload.
func uploadError(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{status: http.StatusRequestEntityTooLarge,
			message: fmt.Sprintf("The file is larger than %d bytes.", tooBig.Limit)}
	}
	return errInvalid("file", "The multipart body cannot be read: %v.", err)
}

// parseStatements reads every statement with the strict reader. Continuity
// between statements is left to the balance control, which only accounts
// that asked for it undergo.
func parseStatements(name string, data []byte) ([]*cfonb.Statement, *apiError) {
	rd := cfonb.NewReader(bytes.NewReader(data))
	rd.SkipChainCheck = true
	var out []*cfonb.Statement
	for {
		st, err := rd.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			e := errBanking(http.StatusBadRequest, "InvalidCfonbFile", "The file %s is not a valid CFONB 120 file: %v", name, err)
			var ce *cfonb.Error
			if errors.As(err, &ce) {
				e.data = map[string]any{"line": ce.Line, "column": ce.Column}
			}
			return nil, e
		}
		out = append(out, st)
	}
}

// ImportSummary is the answer to an accepted import: what went where.
type ImportSummary struct {
	ImportID   int64           `json:"importId"`
	FileName   string          `json:"fileName"`
	Statements int             `json:"statements"`
	Movements  int             `json:"movements"`
	Accounts   []AccountImport `json:"accounts"`
}

// AccountImport counts what one account received from a file.
type AccountImport struct {
	AccountID    int64  `json:"accountId"`
	EnterpriseID int64  `json:"enterpriseId"`
	Iban         string `json:"iban"`
	Statements   int    `json:"statements"`
	Movements    int    `json:"movements"`
}

// importStatements routes and checks every statement first, then records
// them all under one lock, so that a refused file leaves no trace.
func (s *Server) importStatements(user, name string, statements []*cfonb.Statement) (*ImportSummary, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	targets := make([]*account, len(statements))
	ends := map[*account]*balance{} // closings so far, this file included
	for i, st := range statements {
		a, aerr := s.routeLocked(user, st.Account, i+1)
		if aerr != nil {
			return nil, aerr
		}
		prev, seen := ends[a]
		if !seen {
			prev = a.last
		}
		if aerr := balanceControl(a, prev, st, i+1); aerr != nil {
			return nil, aerr
		}
		targets[i] = a
		ends[a] = &balance{date: st.ClosingDate, minor: st.ClosingMinor, exponent: st.Account.Exponent, currency: st.Account.Currency}
	}
	s.nextImport++
	sum := &ImportSummary{ImportID: s.nextImport, FileName: name, Statements: len(statements), Accounts: []AccountImport{}}
	now := s.now()
	for i, st := range statements {
		a := targets[i]
		s.record(a, ImportedStatement{ImportID: s.nextImport, Filename: name, ReceivedAt: now,
			AccountID: a.ID, IBAN: a.IBAN, Statement: *st})
		a.last = ends[a]
		sum.Movements += len(st.Movements)
		j := slices.IndexFunc(sum.Accounts, func(x AccountImport) bool { return x.AccountID == a.ID })
		if j < 0 {
			sum.Accounts = append(sum.Accounts, AccountImport{AccountID: a.ID, EnterpriseID: a.DossierID, Iban: a.IBAN})
			j = len(sum.Accounts) - 1
		}
		sum.Accounts[j].Statements++
		sum.Accounts[j].Movements += len(st.Movements)
	}
	return sum, nil
}

// routeLocked finds the registered account a statement belongs to, among
// the dossiers user may write, by bank, branch and account number, the
// parts of the IBAN a CFONB 120 record carries. Accounts of other dossiers
// are not mentioned, so as not to reveal them.
func (s *Server) routeLocked(user string, id cfonb.Account, n int) (*account, *apiError) {
	var found []*account
	for _, d := range s.cfg.Dossiers[user] {
		for _, a := range s.accounts[d] {
			if a.routable && a.rib.BankCode == id.BankCode && a.rib.BranchCode == id.BranchCode &&
				a.rib.AccountNumber == id.AccountNumber {
				found = append(found, a)
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, errBanking(http.StatusBadRequest, "UnknownAccount",
			"Statement %d is for bank %s, branch %s, account %s, which is not registered in any dossier you may write.",
			n, id.BankCode, id.BranchCode, id.AccountNumber)
	case 1:
		return found[0], nil
	}
	// Copying the statement into every dossier would double the books of
	// whoever shares the IBAN by mistake: refuse and say where it is.
	var ds []string
	for _, a := range found {
		ds = append(ds, fmt.Sprint(a.DossierID))
	}
	return nil, errBanking(http.StatusBadRequest, "AmbiguousAccount",
		"Statement %d is for bank %s, branch %s, account %s, which is registered in several dossiers (%s).",
		n, id.BankCode, id.BranchCode, id.AccountNumber, strings.Join(ds, ", "))
}

// balanceControl applies IsCfonbControlActive: a statement must open at
// the balance the previous one of the account closed at. The reader has
// already checked that each statement adds up (01 + Σ 04 = 07).
func balanceControl(a *account, prev *balance, st *cfonb.Statement, n int) *apiError {
	if !a.CFONBControl || prev == nil {
		return nil
	}
	exp := st.Account.Exponent
	if prev.currency != st.Account.Currency || prev.exponent != exp {
		return errBanking(http.StatusBadRequest, "CfonbControlFailed",
			"Balance control failed for account %s: statement %d is in %s with %d decimals, the previous one in %s with %d.",
			a.IBAN, n, st.Account.Currency, exp, prev.currency, prev.exponent)
	}
	// Dates chain too: a statement opening before the last day the account
	// already holds would restate days sent before, and one opening after
	// it would leave days unaccounted for.
	if open, last := st.OpeningDate.Format("02/01/2006"), prev.date.Format("02/01/2006"); st.OpeningDate.Before(prev.date) {
		return errBanking(http.StatusBadRequest, "CfonbControlFailed",
			"Balance control failed for account %s: statement %d opens on %s, but the account's statements already run to %s; a day already imported cannot be restated.",
			a.IBAN, n, open, last)
	} else if st.OpeningDate.After(prev.date) {
		return errBanking(http.StatusBadRequest, "CfonbControlFailed",
			"Balance control failed for account %s: statement %d opens on %s, but the previous statement closed on %s; the days between are missing.",
			a.IBAN, n, open, last)
	}
	if st.OpeningMinor != prev.minor {
		return errBanking(http.StatusBadRequest, "CfonbControlFailed",
			"Balance control failed for account %s: statement %d opens at %s %s on %s, but the previous statement closed at %s %s on %s.",
			a.IBAN, n, cfonb.FormatMinor(st.OpeningMinor, exp), st.Account.Currency, st.OpeningDate.Format("02/01/2006"),
			cfonb.FormatMinor(prev.minor, exp), prev.currency, prev.date.Format("02/01/2006"))
	}
	return nil
}
