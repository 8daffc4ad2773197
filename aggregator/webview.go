package aggregator

import (
	"context"
	"strconv"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// WebviewURL returns a fresh Connect, Manage or Reconnect webview link for the
// user: each call gets a new single-use temporary code, so the permanent
// token never reaches the browser. connectionID (ours) is required for
// reconnect and optional for manage.
func (s *Service) WebviewURL(ctx context.Context, userID int64, flow powens.WebviewFlow, connectionID int64, state string) (string, error) {
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
		return "", freenahi.Errorf(freenahi.EINVALID, "Cannot build the %s webview link: %v", flow, err)
	}
	return link, nil
}

// WebviewResult is what the webview reported on its way back.
type WebviewResult struct {
	// PowensConnectionIDs are the connections the webview reported.
	PowensConnectionIDs []int64
	// Problem is a plain-words explanation when the webview reports an error.
	Problem string
}

// HandleWebviewCallback records what the webview reported: it pulls the
// connections it names (so their data shows at once) and turns error codes
// into plain words.
func (s *Service) HandleWebviewCallback(ctx context.Context, userID int64, cb *powens.WebviewCallback) (*WebviewResult, error) {
	res := &WebviewResult{}
	if cb.Error != "" {
		res.Problem = WebviewProblem(cb.Error, cb.ErrorDescription)
		return res, nil
	}
	ids := cb.ConnectionIDs
	if len(ids) == 0 && cb.ConnectionID != 0 {
		ids = []int64{cb.ConnectionID}
	}
	res.PowensConnectionIDs = ids
	if cb.ConnectionDeleted {
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

// WebviewProblem explains a webview error code in plain words; unknown codes
// get a generic sentence with the code for support.
func WebviewProblem(code, description string) string {
	switch code {
	case powens.WebviewAccessDenied:
		return "You cancelled at the bank or in the Powens window; nothing was changed."
	case powens.WebviewTOSDeclined:
		return "The terms of use were declined, so the connection was not added."
	case powens.WebviewSessionExpired:
		return "The Powens session expired before you finished; please start again."
	case powens.WebviewServerError:
		return "Powens had an internal problem; please try again in a few minutes."
	}
	msg := "The connection could not be completed (" + strconv.Quote(code) + ")"
	if description != "" {
		msg += ": " + description
	}
	return msg + "."
}
