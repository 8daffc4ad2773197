package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// Accounts a source discovers are disabled until the person agrees to
// their synchronisation (GDPR). The activation page lists them (?all), lets
// the person choose, offers the next source as "add more accounts" (the
// choice so far travels along), and activates the chosen ones in one call.

// activateAccount is one account of the activation page.
type activateAccount struct {
	ID      int64
	Name    string
	Type    string
	Number  string
	Balance *freenahi.Money
	// Enabled accounts already sync; Checked ones are ticked on the page.
	Enabled, Checked bool
}

// activateView is the activation page.
type activateView struct {
	ID       int64
	Bank     string
	Accounts []activateAccount
	// Next is the source "add more accounts" adds, when there is one.
	Next          *powens.ConnectorSource
	ConnectorUUID string
	Keep          string
	Problem       string
}

func (s *Server) handleActivateForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.activation(r, keepList(r.URL.Query().Get("keep")))
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	if v == nil {
		// Not ready for activation: its state needs something first.
		http.Redirect(w, r, stateURL(mustPathID(r), r.URL.Query().Get("keep"), ""), http.StatusSeeOther)
		return
	}
	if p := r.URL.Query().Get("problem"); p != "" {
		v.Problem = s.localeOf(r).T("problem." + problemKey(p))
	}
	s.render(w, r, http.StatusOK, "activate", &page{Title: "activate.title", Nav: "connections", Data: v})
}

// activation reads the connection, its accounts (all, disabled included)
// and its connector's sources; nil when the connection is not in a state
// to activate accounts.
func (s *Server) activation(r *http.Request, keep string) (*activateView, error) {
	conn, err := s.connectionOf(r)
	if err != nil {
		return nil, err
	}
	if conn.ConnectionState() != freenahi.StateOK {
		return nil, nil
	}
	var list *powens.AccountList
	err = s.Aggregator.Do(r.Context(), userFrom(r.Context()).ID, func(u *powens.UserClient) (err error) {
		list, err = u.ListConnectionAccounts(r.Context(), conn.ID, true)
		return err
	})
	if err != nil && !powens.IsCode(err, powens.CodeNoAccount) {
		return nil, err
	}
	v := &activateView{ID: conn.ID, Keep: keep}
	kept := strings.Split(keep, ",")
	if list != nil {
		for _, a := range list.Accounts {
			v.Accounts = append(v.Accounts, toActivateAccount(a, slices.Contains(kept, strconv.FormatInt(a.ID, 10))))
		}
	}
	if conn.Connector != nil {
		v.Bank, v.ConnectorUUID = conn.Connector.Name, conn.Connector.UUID
		c, err := s.Aggregator.Client().GetConnector(r.Context(), conn.Connector.UUID, "sources")
		if err != nil {
			return nil, err
		}
		var added []string
		for _, src := range conn.Sources {
			added = append(added, src.Name)
		}
		v.Next = nextSource(c, added)
	}
	return v, nil
}

func toActivateAccount(a powens.Account, kept bool) activateAccount {
	out := activateAccount{ID: a.ID, Name: cmpStr(a.Name, a.OriginalName), Type: string(a.Type), Enabled: a.Disabled.IsZero()}
	out.Checked = out.Enabled || kept
	if a.IBAN != nil {
		out.Number = maskNumber(*a.IBAN)
	} else if a.Number != nil {
		out.Number = maskNumber(*a.Number)
	}
	if a.Currency != nil && a.Balance.Valid() {
		cur := a.Currency.Domain()
		if d, err := a.Balance.Decimal(); err == nil {
			if minor, err := d.Minor(cur.Exponent); err == nil {
				out.Balance = &freenahi.Money{Minor: minor, Currency: cur}
			}
		}
	}
	return out
}

// maskNumber shows the last four characters of an account number.
func maskNumber(n string) string {
	n = strings.ReplaceAll(n, " ", "")
	if len(n) <= 4 {
		return n
	}
	return "…" + n[len(n)-4:]
}

// handleActivate activates the chosen accounts in one call, or, for "add
// more accounts", carries the choice to the next source's form. Ids that
// are not accounts of this connection are refused, whoever they belong to.
func (s *Server) handleActivate(w http.ResponseWriter, r *http.Request) {
	v, err := s.activation(r, "")
	if err == nil && v == nil {
		err = freenahi.Errorf(freenahi.ECONFLICT, "The connection needs attention before its accounts can be activated.")
	}
	var chosen []int64
	if err == nil {
		chosen, err = chosenAccounts(r.PostForm["account"], v.Accounts)
	}
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	keep := joinIDs(chosen)
	if r.PostForm.Get("do") == "more" && v.Next != nil {
		q := url.Values{"connection": {strconv.FormatInt(v.ID, 10)}, "source": {v.Next.Name}}
		setIf(q, "keep", keep)
		http.Redirect(w, r, "/connect/bank/"+url.PathEscape(v.ConnectorUUID)+"?"+q.Encode(), http.StatusSeeOther)
		return
	}
	var toEnable []int64
	for _, a := range v.Accounts {
		if slices.Contains(chosen, a.ID) && !a.Enabled {
			toEnable = append(toEnable, a.ID)
		}
	}
	if len(chosen) == 0 {
		http.Redirect(w, r, activateURL(v.ID, "", "none_chosen"), http.StatusSeeOther)
		return
	}
	userID, pid := userFrom(r.Context()).ID, v.ID
	s.runJob(w, r, "job.activate", func(ctx context.Context) (string, error) {
		if len(toEnable) > 0 {
			err := s.Aggregator.Do(ctx, userID, func(u *powens.UserClient) error {
				_, err := u.ActivateAccounts(ctx, pid, toEnable)
				return err
			})
			if err != nil {
				return "", err
			}
		}
		if err := s.Aggregator.PullConnection(ctx, userID, pid); err != nil {
			return "", err
		}
		return "/accounts?msg=flash.activated", nil
	})
}

// chosenAccounts parses the ticked ids and checks each one is listed.
func chosenAccounts(raw []string, listed []activateAccount) ([]int64, error) {
	var out []int64
	for _, s := range raw {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || !slices.ContainsFunc(listed, func(a activateAccount) bool { return a.ID == id }) {
			return nil, freenahi.Errorf(freenahi.EINVALID, "Account %q is not an account of this connection.", s)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// mustPathID reads {pid} that the caller already validated.
func mustPathID(r *http.Request) int64 {
	n, _ := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	return n
}
