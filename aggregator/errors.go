package aggregator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// powensError is the one mapping of Powens failures to domain errors: every
// call to Powens made on a person's behalf goes through it, so a code means
// the same thing on every screen, in the API and on the command line. The
// messages are plain words a person can act on (their keys are translated by
// the web layer); doing, a short lowercase phrase, is kept for the logs.
func powensError(doing string, err error) error {
	if err == nil {
		return nil
	}
	var de *freenahi.Error
	if errors.As(err, &de) {
		return err // already a domain error
	}
	mapped := mapPowensError(err)
	if mapped == nil {
		return fmt.Errorf("%s: %w", doing, err)
	}
	return &wrapped{doing: doing, domain: mapped, cause: err}
}

// wrapped keeps the Powens error for the logs behind the domain error.
type wrapped struct {
	doing  string
	domain *freenahi.Error
	cause  error
}

func (w *wrapped) Error() string   { return w.doing + ": " + w.cause.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.domain, w.cause} }

// mapPowensError returns the domain error for a Powens answer, or nil when
// err is neither a Powens answer nor a timeout (an internal failure).
func mapPowensError(err error) *freenahi.Error {
	if errors.Is(err, context.DeadlineExceeded) {
		return freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens did not answer in time; nothing is lost, try again in a few minutes.")
	}
	pe := powens.AsError(err)
	if pe == nil {
		return nil
	}
	is := func(code string) bool { return powens.IsCode(pe, code) }
	switch {
	case is(powens.CodeWrongpass):
		return freenahi.Errorf(freenahi.EINVALID, "Your bank refused these credentials. Check them and try again.")
	case is(powens.CodeWebsiteUnavailable):
		return freenahi.Errorf(freenahi.EUNAVAILABLE, "Your bank’s website is unavailable right now; try again later.")
	case is(powens.CodePasswordExpired):
		return freenahi.Errorf(freenahi.EINVALID, "Your bank says your password has expired: change it on the bank’s website, then type the new one here.")
	case is(powens.CodeRateLimiting):
		return freenahi.Errorf(freenahi.EUNAVAILABLE, "Your bank refuses more attempts for now; wait a few minutes before trying again.")
	case is(powens.CodeBug):
		return freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens met an unexpected problem with your bank; it has been told. Try again later.")
	case is(powens.CodeBadRequest) && strings.Contains(strings.ToLower(pe.Description+" "+pe.Message), "resume"):
		return freenahi.Errorf(freenahi.ECONFLICT, "Another connection to this bank waits for your confirmation in the bank’s app: confirm or finish it first (see your banks), then add this one.")
	case (is(powens.CodeActionNeeded) || is(powens.CodeBankMessage)) && pe.Message != "":
		return freenahi.Errorf(freenahi.ECONFLICT, "Your bank says: %s", pe.Message)
	case is(powens.CodeActionNeeded):
		return freenahi.Errorf(freenahi.ECONFLICT, "Your bank asks you to do something on its website or app first.")
	case is(powens.CodeNotSupported):
		return freenahi.Errorf(freenahi.ECONFLICT, "This bank or this kind of access is not supported.")
	case is(powens.CodeTooManySync), pe.Status == http.StatusConflict:
		return freenahi.Errorf(freenahi.ECONFLICT, "Your bank was synchronised a moment ago; try again in a few minutes.")
	case pe.Status == http.StatusTooManyRequests, pe.Status >= 500:
		return freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens is busy or unavailable; try again in a few minutes.")
	case pe.Status == http.StatusNotFound:
		return freenahi.Errorf(freenahi.ENOTFOUND, "This connection does not exist (any more).")
	case pe.Code != "":
		return freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens refused the request (%s).", pe.Code)
	}
	return freenahi.Errorf(freenahi.EUNAVAILABLE, "Powens refused the request (HTTP %d).", pe.Status)
}
