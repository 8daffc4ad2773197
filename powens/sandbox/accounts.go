package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
)

func (s *Server) registerAccountRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /2.0/users/{u}/accounts", s.handleAccountIndex)
	m.HandleFunc("GET /2.0/users/{u}/connections/{c}/accounts", s.handleAccountIndex)
	m.HandleFunc("GET /2.0/users/{u}/accounts/{id}", s.handleAccountView)
	m.HandleFunc("POST /2.0/users/{u}/accounts/{id}", s.handleAccountUpdate)
	m.HandleFunc("PUT /2.0/users/{u}/connections/{c}/accounts/{ids}", s.handleAccountBulkUpdate)
}

// balances returns an account's balance and coming amount in cents:
// transaction accounts sum their stored transactions (booked, then coming),
// investment accounts their valuations, a loan minus its remaining capital.
func (s *Server) balances(p *profile, a *account, today int) (balance, coming int64) {
	switch p.bank.Slots[a.Slot].Kind {
	case "loan":
		plan := p.loan(a.Slot)
		return -plan.remaining(plan.paymentsDone(intDate(today))), 0
	case "pea", "lifeinsurance", "per":
		return investmentBalance(p.positions(a.Slot, intDate(today))), 0
	}
	for _, t := range a.Txns {
		switch {
		case !t.Deleted.IsZero():
		case t.Coming:
			coming += t.Minor
		default:
			balance += t.Minor
		}
	}
	return balance, coming
}

// accountJSONLocked renders a as a Powens BankAccount.
func (s *Server) accountJSONLocked(a *account) *accountJSON {
	c := s.st.Connections[a.ConnectionID]
	p := s.profile(c)
	sl := p.bank.Slots[a.Slot]
	today := parisDate(s.now()).Int()
	bal, coming := s.balances(p, a, today)
	out := &accountJSON{ID: a.ID, IDConnection: a.ConnectionID, IDUser: a.UserID, IDSource: a.SourceID,
		Number: str(a.Number), OriginalName: sl.Name, Name: a.Name, Balance: money(bal), Coming: money(coming),
		Currency: currencies["EUR"], IBAN: str(a.IBAN), Type: sl.Type, IDType: accountTypeID(sl.Type),
		Usage: a.Usage, Display: a.Display, Bookmarked: boolFlag{a.Bookmarked, p.bank.Legacy}, Disabled: datetime{a.Disabled},
		Deleted: datetime{a.Deleted}, LastUpdate: datetime{a.LastUpdate}, OpeningDate: day(p.start.Int())}
	if a.ParentID != 0 {
		out.IDParent = ptr(a.ParentID)
	}
	if a.IBAN != "" {
		out.BIC = ptr("SBXAFRPPXXX")
	}
	if sl.Kind == "loan" {
		out.Loan = loanOf(p.loan(a.Slot), intDate(today))
		out.OpeningDate = day(p.loan(a.Slot).Signed.Int())
	}
	return out
}

func accountTypeID(t string) int64 {
	// Powens' ids of the types it documents are not published; these are the sandbox's own.
	ids := map[string]int64{"checking": 2, "savings": 3, "market": 4, "card": 6, "loan": 7, "lifeinsurance": 9, "pea": 10,
		"livret_a": 11, "ldds": 12, "csl": 13, "per": 24}
	return cmpInt(ids[t], 1)
}

func cmpInt(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}

// loanOf renders a loan plan as Powens' Loan object on a given day.
func loanOf(p *loanPlan, today freenahi.Date) *loanJSON {
	done := p.paymentsDone(today)
	l := &loanJSON{TotalAmount: money(p.Principal), AvailableAmount: "0.00", UsedAmount: money(p.Principal),
		SubscriptionDate: day(p.Signed.Int()), MaturityDate: day(p.paymentDate(p.Months - 1).Int()),
		StartRepaymentDate: day(p.Start.Int()), Rate: money(p.RateBP), // basis points → percent
		NbPaymentsLeft: p.Months - done, NbPaymentsDone: done, NbPaymentsTotal: p.Months,
		AccountLabel: "Compte chèques", InsuranceLabel: "Assurance emprunteur",
		InsuranceAmount: "18.40", InsuranceRate: "0.0030", Duration: p.Months, Type: "mortgage"}
	if done < p.Months {
		l.NextPaymentAmount, l.NextPaymentDate = money(p.Payment), day(p.paymentDate(done).Int())
	}
	if done > 0 {
		l.LastPaymentAmount, l.LastPaymentDate = money(p.Payment), day(p.paymentDate(done-1).Int())
	}
	return l
}

// visibleAccountsLocked lists the user's accounts (of one connection when
// connID > 0), activated ones only unless all is set.
func (s *Server) visibleAccountsLocked(userID, connID int64, all bool) []*account {
	var out []*account
	for _, a := range s.st.Accounts {
		if a.UserID == userID && (connID == 0 || a.ConnectionID == connID) && (all || a.Disabled.IsZero() && a.Deleted.IsZero()) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y *account) int { return int(x.ID - y.ID) })
	return out
}

var errNoAccount = errf(http.StatusConflict, "noAccount", "No bank account is activated.")

func (s *Server) handleAccountIndex(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	var connID int64
	if r.PathValue("c") != "" {
		var err *apiError
		if connID, err = pathID(r, "c"); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.st.Connections[connID]; connID != 0 && (c == nil || c.UserID != u.ID) {
		s.fail(w, r, errNotFound("Unknown connection."))
		return
	}
	list := s.visibleAccountsLocked(u.ID, connID, flag(r, "all"))
	if len(list) == 0 && !flag(r, "all") {
		s.fail(w, r, errNoAccount)
		return
	}
	accounts := []*accountJSON{}
	balances, comings := map[string]int64{}, map[string]int64{}
	for _, a := range list {
		pa := s.accountJSONLocked(a)
		accounts = append(accounts, pa)
		bal, coming := s.balances(s.profile(s.st.Connections[a.ConnectionID]), a, parisDate(s.now()).Int())
		balances["EUR"] += bal
		comings["EUR"] += bal + coming
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": accounts, "balances": numbers(balances), "coming_balances": numbers(comings)})
}

func numbers(m map[string]int64) map[string]decimal {
	out := map[string]decimal{}
	for k, v := range m {
		out[k] = money(v)
	}
	return out
}

// userAccountLocked finds the user's account id, or nil.
func (s *Server) userAccountLocked(userID int64, id string) *account {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	if a := s.st.Accounts[n]; a != nil && a.UserID == userID {
		return a
	}
	return nil
}

func (s *Server) handleAccountView(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.userAccountLocked(u.ID, r.PathValue("id"))
	if a == nil || !a.Disabled.IsZero() && !flag(r, "all") {
		s.fail(w, r, errNotFound("Unknown account."))
		return
	}
	writeJSON(w, http.StatusOK, s.accountJSONLocked(a))
}

func (s *Server) handleAccountUpdate(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	v, ok := s.readBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.userAccountLocked(u.ID, r.PathValue("id"))
	if a == nil || !a.Disabled.IsZero() && !flag(r, "all") {
		s.fail(w, r, errNotFound("Unknown account."))
		return
	}
	s.updateAccountsLocked([]*account{a}, v)
	writeJSON(w, http.StatusOK, s.accountJSONLocked(a))
}

// handleAccountBulkUpdate is PUT …/connections/{c}/accounts/{id1,id2}?all,
// the activation call of the custom-connection guide.
func (s *Server) handleAccountBulkUpdate(w http.ResponseWriter, r *http.Request) {
	u, _, ok := s.auth(w, r)
	if !ok {
		return
	}
	v, ok := s.readBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*account
	for _, id := range strings.Split(r.PathValue("ids"), ",") {
		a := s.userAccountLocked(u.ID, strings.TrimSpace(id))
		if a == nil || r.PathValue("c") != strconv.FormatInt(a.ConnectionID, 10) {
			s.fail(w, r, errNotFound("Unknown account "+id+"."))
			return
		}
		list = append(list, a)
	}
	s.updateAccountsLocked(list, v)
	out := []*accountJSON{}
	for _, a := range list {
		out = append(out, s.accountJSONLocked(a))
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": out})
}

// updateAccountsLocked applies an update; enabling accounts refreshes their
// connections (a sync that reveals their history and sends CONNECTION_SYNCED).
func (s *Server) updateAccountsLocked(list []*account, v map[string]string) {
	now := s.now()
	refresh := map[int64]bool{}
	for _, a := range list {
		if name := strings.TrimSpace(v["name"]); name != "" {
			a.Name = name
		}
		if d, ok := v["display"]; ok {
			a.Display = truthy(d)
		}
		if b, ok := v["bookmarked"]; ok {
			a.Bookmarked = truthy(b)
		}
		if u := v["usage"]; u == "PRIV" || u == "ORGA" || u == "ASSO" {
			a.Usage = u
		}
		d, ok := v["disabled"]
		switch {
		case !ok:
		case !truthy(d) && !a.Disabled.IsZero():
			a.Disabled = time.Time{}
			refresh[a.ConnectionID] = true
			s.emitLocked(a.UserID, a.ConnectionID, "account_enabled", s.accountJSONLocked(a))
		case truthy(d) && a.Disabled.IsZero():
			// Disabling drops the account's data at Powens; enabling again resends it.
			a.Disabled, a.InvAnnounced = now, 0
			for _, t := range a.Txns {
				t.Announced = false
			}
			s.emitLocked(a.UserID, a.ConnectionID, "account_disabled", s.accountJSONLocked(a))
		}
	}
	for id := range refresh {
		if c := s.st.Connections[id]; c != nil {
			if c.State == "" {
				s.revealLocked(c, now)
			}
			s.emitSyncedLocked(c)
		}
	}
	s.touch()
}
