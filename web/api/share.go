package api

import (
	"net/http"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// registerShareRoutes serves households: an owner shares chosen accounts
// with other users of this freenahi; both sides list them; the owner
// revokes, the grantee leaves.
func (s *Handler) registerShareRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/shares", s.requireToken(s.shares(s.handleShareIndex)))
	mux.HandleFunc("DELETE /api/v1/shares/{id}", s.requireToken(s.shares(s.handleShareLeave)))
	mux.HandleFunc("GET /api/v1/accounts/{id}/shares", s.requireToken(s.shares(s.handleAccountShareIndex)))
	mux.HandleFunc("POST /api/v1/accounts/{id}/shares", s.requireToken(s.shares(s.handleAccountShareCreate)))
	mux.HandleFunc("DELETE /api/v1/accounts/{id}/shares/{share}", s.requireToken(s.shares(s.handleAccountShareRevoke)))
}

// shares answers 503 when the server keeps no shares.
func (s *Handler) shares(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Shares == nil {
			respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "Sharing accounts is not configured on this server."))
			return
		}
		h(w, r)
	}
}

// ownerOnly turns the ENOTFOUND of an owner-only action on an account the
// caller can see (shared with them) into EFORBIDDEN; other errors pass.
func (s *Handler) ownerOnly(r *http.Request, accountID int64, err error) error {
	if freenahi.ErrorCode(err) != freenahi.ENOTFOUND || accountID == 0 {
		return err
	}
	if e := freenahi.OwnerOnly(r.Context(), s.Accounts, request.User(r.Context()).ID, accountID); freenahi.ErrorCode(e) == freenahi.EFORBIDDEN {
		return e
	}
	return err
}

type shareJSON struct {
	ID           int64     `json:"id"`
	AccountID    int64     `json:"account_id"`
	AccountName  string    `json:"account_name"`
	OwnerEmail   string    `json:"owner_email"`
	GranteeEmail string    `json:"grantee_email"`
	Access       string    `json:"access"`
	CreatedAt    time.Time `json:"created_at"`
}

func toShareJSON(sh *freenahi.AccountShare) shareJSON {
	return shareJSON{ID: sh.ID, AccountID: sh.AccountID, AccountName: sh.AccountName, OwnerEmail: sh.OwnerEmail,
		GranteeEmail: sh.GranteeEmail, Access: string(sh.Access), CreatedAt: sh.CreatedAt.UTC()}
}

func toSharesJSON(list []*freenahi.AccountShare) []shareJSON {
	out := make([]shareJSON, 0, len(list))
	for _, sh := range list {
		out = append(out, toShareJSON(sh))
	}
	return out
}

func (s *Handler) handleShareIndex(w http.ResponseWriter, r *http.Request) {
	if p := request.NewParams(r.URL.Query()); p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	given, received, err := s.Shares.FindShares(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, struct {
		Given    []shareJSON `json:"given"`
		Received []shareJSON `json:"received"`
	}{toSharesJSON(given), toSharesJSON(received)})
}

func (s *Handler) handleAccountShareIndex(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = request.NewParams(r.URL.Query()).Err
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	list, err := s.Shares.FindAccountShares(r.Context(), request.User(r.Context()).ID, id)
	if err != nil {
		respond.Error(w, r, s.ownerOnly(r, id, err))
		return
	}
	respond.JSON(w, r, http.StatusOK, struct {
		Shares []shareJSON `json:"shares"`
	}{toSharesJSON(list)})
}

// shareCreateJSON is the body of POST /api/v1/accounts/{id}/shares.
type shareCreateJSON struct {
	Email  string `json:"email"`
	Access string `json:"access"`
}

func (s *Handler) handleAccountShareCreate(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var in shareCreateJSON
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if in.Access == "" {
		in.Access = string(freenahi.ShareRead)
	}
	sh, err := s.Shares.ShareAccount(r.Context(), freenahi.ShareInput{OwnerID: request.User(r.Context()).ID, AccountID: id,
		Email: in.Email, Access: freenahi.ShareAccess(in.Access)})
	if err != nil {
		respond.Error(w, r, s.ownerOnly(r, id, err))
		return
	}
	respond.JSON(w, r, http.StatusCreated, toShareJSON(sh))
}

func (s *Handler) handleAccountShareRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var shareID int64
	if err == nil {
		shareID, err = request.PathID(r.PathValue("share"))
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	userID := request.User(r.Context()).ID
	// The share must be one of this account's.
	list, err := s.Shares.FindAccountShares(r.Context(), userID, id)
	if err == nil {
		err = freenahi.Errorf(freenahi.ENOTFOUND, "Share %d not found.", shareID)
		for _, sh := range list {
			if sh.ID == shareID {
				err = s.Shares.RevokeShare(r.Context(), userID, shareID)
			}
		}
	}
	if err != nil {
		respond.Error(w, r, s.ownerOnly(r, id, err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Handler) handleShareLeave(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = s.Shares.LeaveShare(r.Context(), request.User(r.Context()).ID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
