package ui

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// dashboardAccounts is the dashboard's list of what net worth counts: the
// accounts the person sees and their assets, each by its shown name.
type dashboardAccounts struct {
	Accounts []accountRow
	// Items are the accounts' list items, written once from Accounts
	// (accountItems): html/template calls an escaper through reflection for
	// every value it prints, which made the list of 200 accounts most of
	// rendering the page.
	Items    template.HTML
	Assets   []*freenahi.Asset
	SetAside int
}

// accountRow is one account of the dashboard's list, its words already in
// the person's language: a person may have hundreds of accounts, and
// calling the template's functions for each one's name, group and bank was
// the largest part of serving the page (a third of it with 200 accounts).
type accountRow struct {
	ID      int64
	Title   string
	Sub     string      // group · bank and connection
	Balance *amountText // nil when unknown
	// SharedBy names the owner of an account shared with the person.
	SharedBy string
}

// dashboardAccounts lists, of the person's accounts, those net worth
// counts, in group order, and reads the person's assets.
func (s *Handler) dashboardAccounts(r *http.Request, userID int64, accounts []*freenahi.Account) (dashboardAccounts, error) {
	var v dashboardAccounts
	var err error
	byGroup := map[freenahi.AccountGroup][]*freenahi.Account{}
	for _, a := range accounts {
		switch {
		case a.Disabled != nil:
		case !a.Counted():
			v.SetAside++
		default:
			byGroup[a.Group()] = append(byGroup[a.Group()], a)
		}
	}
	l := s.localeOf(r)
	for _, g := range freenahi.AccountGroups {
		for _, a := range byGroup[g] {
			bank := a.BankName
			if bank == "" {
				bank = "—"
			}
			row := accountRow{ID: a.ID, Title: a.Title(),
				Sub: l.T("group."+string(g)) + " · " + l.T("account.held_at", bank, a.ConnectionID)}
			if b := a.Balance(); b != nil {
				t := amountOf(l, b.Minor, b.Currency)
				row.Balance = &t
			}
			if a.Shared != nil {
				row.SharedBy = l.T("share.shared_by", a.Shared.OwnerEmail)
			}
			v.Accounts = append(v.Accounts, row)
		}
	}
	v.Items = accountItems(v.Accounts)
	if s.Assets != nil {
		if v.Assets, err = s.Assets.FindAssets(r.Context(), userID); err != nil {
			return v, err
		}
	}
	return v, nil
}

// accountItems writes the list items of rows, as the template did: a link
// to the account with its name and its group, bank and owner, then its
// balance.
func accountItems(rows []accountRow) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 256)
	for _, r := range rows {
		b.WriteString(`<li><a href="/accounts/`)
		b.WriteString(strconv.FormatInt(r.ID, 10))
		b.WriteString(`"><span class="name">`)
		b.WriteString(template.HTMLEscapeString(r.Title))
		b.WriteString("</span>\n<span class=\"sub\">")
		if r.SharedBy != "" {
			b.WriteString(`<span class="badge shared">`)
			b.WriteString(template.HTMLEscapeString(r.SharedBy))
			b.WriteString("</span> ")
		}
		b.WriteString(template.HTMLEscapeString(r.Sub))
		b.WriteString("</span></a>\n")
		if r.Balance != nil {
			r.Balance.write(&b)
		} else {
			b.WriteString(`<span class="amount muted">—</span>`)
		}
		b.WriteString("</li>")
	}
	return template.HTML(b.String())
}
