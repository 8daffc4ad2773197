package inqom

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/freenahi/freenahi"
)

// Operations named in Error.Op, one per Inqom call.
const (
	OpToken    = "token"
	OpRegister = "register account"
	OpImport   = "import"
)

// ErrAlreadyRegistered is in the chain of the error RegisterAccount returns
// when the IBAN is already registered in the dossier (409, or a refusal
// saying so). Callers that only need the account to exist treat it as done.
var ErrAlreadyRegistered = errors.New("inqom: account already registered")

// ErrOutcomeUnknown is in the chain of an error after which Inqom may or may
// not have applied the request: a timeout or a broken connection once the
// request was sent, or a 5xx answer. OutcomeUnknown tests for it.
var ErrOutcomeUnknown = errors.New("inqom: outcome unknown")

// Error is a non-2xx answer of Inqom, decoded tolerantly because Inqom
// documents no error schema: Message is Inqom's own words when the body had
// any, Body the start of the raw body.
type Error struct {
	// Op is the call that failed: OpToken, OpRegister or OpImport.
	Op string
	// Status is the HTTP status code.
	Status int
	// Code is a machine code when the body had one: OAuth's "invalid_grant",
	// an ABP error code such as "Banking:UnknownAccount".
	Code string
	// Message is Inqom's message, or an excerpt of a text or HTML body.
	Message string
	// Body is the start of the raw body (at most maxErrorBody bytes).
	Body string

	alreadyRegistered bool
}

// Error reads in plain words: what Inqom refused, the status, and Inqom's
// own message, e.g. `Inqom refused the file (400): "Le relevé …"`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.summary())
	fmt.Fprintf(&b, " (%d", e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	} else if e.Message == "" {
		if t := http.StatusText(e.Status); t != "" {
			b.WriteString(" " + t)
		}
	}
	b.WriteString(")")
	if e.Message != "" {
		fmt.Fprintf(&b, ": %q", e.Message)
	}
	return b.String()
}

// summary says in a few words what happened, from the call and the status.
func (e *Error) summary() string {
	switch {
	case e.Op == OpToken && e.Status < 500 && e.Status != http.StatusTooManyRequests:
		return grantSummary(e.Code)
	case e.alreadyRegistered:
		return "Inqom already has this account in the dossier"
	case e.Status == http.StatusUnauthorized:
		return "Inqom refused the access token"
	case e.Status == http.StatusForbidden && e.Op == OpRegister:
		return "Inqom denied access to the dossier"
	case e.Status == http.StatusForbidden:
		return "Inqom denied access"
	case e.Status == http.StatusTooManyRequests:
		return "Inqom is limiting the request rate"
	case e.Status >= 500 && e.Op == OpToken:
		return "Inqom's sign-in service failed"
	case e.Status >= 500:
		return "Inqom failed"
	case e.Op == OpImport:
		return "Inqom refused the file"
	case e.Op == OpRegister:
		return "Inqom refused the account"
	}
	return "Inqom refused the request"
}

// grantSummary explains the OAuth2 error codes of the token endpoint
// (RFC 6749 §5.2) to a person setting up their Inqom credentials.
func grantSummary(code string) string {
	switch code {
	case "invalid_grant":
		return "Inqom refused the username or password"
	case "invalid_client":
		return "Inqom refused the API client id or secret"
	case "invalid_scope":
		return "Inqom refused the requested scope"
	case "unauthorized_client":
		return "Inqom does not allow this API client to sign in with a password"
	case "unsupported_grant_type":
		return "Inqom does not accept the password grant"
	}
	return "Inqom refused the sign-in"
}

// Is makes errors.Is(err, ErrAlreadyRegistered) recognise a refusal that
// says the account exists.
func (e *Error) Is(target error) bool {
	return target == ErrAlreadyRegistered && e.alreadyRegistered
}

// Unwrap exposes a domain error, so that freenahi.ErrorCode and
// freenahi.ErrorMessage give callers a code and a sentence a person may
// read, translated by its key. This is the one mapping of Inqom's answers
// to domain errors.
func (e *Error) Unwrap() error { return e.domain() }

// domain says what happened in one of a fixed set of sentences (so they can
// be translated), with the status and Inqom's own words as arguments.
func (e *Error) domain() *freenahi.Error {
	c := e.domainCode()
	words := e.Message
	if words == "" {
		words = cmp.Or(e.Code, http.StatusText(e.Status))
	}
	st := e.Status
	switch {
	case e.Op == OpToken && e.Status < 500 && e.Status != http.StatusTooManyRequests:
		switch e.Code {
		case "invalid_grant":
			return freenahi.Errorf(c, "Inqom refused the username or password (HTTP %d): %s", st, words)
		case "invalid_client":
			return freenahi.Errorf(c, "Inqom refused the API client id or secret (HTTP %d): %s", st, words)
		case "invalid_scope", "unauthorized_client", "unsupported_grant_type":
			return freenahi.Errorf(c, "Inqom does not let this API client sign in this way (HTTP %d): %s", st, words)
		}
		return freenahi.Errorf(c, "Inqom refused the sign-in (HTTP %d): %s", st, words)
	case e.alreadyRegistered:
		return freenahi.Errorf(c, "Inqom already has this account in the dossier (HTTP %d): %s", st, words)
	case e.Status == http.StatusUnauthorized:
		return freenahi.Errorf(c, "Inqom refused the access token (HTTP %d): %s", st, words)
	case e.Status == http.StatusForbidden && e.Op == OpRegister:
		return freenahi.Errorf(c, "Inqom denied access to the dossier (HTTP %d): %s", st, words)
	case e.Status == http.StatusForbidden:
		return freenahi.Errorf(c, "Inqom denied access (HTTP %d): %s", st, words)
	case e.Status == http.StatusTooManyRequests:
		return freenahi.Errorf(c, "Inqom is limiting the request rate (HTTP %d): %s", st, words)
	case e.Status >= 500:
		return freenahi.Errorf(c, "Inqom failed (HTTP %d): %s", st, words)
	case e.Op == OpImport:
		return freenahi.Errorf(c, "Inqom refused the file (HTTP %d): %s", st, words)
	case e.Op == OpRegister:
		return freenahi.Errorf(c, "Inqom refused the account (HTTP %d): %s", st, words)
	}
	return freenahi.Errorf(c, "Inqom refused the request (HTTP %d): %s", st, words)
}

// domainCode maps the status to a freenahi code. Refused Inqom credentials
// are EINVALID, not EUNAUTHORIZED: the freenahi user is signed in, it is
// their Inqom settings that are wrong.
func (e *Error) domainCode() string {
	switch {
	case e.alreadyRegistered || e.Status == http.StatusConflict:
		return freenahi.ECONFLICT
	case e.Op == OpToken && e.Status < 500 && e.Status != http.StatusTooManyRequests:
		return freenahi.EINVALID
	case e.Status == http.StatusForbidden:
		return freenahi.EFORBIDDEN
	case e.Status == http.StatusNotFound:
		return freenahi.ENOTFOUND
	case e.Status == http.StatusRequestEntityTooLarge:
		return freenahi.ETOOLARGE
	case e.Status == http.StatusTooManyRequests || e.Status >= 500 || e.Status == http.StatusUnauthorized:
		return freenahi.EUNAVAILABLE
	case e.Status >= 400:
		return freenahi.EINVALID
	}
	return freenahi.EINTERNAL
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// OutcomeUnknown reports whether Inqom may or may not have applied the call
// that returned err. A caller keeping a ledger resends the same bytes later;
// any other error means the request was definitely not applied.
func OutcomeUnknown(err error) bool { return errors.Is(err, ErrOutcomeUnknown) }

// unknownError marks an error after which some attempt may have been
// applied: this one, or an earlier one whose error is kept too.
type unknownError struct {
	err     error
	earlier error
}

func (u *unknownError) Error() string {
	if u.earlier == nil || errors.Is(u.err, u.earlier) {
		return u.err.Error() + "; outcome unknown: Inqom may or may not have applied it"
	}
	return u.err.Error() + "; outcome unknown: an earlier attempt may have been applied (" + u.earlier.Error() + ")"
}

func (u *unknownError) Unwrap() []error { return []error{u.err, ErrOutcomeUnknown} }
