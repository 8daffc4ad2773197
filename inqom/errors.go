package inqom

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
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

// refusal is a kind of Inqom refusal, from the call and the status.
type refusal int

const (
	refusedRequest refusal = iota
	refusedPassword
	refusedClient
	refusedScope
	refusedPasswordClient
	refusedGrantType
	refusedSignIn
	refusedAlreadyRegistered
	refusedToken
	refusedDossier
	refusedAccess
	refusedRate
	refusedSignInFailed
	refusedFailed
	refusedFile
	refusedAccount
)

// kind classifies the refusal; the token endpoint's OAuth2 error codes
// (RFC 6749 §5.2) are told apart for a person setting up credentials.
func (e *Error) kind() refusal {
	switch {
	case e.Op == OpToken && e.Status < 500 && e.Status != http.StatusTooManyRequests:
		switch e.Code {
		case "invalid_grant":
			return refusedPassword
		case "invalid_client":
			return refusedClient
		case "invalid_scope":
			return refusedScope
		case "unauthorized_client":
			return refusedPasswordClient
		case "unsupported_grant_type":
			return refusedGrantType
		}
		return refusedSignIn
	case e.alreadyRegistered:
		return refusedAlreadyRegistered
	case e.Status == http.StatusUnauthorized:
		return refusedToken
	case e.Status == http.StatusForbidden && e.Op == OpRegister:
		return refusedDossier
	case e.Status == http.StatusForbidden:
		return refusedAccess
	case e.Status == http.StatusTooManyRequests:
		return refusedRate
	case e.Status >= 500 && e.Op == OpToken:
		return refusedSignInFailed
	case e.Status >= 500:
		return refusedFailed
	case e.Op == OpImport:
		return refusedFile
	case e.Op == OpRegister:
		return refusedAccount
	}
	return refusedRequest
}

// summary says in a few words what happened, for Error.
func (e *Error) summary() string {
	return summaries[e.kind()]
}

var summaries = map[refusal]string{
	refusedRequest:           "Inqom refused the request",
	refusedPassword:          "Inqom refused the username or password",
	refusedClient:            "Inqom refused the API client id or secret",
	refusedScope:             "Inqom refused the requested scope",
	refusedPasswordClient:    "Inqom does not allow this API client to sign in with a password",
	refusedGrantType:         "Inqom does not accept the password grant",
	refusedSignIn:            "Inqom refused the sign-in",
	refusedAlreadyRegistered: "Inqom already has this account in the dossier",
	refusedToken:             "Inqom refused the access token",
	refusedDossier:           "Inqom denied access to the dossier",
	refusedAccess:            "Inqom denied access",
	refusedRate:              "Inqom is limiting the request rate",
	refusedSignInFailed:      "Inqom's sign-in service failed",
	refusedFailed:            "Inqom failed",
	refusedFile:              "Inqom refused the file",
	refusedAccount:           "Inqom refused the account",
}

// Is makes errors.Is(err, ErrAlreadyRegistered) recognise a refusal that
// says the account exists.
func (e *Error) Is(target error) bool {
	return target == ErrAlreadyRegistered && e.alreadyRegistered
}

// Unwrap exposes a domain error, so that freenahi.ErrorCode and
// freenahi.ErrorMessage give callers a code and a sentence a person may read.
func (e *Error) Unwrap() error { return e.domainError() }

// domainError says the refusal in a sentence of its own per kind, so that
// each can be translated: the status and Inqom's code in brackets, then
// Inqom's own words, quoted, when it gave some.
func (e *Error) domainError() *freenahi.Error {
	c, st, w := e.domainCode(), "HTTP "+strconv.Itoa(e.Status), e.Message
	if e.Code != "" {
		st += " " + e.Code
	}
	say := func(plain, quoted *freenahi.Error) *freenahi.Error {
		if w == "" {
			return plain
		}
		return quoted
	}
	switch e.kind() {
	case refusedPassword:
		return say(freenahi.Errorf(c, "Inqom refused the username or password (%s).", st),
			freenahi.Errorf(c, "Inqom refused the username or password (%s): “%s”", st, w))
	case refusedClient:
		return say(freenahi.Errorf(c, "Inqom refused the API client id or secret (%s).", st),
			freenahi.Errorf(c, "Inqom refused the API client id or secret (%s): “%s”", st, w))
	case refusedScope:
		return say(freenahi.Errorf(c, "Inqom refused the requested scope (%s).", st),
			freenahi.Errorf(c, "Inqom refused the requested scope (%s): “%s”", st, w))
	case refusedPasswordClient:
		return say(freenahi.Errorf(c, "Inqom does not allow this API client to sign in with a password (%s).", st),
			freenahi.Errorf(c, "Inqom does not allow this API client to sign in with a password (%s): “%s”", st, w))
	case refusedGrantType:
		return say(freenahi.Errorf(c, "Inqom does not accept the password grant (%s).", st),
			freenahi.Errorf(c, "Inqom does not accept the password grant (%s): “%s”", st, w))
	case refusedSignIn:
		return say(freenahi.Errorf(c, "Inqom refused the sign-in (%s).", st),
			freenahi.Errorf(c, "Inqom refused the sign-in (%s): “%s”", st, w))
	case refusedAlreadyRegistered:
		return say(freenahi.Errorf(c, "Inqom already has this account in the dossier (%s).", st),
			freenahi.Errorf(c, "Inqom already has this account in the dossier (%s): “%s”", st, w))
	case refusedToken:
		return say(freenahi.Errorf(c, "Inqom refused the access token (%s).", st),
			freenahi.Errorf(c, "Inqom refused the access token (%s): “%s”", st, w))
	case refusedDossier:
		return say(freenahi.Errorf(c, "Inqom denied access to the dossier (%s).", st),
			freenahi.Errorf(c, "Inqom denied access to the dossier (%s): “%s”", st, w))
	case refusedAccess:
		return say(freenahi.Errorf(c, "Inqom denied access (%s).", st),
			freenahi.Errorf(c, "Inqom denied access (%s): “%s”", st, w))
	case refusedRate:
		return say(freenahi.Errorf(c, "Inqom is limiting the request rate (%s).", st),
			freenahi.Errorf(c, "Inqom is limiting the request rate (%s): “%s”", st, w))
	case refusedSignInFailed:
		return say(freenahi.Errorf(c, "Inqom's sign-in service failed (%s).", st),
			freenahi.Errorf(c, "Inqom's sign-in service failed (%s): “%s”", st, w))
	case refusedFailed:
		return say(freenahi.Errorf(c, "Inqom failed (%s).", st),
			freenahi.Errorf(c, "Inqom failed (%s): “%s”", st, w))
	case refusedFile:
		return say(freenahi.Errorf(c, "Inqom refused the file (%s).", st),
			freenahi.Errorf(c, "Inqom refused the file (%s): “%s”", st, w))
	case refusedAccount:
		return say(freenahi.Errorf(c, "Inqom refused the account (%s).", st),
			freenahi.Errorf(c, "Inqom refused the account (%s): “%s”", st, w))
	}
	return say(freenahi.Errorf(c, "Inqom refused the request (%s).", st),
		freenahi.Errorf(c, "Inqom refused the request (%s): “%s”", st, w))
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
