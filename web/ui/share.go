package ui

import (
	"net/http"
	"strconv"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// Households: an owner shares chosen accounts with other users of this
// freenahi, read-only or in full (freenahi.ShareAccess); the account page
// holds the owner's sharing form and list, /shares lists both directions.
func (s *Handler) registerUIShareRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /shares", s.signedIn(s.sharesOn(s.handleUIShareIndex)))
	mux.HandleFunc("POST /accounts/{id}/shares", s.signedIn(s.sharesOn(s.handleUIShareCreate)))
	mux.HandleFunc("GET /shares/{id}/revoke", s.signedIn(s.sharesOn(s.handleUIShareConfirm("revoke"))))
	mux.HandleFunc("POST /shares/{id}/revoke", s.signedIn(s.sharesOn(s.handleUIShareEnd("revoke"))))
	mux.HandleFunc("GET /shares/{id}/leave", s.signedIn(s.sharesOn(s.handleUIShareConfirm("leave"))))
	mux.HandleFunc("POST /shares/{id}/leave", s.signedIn(s.sharesOn(s.handleUIShareEnd("leave"))))
}

// sharesOn answers 404 when the server keeps no shares.
func (s *Handler) sharesOn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Shares == nil {
			respond.Error(w, r, freenahi.Errorf(freenahi.ENOTFOUND, "No such page: %s", r.URL.Path))
			return
		}
		h(w, r)
	}
}

// visibleAccount reads {id}, an account of the person or shared with them.
func (s *Handler) visibleAccount(r *http.Request) (*freenahi.Account, error) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.Accounts.FindVisibleAccount(r.Context(), request.User(r.Context()).ID, id)
}

// visibleTransaction reads a transaction of the person or of an account
// shared with them.
func (s *Handler) visibleTransaction(r *http.Request, id int64) (*freenahi.Transaction, error) {
	userID := request.User(r.Context()).ID
	if s.Shares == nil {
		return s.Transactions.FindTransactionByID(r.Context(), userID, id)
	}
	t, _, err := s.Shares.FindVisibleTransaction(r.Context(), userID, id)
	return t, err
}

// writableTransaction reads a transaction the person may change: their
// own, or one of an account shared with them in full; EFORBIDDEN for one
// shared read-only, even when the form would change nothing.
func (s *Handler) writableTransaction(r *http.Request, id int64) (*freenahi.Transaction, error) {
	t, err := s.visibleTransaction(r, id)
	if err != nil || t.UserID == request.User(r.Context()).ID {
		return t, err
	}
	a, err := s.Accounts.FindVisibleAccount(r.Context(), request.User(r.Context()).ID, t.AccountID)
	if err != nil {
		return nil, err
	}
	if a.ReadOnly() {
		return nil, freenahi.Errorf(freenahi.EFORBIDDEN, "This account is shared with you read-only.")
	}
	return t, nil
}

// ownerCategoryNames names the categories of the owner of a shared
// account, in which its transactions are filed.
func (s *Handler) ownerCategoryNames(r *http.Request, ownerID int64) (map[int64]string, error) {
	cs, err := s.Spending.FindCategories(r.Context(), ownerID)
	if err != nil {
		return nil, err
	}
	l := s.localeOf(r)
	names := make(map[int64]string, len(cs))
	for _, c := range cs {
		names[c.ID] = categoryLabel(l, c)
	}
	return names, nil
}

// sharingView is the owner's sharing section of an account page.
type sharingView struct {
	Shares []*freenahi.AccountShare
	Form   shareForm
}

// shareForm is the form that shares an account, with its error if any.
type shareForm struct {
	Email  string
	Access string
	Error  string
	Field  string
}

// sharing reads the shares of the owner's account for its page; nil
// without sharing.
func (s *Handler) sharing(r *http.Request, a *freenahi.Account, form shareForm) (*sharingView, error) {
	if s.Shares == nil {
		return nil, nil
	}
	list, err := s.Shares.FindAccountShares(r.Context(), request.User(r.Context()).ID, a.ID)
	if err != nil {
		return nil, err
	}
	return &sharingView{Shares: list, Form: form}, nil
}

// handleUIShareCreate shares the account with the address typed; a refused
// address shows the account page again with the error, nothing changed.
func (s *Handler) handleUIShareCreate(w http.ResponseWriter, r *http.Request) {
	a, err := s.visibleAccount(r)
	if err == nil && a.Shared != nil {
		err = freenahi.Errorf(freenahi.EFORBIDDEN, "Only the owner of this account can do that; it is shared with you.")
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	form := shareForm{Email: r.PostForm.Get("email"), Access: r.PostForm.Get("access")}
	_, err = s.Shares.ShareAccount(r.Context(), freenahi.ShareInput{OwnerID: a.UserID, AccountID: a.ID, Email: form.Email,
		Access: freenahi.ShareAccess(form.Access)})
	if freenahi.ErrorCode(err) == freenahi.EINVALID {
		form.Error, form.Field = s.localeOf(r).Err(err), freenahi.ErrorField(err)
		s.renderAccountPage(w, r, http.StatusBadRequest, a, s.newStatementForm(a), newChoicesForm(a), form)
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/accounts/"+strconv.FormatInt(a.ID, 10)+"?msg=flash.account_shared#sharing", http.StatusSeeOther)
}

// sharesView is the households page.
type sharesView struct {
	Given, Received []*freenahi.AccountShare
}

func (s *Handler) handleUIShareIndex(w http.ResponseWriter, r *http.Request) {
	given, received, err := s.Shares.FindShares(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "shares", &page{Title: "shares.title", Nav: "shares", Data: sharesView{Given: given, Received: received}})
}

// shareConfirmView asks before a share ends.
type shareConfirmView struct {
	Share  *freenahi.AccountShare
	Action string // revoke or leave
	// Back is "account" when asked from the account page, to return there.
	Back string
}

// findShare returns the share {id} the person may end: one they gave
// (revoke) or received (leave).
func (s *Handler) findShare(r *http.Request, action string) (*freenahi.AccountShare, error) {
	id, err := request.PathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	given, received, err := s.Shares.FindShares(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		return nil, err
	}
	list := given
	if action == "leave" {
		list = received
	}
	for _, sh := range list {
		if sh.ID == id {
			return sh, nil
		}
	}
	return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Share %d not found.", id)
}

func (s *Handler) handleUIShareConfirm(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sh, err := s.findShare(r, action)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "share_end", &page{Title: "shares." + action + "_title", Nav: "shares",
			Data: shareConfirmView{Share: sh, Action: action, Back: r.URL.Query().Get("back")}})
	}
}

func (s *Handler) handleUIShareEnd(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sh, err := s.findShare(r, action)
		userID := request.User(r.Context()).ID
		if err == nil && action == "revoke" {
			err = s.Shares.RevokeShare(r.Context(), userID, sh.ID)
		} else if err == nil {
			err = s.Shares.LeaveShare(r.Context(), userID, sh.ID)
		}
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		if action == "revoke" && r.PostForm.Get("back") == "account" {
			http.Redirect(w, r, "/accounts/"+strconv.FormatInt(sh.AccountID, 10)+"?msg=flash.share_revoked#sharing", http.StatusSeeOther)
			return
		}
		flash := map[string]string{"revoke": "flash.share_revoked", "leave": "flash.share_left"}[action]
		http.Redirect(w, r, "/shares?msg="+flash, http.StatusSeeOther)
	}
}
