package inqom

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeError feeds arbitrary bodies to the error decoder, which reads
// whatever a server sends: it must never panic, and what it keeps must stay
// bounded, valid UTF-8 and on one line.
func FuzzDecodeError(f *testing.F) {
	for _, seed := range []string{
		`{"error":"invalid_grant","error_description":"invalid_username_or_password"}`,
		`{"error":{"code":"X","message":"m","details":"d","validationErrors":[{"message":"v","members":["iban"]}]}}`,
		`{"title":"t","detail":"d","errors":{"file":["required"]}}`,
		`{"errors":["a",{"message":"b"},1,null]}`,
		`{"Message":42}`,
		`"text"`,
		"<html><title>502</title>\n</html>",
		"\xff\xfe{",
		`{"error":{"error":{"error":{}}}}`,
	} {
		f.Add(400, []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		for _, op := range []string{OpToken, OpRegister, OpImport} {
			e := DecodeError(op, status, body)
			msg := e.Error()
			switch {
			case !utf8.ValidString(msg) || !utf8.ValidString(e.Body) || !utf8.ValidString(e.Message):
				t.Fatalf("invalid UTF-8 in %q", msg)
			case strings.ContainsAny(e.Message, "\r\n\t"):
				t.Fatalf("message spans lines: %q", e.Message)
			case utf8.RuneCountInString(e.Message) > maxMessageRunes+1:
				t.Fatalf("message of %d runes", utf8.RuneCountInString(e.Message))
			case len(e.Body) > maxErrorBody+3: // a cut rune becomes U+FFFD
				t.Fatalf("body of %d bytes", len(e.Body))
			case !strings.HasPrefix(msg, "Inqom"):
				t.Fatalf("Error() does not read in plain words: %q", msg)
			}
		}
	})
}
