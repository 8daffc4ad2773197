package freenahi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Error codes shared by every adapter; the HTTP layer maps them to statuses in one place.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EUNAVAILABLE  = "unavailable"
	ETOOLARGE     = "too_large"
	EUNSUPPORTED  = "unsupported" // a media type or encoding not accepted
)

// Error is a domain error whose Message a person may read. Key and Args let
// the web layer say it in the person's language: Key is the English format
// the message was made from, looked up in the message catalogs (the way
// gettext keys messages), and Args are the values formatted into it.
type Error struct {
	Code    string
	Message string
	// Field names the offending input field, when there is one (e.g. "limit").
	Field string
	Key   string
	Args  []any
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("freenahi error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("freenahi error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Key: format, Args: args}
}

// FieldErrorf returns an EINVALID *Error about one input field; its Message
// starts with the field's name, its Key does not.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: field + ": " + fmt.Sprintf(format, args...), Key: format, Args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of err, or "Internal error."
// for errors that are not domain errors, so that causes never leak to clients.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorField returns the field named by the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorToKeep returns the *Error to keep for a failure read later, perhaps
// in another language (a job's, an Inqom link's or a file's last problem):
// the domain error in err's chain or, for any other error, an internal one
// whose message is err's text (a cause such as a network failure, which
// can only be shown as a technical detail). Nil for nil.
func ErrorToKeep(err error) *Error {
	var e *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e) && e.Code != EINTERNAL:
		return e
	}
	return &Error{Code: EINTERNAL, Message: err.Error()}
}

// errorJSON is how an *Error is kept (a failed background job): arguments
// become int64 or string, which format the same way under %d, %s, %q and %v.
type errorJSON struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Key     string            `json:"key,omitempty"`
	Args    []json.RawMessage `json:"args,omitempty"`
}

// MarshalJSON keeps integer arguments as JSON numbers and the rest as their text.
func (e *Error) MarshalJSON() ([]byte, error) {
	out := errorJSON{Code: e.Code, Message: e.Message, Field: e.Field, Key: e.Key}
	for _, a := range e.Args {
		var raw []byte
		switch v := a.(type) {
		case int:
			raw = strconv.AppendInt(nil, int64(v), 10)
		case int64:
			raw = strconv.AppendInt(nil, v, 10)
		case int32:
			raw = strconv.AppendInt(nil, int64(v), 10)
		default:
			raw, _ = json.Marshal(fmt.Sprint(v))
		}
		out.Args = append(out.Args, raw)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote: numbers as int64, the rest as strings.
func (e *Error) UnmarshalJSON(b []byte) error {
	var in errorJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*e = Error{Code: in.Code, Message: in.Message, Field: in.Field, Key: in.Key}
	for _, raw := range in.Args {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			e.Args = append(e.Args, s)
			continue
		}
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return fmt.Errorf("error argument %s: want a string or an integer", raw)
		}
		e.Args = append(e.Args, n)
	}
	return nil
}
