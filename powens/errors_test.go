package powens

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   Error
	}{
		{"Current", 400, `{"code": "wrongpass", "description": "Wrong password", "message": "Identifiant ou mot de passe incorrect", "request_id": "req-1"}`,
			Error{Status: 400, Code: "wrongpass", Description: "Wrong password", Message: "Identifiant ou mot de passe incorrect", RequestID: "req-1"}},
		{"RequestIDInteger", 409, `{"code": "noAccount", "description": "No account", "request_id": 123456}`,
			Error{Status: 409, Code: "noAccount", Description: "No account", RequestID: "123456"}},
		{"RequestIDCamel", 400, `{"code": "invalidValue", "description": "bad", "requestId": 77}`,
			Error{Status: 400, Code: "invalidValue", Description: "bad", RequestID: "77"}},
		{"Legacy", 403, `{"code": "authFailure", "message": "Invalid token"}`,
			Error{Status: 403, Code: "authFailure", Message: "Invalid token"}},
		{"OAuthStyle", 400, `{"error": "invalid_grant", "error_description": "code used"}`,
			Error{Status: 400, Code: "invalid_grant", Description: "code used"}},
		{"WrongTypesIgnored", 400, `{"code": "bug", "message": {"nested": true}, "request_id": null, "extra": [1]}`,
			Error{Status: 400, Code: "bug"}},
		{"HTML503", 503, "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n<body>\n  <h1>Maintenance</h1>   <p>Back soon.</p></body></html>",
			Error{Status: 503, Excerpt: "503 Service Unavailable Maintenance Back soon."}},
		{"Empty", 502, ``, Error{Status: 502}},
		{"JSONArray", 500, `["x"]`, Error{Status: 500, Excerpt: `["x"]`}},
		{"ObjectWithoutError", 500, `{"status": "down"}`, Error{Status: 500, Excerpt: `{"status": "down"}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DecodeError(tc.status, []byte(tc.body))
			if diff := cmp.Diff(&tc.want, got); diff != "" {
				t.Errorf("DecodeError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeError_LongExcerpt(t *testing.T) {
	body := "<p>" + strings.Repeat("é", 1000) + "</p>"
	e := DecodeError(503, []byte(body))
	if n := utf8.RuneCountInString(e.Excerpt); n > excerptRunes+1 {
		t.Errorf("excerpt has %d runes", n)
	}
	if !strings.HasSuffix(e.Excerpt, "…") {
		t.Errorf("excerpt %q not marked as cut", e.Excerpt)
	}
	if msg := e.Error(); !strings.Contains(msg, "status 503") {
		t.Errorf("Error()=%q lacks the status", msg)
	}
}

func TestError_Message(t *testing.T) {
	e := &Error{Status: 400, Code: "wrongpass", Description: "Wrong password", RequestID: "42"}
	if got, want := e.Error(), `powens error: status 400 code=wrongpass description="Wrong password" request_id=42`; got != want {
		t.Errorf("Error()=%q, want %q", got, want)
	}
	if got, want := (&Error{Status: 503}).Error(), "powens error: status 503 (Service Unavailable)"; got != want {
		t.Errorf("Error()=%q, want %q", got, want)
	}
}

func TestIsCode(t *testing.T) {
	ctx := context.Background()
	for _, spelling := range []string{"wrongpass", "wrongPass", "WRONGPASS"} {
		f := MustNewFake(t, reply(400, fmt.Sprintf(`{"code": %q, "description": "bad credentials"}`, spelling)))
		_, _, err := f.client.User("tok").CreateConnection(ctx, CreateConnection{ConnectorUUID: "u", Fields: map[string]string{"login": "x"}})
		if !IsCode(err, CodeWrongpass) {
			t.Errorf("IsCode(%v, wrongpass)=false for spelling %q", err, spelling)
		}
		if IsCode(err, CodeNoAccount) {
			t.Errorf("IsCode(%v, noAccount)=true", err)
		}
		var perr *Error
		if !errors.As(err, &perr) || perr.Status != 400 {
			t.Errorf("err=%v does not unwrap to a 400 *Error", err)
		}
	}
	if IsCode(errors.New("wrongpass"), CodeWrongpass) {
		t.Error("IsCode matched a non-Powens error")
	}
	if IsCode(nil, "") {
		t.Error("IsCode(nil)=true")
	}
}

func TestStatusHelpers(t *testing.T) {
	wrap := func(status int) error {
		return fmt.Errorf("outer: %w", &Error{Status: status, Code: "unknownFutureCode"})
	}
	for _, tc := range []struct {
		name string
		fn   func(error) bool
		yes  int
	}{
		{"IsUnauthorized", IsUnauthorized, 401},
		{"IsForbidden", IsForbidden, 403},
		{"IsNotFound", IsNotFound, 404},
		{"IsConflict", IsConflict, 409},
	} {
		if !tc.fn(wrap(tc.yes)) {
			t.Errorf("%s(%d)=false", tc.name, tc.yes)
		}
		if tc.fn(wrap(400)) || tc.fn(nil) || tc.fn(errors.New("x")) {
			t.Errorf("%s true for another error", tc.name)
		}
	}
	if !IsTemporary(wrap(429)) || !IsTemporary(wrap(503)) || IsTemporary(wrap(409)) {
		t.Error("IsTemporary misclassifies")
	}
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		`{"code": "wrongpass", "description": "x", "message": "y", "request_id": 1}`,
		`{"code": 12, "requestId": "abc"}`,
		`<html><body>503</body></html>`,
		"\xff\xfe<\x00>",
		`{"error": null}`,
		`{`, ``, `null`, `"str"`,
	} {
		f.Add(400, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := DecodeError(status, body)
		if e == nil {
			t.Fatal("DecodeError returned nil")
		}
		if e.Status != status {
			t.Errorf("Status=%d, want %d", e.Status, status)
		}
		if !utf8.ValidString(e.Excerpt) {
			t.Errorf("Excerpt %q is not valid UTF-8", e.Excerpt)
		}
		if n := utf8.RuneCountInString(e.Excerpt); n > excerptRunes+1 {
			t.Errorf("Excerpt has %d runes", n)
		}
		if strings.ContainsAny(e.Excerpt, "<>\n\t") && !strings.Contains(string(body), ">") {
			// Only a stray '>' outside a tag may survive; newlines never.
			t.Errorf("Excerpt %q keeps markup or control characters", e.Excerpt)
		}
		if msg := e.Error(); !strings.HasPrefix(msg, "powens error: status ") {
			t.Errorf("Error()=%q", msg)
		}
	})
}
