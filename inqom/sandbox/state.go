package sandbox

import (
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/freenahi/freenahi/cfonb"
)

// Account is a bank account registered in a dossier.
type Account struct {
	ID           int64     `json:"id"`
	DossierID    int64     `json:"dossier_id"`
	IBAN         string    `json:"iban"`
	BankName     string    `json:"bank_name"`
	CFONBControl bool      `json:"cfonb_control"`
	RegisteredAt time.Time `json:"registered_at"`
}

// account is an Account with what routing and the balance control need.
type account struct {
	Account
	rib       cfonb.RIB
	routable  bool // a French or Monegasque IBAN, so CFONB 120 can name it
	last      *balance
	kept      int // statements plus movements still in the history
	received  int // statements ever received, forgotten ones included
	movements int // movements ever received
}

// balance is where the last imported statement of an account closed.
type balance struct {
	date     time.Time
	minor    int64
	exponent int
	currency string
}

// ImportedStatement is one statement the sandbox accepted, with where it
// went: the history tests and the demo inspect.
type ImportedStatement struct {
	// ImportID numbers accepted files, from 1; a file's statements share it.
	ImportID   int64     `json:"import_id"`
	Filename   string    `json:"filename"`
	ReceivedAt time.Time `json:"received_at"`
	AccountID  int64     `json:"account_id"`
	IBAN       string    `json:"iban"`
	// Statement is as the strict reader returned it, movements and their
	// references included.
	Statement cfonb.Statement `json:"statement"`
}

// Accounts returns the accounts registered in dossierID, in registration order.
func (s *Server) Accounts(dossierID int64) []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Account, 0, len(s.accounts[dossierID]))
	for _, a := range s.accounts[dossierID] {
		out = append(out, a.Account)
	}
	return out
}

// Imports returns the statements imported into dossierID, in the order they
// arrived (copies: the caller may keep or change them).
func (s *Server) Imports(dossierID int64) []ImportedStatement {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ImportedStatement, len(s.imports[dossierID]))
	for i, is := range s.imports[dossierID] {
		out[i] = is
		out[i].Statement.Movements = cloneMovements(is.Statement.Movements)
	}
	return out
}

func cloneMovements(ms []cfonb.Movement) []cfonb.Movement {
	out := slices.Clone(ms)
	for i := range out {
		out[i].Complements = slices.Clone(out[i].Complements)
	}
	return out
}

// State is a summary of the sandbox, served by GET /__sandbox/state. It
// never shows tokens or credentials.
type State struct {
	Now           time.Time `json:"now"`
	TokensIssued  int       `json:"tokens_issued"`
	FaultsPending int       `json:"faults_pending"`
	// InFlight counts the API requests being served, including those a
	// fault holds: a test waits for 0 to know a request the client gave up
	// on has played out.
	InFlight int            `json:"in_flight"`
	Dossiers []DossierState `json:"dossiers"`
}

// DossierState summarises one dossier.
type DossierState struct {
	ID       int64          `json:"id"`
	Users    []string       `json:"users"`
	Accounts []AccountState `json:"accounts"`
}

// AccountState summarises one account and what it received.
type AccountState struct {
	Account
	Statements int `json:"statements"`
	Movements  int `json:"movements"`
	// LastClosing is the closing balance of the last statement imported,
	// in decimal text ("2176.32"), and LastClosingDate its date.
	LastClosing     string `json:"last_closing,omitempty"`
	LastClosingDate string `json:"last_closing_date,omitempty"`
}

// State returns the summary of GET /__sandbox/state.
func (s *Server) State() State {
	users := map[int64][]string{}
	for u, ids := range s.cfg.Dossiers {
		for _, id := range ids {
			users[id] = append(users[id], u)
		}
	}
	st := State{Now: s.now(), FaultsPending: s.faults.Pending(), InFlight: int(s.inFlight.Load()), Dossiers: []DossierState{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.TokensIssued = s.tokensIssued
	for id := range s.accounts {
		if _, ok := users[id]; !ok {
			users[id] = nil
		}
	}
	for _, id := range slices.Sorted(maps.Keys(users)) {
		slices.Sort(users[id])
		d := DossierState{ID: id, Users: slices.Compact(users[id]), Accounts: []AccountState{}}
		for _, a := range s.accounts[id] {
			as := AccountState{Account: a.Account, Statements: a.received, Movements: a.movements}
			if a.last != nil {
				as.LastClosing = cfonb.FormatMinor(a.last.minor, a.last.exponent)
				as.LastClosingDate = a.last.date.Format(time.DateOnly)
			}
			d.Accounts = append(d.Accounts, as)
		}
		st.Dossiers = append(st.Dossiers, d)
	}
	return st
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.State())
}

// record appends an accepted statement to its dossier's history, then
// forgets the account's oldest statements beyond MaxHistory. Called with
// s.mu held.
func (s *Server) record(a *account, is ImportedStatement) {
	d := a.DossierID
	s.imports[d] = append(s.imports[d], is)
	a.kept += 1 + len(is.Statement.Movements)
	a.received++
	a.movements += len(is.Statement.Movements)
	for a.kept > s.cfg.MaxHistory {
		i := slices.IndexFunc(s.imports[d], func(x ImportedStatement) bool { return x.AccountID == a.ID })
		if i < 0 || i == len(s.imports[d])-1 {
			break // never forget the statement just received
		}
		a.kept -= 1 + len(s.imports[d][i].Statement.Movements)
		s.imports[d] = slices.Delete(s.imports[d], i, i+1)
	}
}
