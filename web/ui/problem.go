package ui

import (
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
)

// problemKeys are the problems a URL may name (?problem=), so a link
// cannot make a page say anything else.
var problemKeys = []string{freenahi.ProblemWrongpass, freenahi.ProblemWrongcode, freenahi.ProblemNoneChosen, freenahi.ProblemPasswordExpired}

// problemKey returns key when it names a known problem, else "generic".
func problemKey(key string) string {
	for _, k := range problemKeys {
		if k == key {
			return k
		}
	}
	return "generic"
}

// problemText explains a failed operation in the request's language; an
// internal failure shows the request id for support, never its cause.
func (s *Handler) problemText(r *http.Request, err error) string {
	l := s.localeOf(r)
	if freenahi.ErrorCode(err) == freenahi.EINTERNAL {
		return l.T("problem.internal", request.ID(r.Context()))
	}
	return l.Err(err)
}
