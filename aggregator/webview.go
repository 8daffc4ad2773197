package aggregator

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// WebviewURL returns a fresh Connect, Manage or Reconnect webview link for the
// user: each call gets a new single-use temporary code, so the permanent
// token never reaches the browser. connectionID (ours) is required for
// reconnect and optional for manage.
//
// The link carries a state binding the visit to the user (see signState), so
// that the callback, which carries no credentials, knows whose visit it was.
func (s *Service) WebviewURL(ctx context.Context, userID int64, name string, connectionID int64) (string, error) {
	state := s.signState(userID)
	flow := powens.WebviewFlow(name)
	if flow != powens.FlowConnect && flow != powens.FlowManage && flow != powens.FlowReconnect {
		return "", freenahi.Errorf(freenahi.ENOTFOUND, "Unknown webview flow %q: use connect, manage or reconnect.", name)
	}
	w := powens.Webview{Lang: s.Language, RedirectURI: s.RedirectURL, State: state}
	if flow == powens.FlowConnect {
		w.ConnectorCapabilities = []string{"bank"}
	}
	if connectionID != 0 {
		c, err := s.Store.FindConnectionByID(ctx, userID, connectionID)
		if err != nil {
			return "", err
		}
		w.ConnectionID = c.PowensID
	}
	if flow == powens.FlowReconnect && w.ConnectionID == 0 {
		return "", freenahi.FieldErrorf("connection_id", "is required to repair a connection")
	}
	if (flow == powens.FlowConnect || flow == powens.FlowReconnect) && s.RedirectURL == "" {
		return "", freenahi.Errorf(freenahi.EUNAVAILABLE, "POWENS_REDIRECT_URL is not configured on this server: the Powens window needs a page to come back to.")
	}
	err := s.Do(ctx, userID, func(u *powens.UserClient) error {
		code, err := u.TemporaryCode(ctx, powens.CodeSingleAccess)
		if err != nil {
			return err
		}
		w.Code = code.Code
		return nil
	})
	if err != nil {
		return "", powensError("prepare the webview", err)
	}
	link, err := s.Powens.WebviewURL(flow, w)
	if err != nil {
		return "", fmt.Errorf("build the %s webview link: %w", flow, err)
	}
	return link, nil
}

// Webview flows, for WebviewURL.
const (
	FlowConnect   = string(powens.FlowConnect)
	FlowReconnect = string(powens.FlowReconnect)
	FlowManage    = string(powens.FlowManage)
)

// BankReturn is what the bank's page (webauth) or the Powens webview says
// when it sends the person back.
type BankReturn struct {
	// ConnectionID is the Powens connection created, repaired or managed.
	ConnectionID int64
	// ConnectionIDs lists every connection a multi-connection visit added.
	ConnectionIDs []int64
	State         string
	// Problem says why the visit failed or was cancelled; nil when it worked.
	Problem *freenahi.Error
	// ConnectionDeleted reports a connection deleted in the manage webview.
	ConnectionDeleted bool
}

// ParseBankReturn reads the query of a redirect back from the bank's page or
// the webview. A malformed id is EINVALID; unknown parameters are ignored.
func ParseBankReturn(q url.Values) (*BankReturn, error) {
	cb, err := powens.ParseWebviewCallback(q)
	if err != nil {
		return nil, freenahi.Errorf(freenahi.EINVALID, "The link back from the bank is malformed; start again from freenahi.")
	}
	br := &BankReturn{ConnectionID: cb.ConnectionID, ConnectionIDs: cb.ConnectionIDs, State: cb.State,
		ConnectionDeleted: cb.ConnectionDeleted}
	if cb.Failed() {
		br.Problem = ReturnProblem(cb.Error, cb.ErrorDescription)
	}
	return br, nil
}

// WebviewResult is what the webview reported on its way back.
type WebviewResult struct {
	// UserID is the freenahi user whose visit it was.
	UserID int64
	// PowensConnectionIDs are the connections the webview reported.
	PowensConnectionIDs []int64
	// Known counts those of them the person already had (a reconnect or a
	// repair), as opposed to new ones.
	Known int
	// Problem says why the visit failed or was cancelled; nil when it worked.
	Problem *freenahi.Error
}

// HandleWebviewCallback reads where the webview sent the person back: the
// signed state says whose visit it was (EFORBIDDEN when it is not one we
// started, or expired), the connections it names are pulled at once, and a
// failed visit comes back as Problem, not as an error.
func (s *Service) HandleWebviewCallback(ctx context.Context, q url.Values) (*WebviewResult, error) {
	br, err := ParseBankReturn(q)
	if err != nil {
		return nil, err
	}
	userID, ok := s.openState(br.State)
	if !ok {
		return nil, freenahi.Errorf(freenahi.EFORBIDDEN, "This link is not one freenahi started, or it expired (after %d minutes). Start again from freenahi.", int(stateLifetime.Minutes()))
	}
	res := &WebviewResult{UserID: userID, Problem: br.Problem}
	if br.Problem != nil {
		return res, nil
	}
	ids := br.ConnectionIDs
	if len(ids) == 0 && br.ConnectionID != 0 {
		ids = []int64{br.ConnectionID}
	}
	res.PowensConnectionIDs = ids
	if br.ConnectionDeleted {
		_, err := s.Reconcile(ctx, userID) // the pull notices the vanished connection
		return res, err
	}
	if had, err := s.Store.FindConnections(ctx, userID); err == nil {
		for _, c := range had {
			if c.Deleted == nil && slices.Contains(ids, c.PowensID) {
				res.Known++
			}
		}
	}
	for _, id := range ids {
		if err := s.PullConnection(ctx, userID, id); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// stateLifetime bounds how long a webview visit may take.
const stateLifetime = time.Hour

// signState binds a webview visit to a user: user id, expiry and a nonce,
// MAC'd with StateKey, so that the callback knows whose visit it was and
// that we started it.
func (s *Service) signState(userID int64) string {
	b := make([]byte, 24, 24+sha256.Size)
	binary.BigEndian.PutUint64(b[0:8], uint64(userID))
	binary.BigEndian.PutUint64(b[8:16], uint64(s.now().Add(stateLifetime).Unix()))
	rand.Read(b[16:24])
	m := hmac.New(sha256.New, s.StateKey)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(m.Sum(b))
}

// openState returns the user of a state made by signState, if valid and fresh.
func (s *Service) openState(state string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(state)
	if err != nil || len(b) != 24+sha256.Size || len(s.StateKey) == 0 {
		return 0, false
	}
	m := hmac.New(sha256.New, s.StateKey)
	m.Write(b[:24])
	if !hmac.Equal(m.Sum(nil), b[24:]) || s.now().Unix() > int64(binary.BigEndian.Uint64(b[8:16])) {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(b[0:8])), true
}

// ReturnProblem explains an error code of the bank's page or the webview in
// plain words; unknown codes get a generic sentence with the code for support.
func ReturnProblem(code, description string) *freenahi.Error {
	switch code {
	case powens.WebviewAccessDenied:
		return freenahi.Errorf(freenahi.ECONFLICT, "You cancelled at the bank or in the Powens window; nothing was changed.")
	case powens.WebviewTOSDeclined:
		return freenahi.Errorf(freenahi.ECONFLICT, "The terms of use were declined, so the connection was not added.")
	case powens.WebviewSessionExpired:
		return freenahi.Errorf(freenahi.ECONFLICT, "The Powens session expired before you finished; please start again.")
	case powens.WebviewServerError:
		return freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens had an internal problem; please try again in a few minutes.")
	}
	if description != "" {
		return freenahi.Errorf(freenahi.ECONFLICT, "The connection could not be completed (%s): %s", code, description)
	}
	return freenahi.Errorf(freenahi.ECONFLICT, "The connection could not be completed (%s).", code)
}
