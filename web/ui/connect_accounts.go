package ui

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// Accounts a source discovers are disabled until the person agrees to
// their synchronisation (GDPR). The activation page lists them, lets the
// person choose, offers the next source as "add more accounts" (the choice
// so far travels along), and activates the chosen ones in one job.

// activateAccount is one account of the activation page.
type activateAccount struct {
	freenahi.ActivationAccount
	// Checked accounts are ticked on the page.
	Checked bool
}

// activateView is the activation page.
type activateView struct {
	ID       int64
	Bank     string
	Accounts []activateAccount
	// Next is the source "add more accounts" adds, when there is one.
	Next          string
	ConnectorUUID string
	Problem       string
}

// activation reads the activation step of the connection named by the path.
func (s *Handler) activation(r *http.Request) (*freenahi.Activation, error) {
	agg, err := s.aggregator()
	if err != nil {
		return nil, err
	}
	pid, err := request.PathID(r.PathValue("pid"))
	if err != nil {
		return nil, err
	}
	return agg.Activation(r.Context(), request.User(r.Context()).ID, pid)
}

func (s *Handler) handleActivateForm(w http.ResponseWriter, r *http.Request) {
	keep := keepList(r.URL.Query().Get("keep"))
	a, err := s.activation(r)
	if aggregator.IsNotReady(err) {
		// Its state needs something first.
		http.Redirect(w, r, stateURL(mustPathID(r), joinIDs(keep), ""), http.StatusSeeOther)
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	v := activateView{ID: a.PowensConnectionID, Bank: a.Bank, Next: a.NextSource, ConnectorUUID: a.ConnectorUUID}
	// The first choice starts with every account ticked (what most people
	// want; unticking is one tap, and "All accounts" toggles them); later
	// choices start from what is synchronised.
	first := len(keep) == 0 && !slices.ContainsFunc(a.Accounts, func(acc freenahi.ActivationAccount) bool { return acc.Enabled })
	for _, acc := range a.Accounts {
		v.Accounts = append(v.Accounts, activateAccount{ActivationAccount: acc, Checked: first || acc.Enabled || slices.Contains(keep, acc.PowensID)})
	}
	if p := r.URL.Query().Get("problem"); p != "" {
		v.Problem = s.localeOf(r).T("problem." + problemKey(p))
	}
	s.render(w, r, http.StatusOK, "activate", &page{Title: "activate.title", Nav: "connections", Data: v})
}

// handleActivate activates the chosen accounts in a job or, for "add more
// accounts", carries the choice to the next source's form. Ids that are not
// accounts of this connection are refused, whoever they belong to.
func (s *Handler) handleActivate(w http.ResponseWriter, r *http.Request) {
	a, err := s.activation(r)
	var chosen []int64
	if err == nil {
		chosen, err = chosenAccounts(r.PostForm["account"], a.Accounts)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if r.PostForm.Get("do") == "more" && a.NextSource != "" {
		http.Redirect(w, r, formURL(a.ConnectorUUID, a.PowensConnectionID, a.NextSource, joinIDs(chosen), ""), http.StatusSeeOther)
		return
	}
	if len(chosen) == 0 {
		http.Redirect(w, r, activateURL(a.PowensConnectionID, "", freenahi.ProblemNoneChosen), http.StatusSeeOther)
		return
	}
	s.runJob(w, r, aggregator.JobActivate, aggregator.JobArgs{PowensConnectionID: a.PowensConnectionID, Chosen: chosen})
}

// chosenAccounts parses the ticked ids and checks each one is listed.
func chosenAccounts(raw []string, listed []freenahi.ActivationAccount) ([]int64, error) {
	var out []int64
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || !slices.ContainsFunc(listed, func(a freenahi.ActivationAccount) bool { return a.PowensID == id }) {
			return nil, freenahi.Errorf(freenahi.EINVALID, "Account %q is not an account of this connection.", s)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// mustPathID reads {pid} that the caller already validated.
func mustPathID(r *http.Request) int64 {
	n, _ := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	return n
}
