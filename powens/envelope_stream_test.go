package powens

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// stdlibEnvelope is the oracle: the standard library's decoder over the
// whole body in memory.
func stdlibEnvelope(body []byte) (*Envelope, bool) {
	if !json.Valid(body) || body[bytes.IndexFunc(body, func(r rune) bool { return !strings.ContainsRune(" \t\r\n", r) })] != '{' {
		return nil, false
	}
	var e Envelope
	if json.Unmarshal(body, &e) != nil {
		return nil, false
	}
	return &e, true
}

func checkEnvelopeFrom(t *testing.T, body []byte) {
	t.Helper()
	// One byte at a time, so that every token straddles a read.
	got, err := DecodeEnvelopeFrom(iotest.OneByteReader(bytes.NewReader(body)))
	want, ok := stdlibEnvelope(body)
	if (err == nil) != ok {
		t.Fatalf("DecodeEnvelopeFrom(%.200q): err %v, encoding/json accepts it: %v", body, err, ok)
	}
	if !ok {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("DecodeEnvelopeFrom(%.200q) differs from encoding/json (-want +got):\n%s", body, diff)
	}
}

func TestDecodeEnvelopeFrom_SameAsEncodingJSON(t *testing.T) {
	for _, s := range []string{
		`{}`,
		` {"id_webhook_data": 7, "user": {"id": 42}, "connection": {"id": 3, "id_user": 42, "accounts": [{"transactions": [{"id": 1}]}]}} `,
		// Names encoding/json matches ignoring case; the last of repeated names wins.
		`{"ID_WEBHOOK_DATA": 8, "User": {"ID": 5}, "Connection": {"Id_User": 6}}`,
		`{"id": 1, "id": 2, "id_user": 3, "ID_user": 4}`,
		`{"connection": {"id": 1}, "connection": {"id_user": 2}}`,
		// Escaped names, nulls, unknown members of every kind.
		`{"\u0069d": 9, "user": null, "connection": null, "extra": [1, {"a": "b"}, true, null, -2.5e3]}`,
		`{"connection": {"accounts": null, "id": null, "unknown": {"deep": [[[]]]}}}`,
		`{"connection": [1, 2], "id": 4}`,
		"{\"name\": \"\xff\xfe\", \"id\": 1}",
		// Refused: not an object, invalid, trailing data, wrong types.
		`[]`, `"x"`, `1`, `null`, ``, ` `, `{`, `{"id": 1,}`, `{"id": 1} {}`, `{"id": 1} x`, `{"id": "one"}`,
		`{"user": {"id": true}}`, `{"connection": {"id_user": "x", "accounts": []}}`, `{"a": [1 2]}`, `{"a": "\x"}`,
		`{"connection": {"accounts": [{"transactions": [{"id": 1,]}]}]}}`,
		strings.Repeat(`{"a":`, 10001) + `1` + strings.Repeat(`}`, 10001),
	} {
		checkEnvelopeFrom(t, []byte(s))
	}
}

// The hand-written values, not only the oracle's agreement.
func TestDecodeEnvelopeFrom_Fixture(t *testing.T) {
	body := []byte(`{"id_webhook_data": 77, "user": {"id": 42, "extra": 1}, "connection": {"id": 3, "id_user": 42,
		"accounts": [{"id": 10, "transactions": [{"id": 1, "value": null, "unknown": {"x": [1]}}]}]}}`)
	e, err := DecodeEnvelopeFrom(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if *e.IDWebhookData != 77 || *e.User.ID != 42 || *e.Connection.ID != 3 || *e.Connection.IDUser != 42 || e.ID != nil || e.IDUser != nil {
		t.Fatalf("envelope %+v", e)
	}
	if got := e.PowensUserID("connection_synced"); got == nil || *got != 42 {
		t.Fatalf("PowensUserID = %v, want 42", got)
	}
}

func TestDecodeEnvelopeFrom_ContractFixture(t *testing.T) {
	body, err := os.ReadFile("../ingest/testdata/connection_synced.json")
	if err != nil {
		t.Fatal(err)
	}
	checkEnvelopeFrom(t, body)
}

// A read error is an error, never a partial envelope.
func TestDecodeEnvelopeFrom_ReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader(`{"id": 1, "connection": {"id_user": 2, "accounts": [`), iotest.ErrReader(io.ErrClosedPipe))
	if _, err := DecodeEnvelopeFrom(r); err == nil {
		t.Fatal("no error for a body cut by a read error")
	}
}

func FuzzDecodeEnvelopeFrom(f *testing.F) {
	if b, err := os.ReadFile("../ingest/testdata/connection_synced.json"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{`{"id_webhook_data": 1, "user": {"id": 2}}`, `{"Connection": {"ID_USER": 3, "accounts": [{}]}}`,
		`{"id": 1, "id": "x"}`, `[{]`, `{"\u0075ser": {"id": 4}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkEnvelopeFrom(t, body)
	})
}
