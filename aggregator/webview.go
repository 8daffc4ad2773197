package aggregator

import (
	"context"
	"fmt"
	"net/url"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// WebviewURL returns a fresh Connect, Manage or Reconnect webview link for the
// user: each call gets a new single-use temporary code, so the permanent
// token never reaches the browser. connectionID (ours) is required for
// reconnect and optional for manage.
func (s *Service) WebviewURL(ctx context.Context, userID int64, name string, connectionID int64, state string) (string, error) {
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
		return "", &freenahi.Error{Code: freenahi.EUNAVAILABLE, Message: "POWENS_REDIRECT_URL is not configured: the webview needs a page to come back to."}
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
	// PowensConnectionIDs are the connections the webview reported.
	PowensConnectionIDs []int64
}

// HandleWebviewCallback records what the webview reported: it pulls the
// connections it names, so their data shows at once. A failed visit is not
// an error here: the caller shows br.Problem.
func (s *Service) HandleWebviewCallback(ctx context.Context, userID int64, br *BankReturn) (*WebviewResult, error) {
	res := &WebviewResult{}
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
	for _, id := range ids {
		if err := s.PullConnection(ctx, userID, id); err != nil {
			return nil, err
		}
	}
	return res, nil
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
