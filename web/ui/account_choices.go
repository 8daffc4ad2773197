package ui

import (
	"net/http"
	"strconv"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/respond"
)

// choicesForm is the form of a person's choices on an account: its name,
// group, and whether it is hidden or archived.
type choicesForm struct {
	Name     string
	Group    string
	Hidden   bool
	Archived bool
	// Groups are the groups to choose from; "" keeps the type's.
	Groups []freenahi.AccountGroup
	// TypeGroup is the group of the account's type, the default.
	TypeGroup freenahi.AccountGroup
	Error     string
	Field     string
}

func newChoicesForm(a *freenahi.Account) choicesForm {
	return choicesForm{Name: a.DisplayName, Group: string(a.ChosenGroup), Hidden: a.Hidden, Archived: a.Archived,
		Groups: freenahi.AccountGroups, TypeGroup: freenahi.GroupOf(a.Type)}
}

// handleUIAccountChoices saves the choices form and comes back to the
// account; a refused choice shows the form again with its error and
// changes nothing.
func (s *Handler) handleUIAccountChoices(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownAccount(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	f := r.PostForm
	name, hidden, archived := f.Get("name"), f.Get("hidden") != "", f.Get("archived") != ""
	group := freenahi.AccountGroup(f.Get("group"))
	c := freenahi.AccountChoices{Name: &name, Hidden: &hidden, Archived: &archived, Group: &group}
	updated, err := s.Accounts.UpdateAccountChoices(r.Context(), a.UserID, a.ID, c)
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		form := newChoicesForm(a)
		form.Name, form.Group, form.Hidden, form.Archived = name, string(group), hidden, archived
		form.Error, form.Field = s.localeOf(r).Err(err), freenahi.ErrorField(err)
		s.renderAccountWith(w, r, http.StatusBadRequest, a, s.newStatementForm(a), form)
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/accounts/"+strconv.FormatInt(updated.ID, 10)+"?msg=flash.account_saved", http.StatusSeeOther)
}
