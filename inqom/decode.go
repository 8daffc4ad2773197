package inqom

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds of what an Error keeps: enough to read Inqom's sentence and to
// recognise a gateway page, small enough for a log line or a ledger row.
const (
	maxErrorBody    = 4 << 10
	maxMessageRunes = 500
	maxScanBytes    = 64 << 10
)

// DecodeError turns a non-2xx answer of op (OpToken, OpRegister, OpImport)
// into an *Error. It never fails: it reads the union of the shapes an
// ASP.NET service behind IdentityServer may answer, since Inqom documents
// none — OAuth2 {error, error_description}, ABP {error: {code, message,
// details, validationErrors}}, {message} or {Message}, ProblemDetails
// {title, detail, errors}, {errors: [...]}, a JSON string — and falls back
// to an excerpt of a text or HTML body.
func DecodeError(op string, status int, body []byte) *Error {
	e := &Error{Op: op, Status: status, Body: clip(body, maxErrorBody)}
	e.Code, e.Message = parseErrorBody(body)
	if op == OpRegister && (status == 409 || (status >= 400 && status < 500 && saysAlreadyRegistered(e.Message))) {
		e.alreadyRegistered = true
	}
	return e
}

// decodeError is DecodeError without the answer's words when the client
// hides answers: a known OAuth2 code still tells what was refused.
func (c *Client) decodeError(op string, status int, body []byte) *Error {
	e := DecodeError(op, status, body)
	if c.cfg.HideAnswers {
		e.Message, e.Body = "", ""
		if !oauthCodes[e.Code] {
			e.Code = ""
		}
	}
	return e
}

// oauthCodes are the error codes of RFC 6749 §5.2, which say what a token
// endpoint refused without saying anything of the server's own.
var oauthCodes = map[string]bool{"invalid_request": true, "invalid_client": true, "invalid_grant": true,
	"unauthorized_client": true, "unsupported_grant_type": true, "invalid_scope": true}

// kept is an answer's body as the client returns it: nil when it hides answers.
func (c *Client) kept(body []byte) []byte {
	if c.cfg.HideAnswers {
		return nil
	}
	return body
}

// parseErrorBody returns the code and message of an error body.
func parseErrorBody(body []byte) (code, msg string) {
	if len(body) > maxScanBytes {
		body = body[:maxScanBytes]
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return "", ""
	}
	switch trimmed[0] {
	case '{':
		if m := objectFields(trimmed); m != nil {
			return objectError(m)
		}
	case '"':
		var s string
		if json.Unmarshal(trimmed, &s) == nil {
			return "", clean(s)
		}
	}
	return "", excerpt(trimmed)
}

// objectError reads the code and message of a JSON error object.
func objectError(m map[string]json.RawMessage) (code, msg string) {
	var extras []string
	if nested := objectFields(m["error"]); nested != nil {
		// ABP wraps everything in "error".
		code = text(nested, "code")
		msg = text(nested, "message", "error_description", "detail", "title")
		extras = messages(nested["validationerrors"])
		if len(extras) == 0 {
			if d := text(nested, "details"); d != "" && d != msg {
				extras = []string{d}
			}
		}
	} else if s := text(m, "error"); s != "" {
		// OAuth puts a code in "error"; others put a sentence there.
		if isCode(s) {
			code = s
		} else {
			msg = s
		}
	}
	if code == "" {
		if c := text(m, "code", "errorcode"); isCode(c) {
			code = c
		}
	}
	if msg == "" {
		msg = text(m, "error_description", "message", "detail", "title", "exceptionmessage", "errormessage")
	}
	extras = append(extras, messages(m["errors"])...)
	return code, clean(joinMessage(msg, extras))
}

// joinMessage appends the detailed messages to the main one.
func joinMessage(msg string, extras []string) string {
	extras = slices.DeleteFunc(extras, func(s string) bool { return s == "" || s == msg })
	if len(extras) == 0 {
		return msg
	}
	rest := strings.Join(extras, "; ")
	switch {
	case msg == "":
		return rest
	case strings.ContainsAny(msg[len(msg)-1:], ".!?:"):
		return msg + " " + rest
	}
	return msg + ": " + rest
}

// objectFields decodes a JSON object with its keys lower-cased (first one
// wins), because ASP.NET answers in camelCase or PascalCase depending on
// its settings. It returns nil for anything but an object.
func objectFields(raw json.RawMessage) map[string]json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		lk := strings.ToLower(k)
		if _, ok := out[lk]; !ok {
			out[lk] = m[k]
		}
	}
	return out
}

// text returns the first of the keys holding a non-empty string or a number.
func text(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		raw, ok := m[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// messages reads a list of errors: strings, objects with a message, or
// ASP.NET's map of field name to messages (sorted by field for stable text).
func messages(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	var out []string
	if raw[0] == '{' {
		var byField map[string]json.RawMessage
		if json.Unmarshal(raw, &byField) != nil {
			return nil
		}
		for _, field := range slices.Sorted(maps.Keys(byField)) {
			for _, msg := range messages(byField[field]) {
				out = append(out, field+": "+msg)
			}
		}
		return out
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		var s string
		if json.Unmarshal(raw, &s) == nil && s != "" {
			return []string{s}
		}
		return nil
	}
	for _, item := range list {
		var s string
		if json.Unmarshal(item, &s) == nil {
			out = append(out, strings.TrimSpace(s))
		} else if f := objectFields(item); f != nil {
			out = append(out, text(f, "message", "errormessage", "description", "detail"))
		}
	}
	return out
}

// saysAlreadyRegistered recognises a refusal because the account exists,
// in English or French, since Inqom's wording is unknown.
func saysAlreadyRegistered(msg string) bool {
	m := strings.ToLower(msg)
	for _, w := range []string{"already", "déjà", "deja", "existe", "exists", "duplicate", "doublon"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// isCode reports whether s looks like a machine code rather than a sentence.
func isCode(s string) bool {
	return s != "" && len(s) <= 64 && !strings.ContainsFunc(s, unicode.IsSpace)
}

// clean collapses whitespace and control characters and bounds the length,
// so that a message fits on one log line whatever the server sent.
func clean(s string) string {
	return collapse([]byte(s), false)
}

// excerpt is clean for text and HTML bodies: tags are dropped.
func excerpt(body []byte) string {
	return collapse(body, true)
}

func collapse(b []byte, dropTags bool) string {
	var sb strings.Builder
	n, inTag, space := 0, false, false
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case dropTags && r == '<':
			inTag = true
			continue
		case dropTags && inTag:
			if r == '>' {
				inTag, space = false, n > 0
			}
			continue
		case unicode.IsSpace(r) || !unicode.IsPrint(r):
			space = n > 0
			continue
		}
		if n >= maxMessageRunes {
			sb.WriteString("…")
			break
		}
		if space {
			sb.WriteByte(' ')
			space = false
			n++
		}
		sb.WriteRune(r)
		n++
	}
	return sb.String()
}

// clip returns at most max bytes of b as valid UTF-8.
func clip(b []byte, max int) string {
	if len(b) > max {
		b = b[:max]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
