package powens

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error codes Powens documents. The set is open: compare with IsCode and keep
// a default branch for codes not listed here.
const (
	CodeWrongpass          = "wrongpass"
	CodeNoAccount          = "noAccount"
	CodeInvalidValue       = "invalidValue"
	CodeMissingParameter   = "missingParameter"
	CodeWebsiteUnavailable = "websiteUnavailable"
	CodeActionNeeded       = "actionNeeded"
	CodeBankMessage        = "bankMessage"
	CodeNotSupported       = "notSupported"
	CodeTooManySync        = "tooManySync"
	CodeConnectionLocked   = "connectionLocked"
	CodeBug                = "bug"
	CodePasswordExpired    = "passwordExpired"
	CodeRateLimiting       = "rateLimiting"
	CodeSCARequired        = "SCARequired"
	CodeBadRequest         = "badRequest"
)

// Error is a non-2xx answer of the Powens API.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Code is Powens' error code ("wrongpass", "noAccount"…); empty when the
	// body was not a Powens error document.
	Code string
	// Description is technical text, not for end users.
	Description string
	// Message is the institution's message, displayable but untranslated.
	Message string
	// RequestID identifies the request for Powens support.
	RequestID RequestID
	// Excerpt is the start of a body that was not a JSON error document
	// (an HTML maintenance page, say), with tags and blank runs removed.
	Excerpt string
}

// Error describes e on one line.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "powens error: status %d", e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " code=%s", e.Code)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, " description=%q", e.Description)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, " message=%q", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " request_id=%s", e.RequestID)
	}
	if e.Code == "" && e.Description == "" && e.Message == "" {
		if e.Excerpt != "" {
			fmt.Fprintf(&b, " body=%q", e.Excerpt)
		} else if t := http.StatusText(e.Status); t != "" {
			fmt.Fprintf(&b, " (%s)", t)
		}
	}
	return b.String()
}

// DecodeError turns a non-2xx response body into an *Error. It never fails:
// a body that is not a JSON object becomes an Excerpt. It reads the union of
// the error documents seen in the wild: the current {code, description,
// message, request_id}, the legacy {code, message}, a camel-case requestId
// (string or number), and OAuth-style {error, error_description}; a member of
// an unexpected type is ignored rather than spoiling the others.
func DecodeError(status int, body []byte) *Error {
	return decodeError(status, body)
}

func decodeError(status int, body []byte) *Error {
	e := &Error{Status: status}
	trimmed := bytes.TrimSpace(body)
	var m map[string]json.RawMessage
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &m) != nil {
		e.Excerpt = excerpt(body)
		return e
	}
	e.Code = firstString(m, "code", "error")
	e.Description = firstString(m, "description", "error_description")
	e.Message = firstString(m, "message")
	e.RequestID = RequestID(firstString(m, "request_id", "requestId"))
	if e.Code == "" && e.Description == "" && e.Message == "" {
		e.Excerpt = excerpt(body)
	}
	return e
}

// firstString returns the first of the keys holding a string or a number,
// as text.
func firstString(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		raw, ok := m[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && s != "" {
			return s
		}
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// excerptRunes bounds Error.Excerpt: enough to recognise a maintenance page,
// short enough for a log line.
const excerptRunes = 160

// excerpt returns the readable start of a body: tags dropped, whitespace
// runs collapsed, invalid UTF-8 replaced, at most excerptRunes runes plus an
// ellipsis when cut.
func excerpt(body []byte) string {
	if len(body) > 16<<10 {
		body = body[:16<<10]
	}
	out := make([]rune, 0, excerptRunes)
	inTag, space, cut := false, false, false
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		body = body[size:]
		switch {
		case r == '<':
			inTag = true
			continue
		case r == '>' && inTag:
			inTag, space = false, len(out) > 0
			continue
		case inTag:
			continue
		case unicode.IsSpace(r) || !unicode.IsPrint(r):
			space = len(out) > 0
			continue
		}
		need := 1
		if space {
			need = 2
		}
		if len(out)+need > excerptRunes {
			cut = true
			break
		}
		if space {
			out = append(out, ' ')
			space = false
		}
		out = append(out, r)
	}
	if cut {
		return string(out) + "…"
	}
	return string(out)
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// IsCode reports whether err is a Powens error with the given code, compared
// case-insensitively because the docs spell "wrongpass" also "wrongPass".
func IsCode(err error, code string) bool {
	e := AsError(err)
	return e != nil && strings.EqualFold(e.Code, code)
}

// StatusOf returns the HTTP status of a Powens error in err's chain, or 0.
func StatusOf(err error) int {
	if e := AsError(err); e != nil {
		return e.Status
	}
	return 0
}

// IsUnauthorized reports a missing, invalid or revoked token (401).
func IsUnauthorized(err error) bool { return StatusOf(err) == http.StatusUnauthorized }

// IsForbidden reports a token lacking the scope for the call (403).
func IsForbidden(err error) bool { return StatusOf(err) == http.StatusForbidden }

// IsNotFound reports an unknown route or a resource the token cannot see (404).
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// IsConflict reports a conflicting state (409), e.g. a sync Powens refuses
// to force or a webauth URL for an up-to-date connection.
func IsConflict(err error) bool { return StatusOf(err) == http.StatusConflict }

// IsTemporary reports an error worth trying again later: rate limiting or a
// server-side failure.
func IsTemporary(err error) bool {
	s := StatusOf(err)
	return s == http.StatusTooManyRequests || s >= 500
}
