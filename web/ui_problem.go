package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// Powens answers with error codes; a person gets plain words in their
// language. Codes Powens adds later fall into a generic sentence that names
// the code, for support.

// problemKeys are the problems a URL may name (?problem=), so a link
// cannot make a page say anything else.
var problemKeys = []string{"wrongpass", "wrongcode", "none_chosen"}

// problemKey returns key when it names a known problem, else "generic".
func problemKey(key string) string {
	for _, k := range problemKeys {
		if k == key {
			return k
		}
	}
	return "generic"
}

// problemText explains a failed operation in the request's language.
func (s *Server) problemText(r *http.Request, err error) string {
	l := s.localeOf(r)
	switch {
	case errors.Is(err, errJobTimeout), errors.Is(err, context.DeadlineExceeded):
		return l.T("problem.timeout", int(s.UI.JobTimeout.Minutes()))
	}
	if pe := powens.AsError(err); pe != nil {
		return powensProblem(l, pe)
	}
	if code := freenahi.ErrorCode(err); code != freenahi.EINTERNAL {
		return freenahi.ErrorMessage(err)
	}
	return l.T("problem.internal", requestIDFrom(r.Context()))
}

func powensProblem(l *locale, pe *powens.Error) string {
	is := func(code string) bool { return powens.IsCode(pe, code) }
	switch {
	case is(powens.CodeWrongpass):
		return l.T("problem.wrongpass")
	case is(powens.CodeWebsiteUnavailable):
		return l.T("problem.website")
	case (is(powens.CodeActionNeeded) || is(powens.CodeBankMessage)) && pe.Message != "":
		return l.T("problem.bank_says", pe.Message)
	case is(powens.CodeActionNeeded):
		return l.T("problem.action")
	case is(powens.CodeNotSupported):
		return l.T("problem.not_supported")
	case is(powens.CodeTooManySync), pe.Status == http.StatusConflict:
		return l.T("problem.too_soon")
	case pe.Status == http.StatusTooManyRequests, pe.Status >= 500:
		return l.T("problem.unavailable")
	case pe.Status == http.StatusNotFound:
		return l.T("problem.not_found")
	}
	return l.T("problem.refused", cmpStr(pe.Code, http.StatusText(pe.Status)))
}

// uiPowensError turns a Powens failure met while showing a page into a
// domain error in plain words: 404 stays not found, the rest is a gateway
// problem.
func (s *Server) uiPowensError(r *http.Request, err error) error {
	pe := powens.AsError(err)
	switch {
	case pe != nil && pe.Status == http.StatusNotFound:
		return freenahi.Errorf(freenahi.ENOTFOUND, "%s", s.localeOf(r).T("problem.not_found"))
	case pe != nil, errors.Is(err, context.DeadlineExceeded):
		return &freenahi.Error{Code: freenahi.EUNAVAILABLE, Message: s.problemText(r, err)}
	}
	return err
}
