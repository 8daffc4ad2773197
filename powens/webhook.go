package powens

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"reflect"
	"strings"
	"time"
)

// Webhook signature headers (HMAC auth provider).
const (
	HeaderSignature     = "BI-Signature"
	HeaderSignatureDate = "BI-Signature-Date"
)

// ConnectionSynced is the body of a CONNECTION_SYNCED webhook.
type ConnectionSynced struct {
	IDWebhookData *int64      `json:"id_webhook_data,omitempty"`
	User          *User       `json:"user,omitempty"`
	Connection    *Connection `json:"connection"`
}

// Sign computes BI-Signature: Base64(HMAC-SHA256(secret, METHOD.PATH.DATE.PAYLOAD)).
func Sign(secret, method, path, date string, body []byte) string {
	return base64.StdEncoding.EncodeToString(signatureMAC(secret, method, path, date, body))
}

// signatureMAC is the one place the signed message is built, for Sign and
// VerifySignature alike: the HMAC-SHA256, keyed with the secret's bytes, of
// METHOD "." PATH "." DATE "." and the raw body.
func signatureMAC(secret, method, path, date string, body []byte) []byte {
	m := NewSignatureMAC(secret, method, path, date)
	m.Write(body)
	return m.Sum(nil)
}

// Signature verification failures.
var (
	ErrSignatureMissing = errors.New("missing BI-Signature or BI-Signature-Date header")
	ErrSignatureDate    = errors.New("BI-Signature-Date is not an ISO 8601 UTC timestamp")
	ErrSignatureStale   = errors.New("BI-Signature-Date is outside the accepted window")
	ErrSignatureInvalid = errors.New("BI-Signature does not match")
)

// VerifySignature checks a webhook signature in constant time, and that the
// signature date lies within maxAge of now (either side, for clock skew).
func VerifySignature(secret, method, path, date, signature string, body []byte, now time.Time, maxAge time.Duration) error {
	want, err := CheckSignatureHeaders(date, signature, now, maxAge)
	if err != nil {
		return err
	}
	if !hmac.Equal(signatureMAC(secret, method, path, date, body), want) {
		return ErrSignatureInvalid
	}
	return nil
}

// CheckSignatureHeaders checks what can be checked of a signature before the
// body is read: both headers present, the date readable and within maxAge of
// now, the signature Base64 of an HMAC-SHA256. It returns the decoded signature.
func CheckSignatureHeaders(date, signature string, now time.Time, maxAge time.Duration) ([]byte, error) {
	if date == "" || signature == "" {
		return nil, ErrSignatureMissing
	}
	t, err := ParseSignatureDate(date)
	if err != nil {
		return nil, ErrSignatureDate
	}
	if d := now.Sub(t); d > maxAge || d < -maxAge {
		return nil, ErrSignatureStale
	}
	if len(signature) > base64.StdEncoding.EncodedLen(sha256.Size) {
		return nil, ErrSignatureInvalid
	}
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(got) != sha256.Size {
		return nil, ErrSignatureInvalid
	}
	return got, nil
}

// NewSignatureMAC returns an HMAC to which the body is written as it arrives;
// its Sum, compared with hmac.Equal to the decoded BI-Signature, verifies a
// body too large to hold in memory.
func NewSignatureMAC(secret, method, path, date string) hash.Hash {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%s.%s.%s.", method, path, date)
	return m
}

// ParseSignatureDate reads BI-Signature-Date. Powens documents a UTC
// ISO-8601 instant ("2022-06-27T11:08:52.577831Z"); one written without a
// zone, with a T or a space, is read as UTC too, as Powens generates it.
func ParseSignatureDate(date string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, date); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.ParseInLocation(layout, date, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, ErrSignatureDate
}

// SignatureDate formats t as Powens does in BI-Signature-Date.
func SignatureDate(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// Envelope is the part of any webhook body needed to route it before it is
// processed: the Powens user and delivery id, wherever the event puts them.
type Envelope struct {
	IDWebhookData *int64 `json:"id_webhook_data"`
	// ID and IDUser are root fields of USER_DELETED (a User), CONNECTION_DELETED
	// (a Connection) and ACCOUNT_* (a BankAccount) bodies.
	ID     *int64 `json:"id"`
	IDUser *int64 `json:"id_user"`
	User   *struct {
		ID *int64 `json:"id"`
	} `json:"user"`
	Connection *struct {
		ID     *int64 `json:"id"`
		IDUser *int64 `json:"id_user"`
	} `json:"connection"`
}

// DecodeEnvelope checks that a webhook body is one JSON object and reads its
// routing fields. It runs before every acknowledgement, so it validates with a
// fast scanner and decodes only what remains once transaction arrays are cut
// out (see DecodeConnectionSynced).
func DecodeEnvelope(body []byte) (*Envelope, error) {
	if !validJSON(body) {
		// Let encoding/json say where and why.
		var v any
		err := json.Unmarshal(body, &v)
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return nil, fmt.Errorf("body is not valid JSON: %w", err)
	}
	if i := skipSpace(body, 0); body[i] != '{' {
		return nil, errors.New("body is not a JSON object")
	}
	small := body
	if envelope, _, ok := splitTransactions(body); ok {
		small = envelope
	}
	var e Envelope
	if err := json.Unmarshal(small, &e); err != nil {
		return nil, fmt.Errorf("body is not a webhook payload: %w", err)
	}
	return &e, nil
}

// PowensUserID returns the Powens user the event is about, for the given event
// name ("connection_synced", "user_deleted", …), or nil if the body names none.
func (e *Envelope) PowensUserID(event string) *int64 {
	switch {
	case e.User != nil && e.User.ID != nil:
		return e.User.ID
	case e.Connection != nil && e.Connection.IDUser != nil:
		return e.Connection.IDUser
	case e.IDUser != nil:
		return e.IDUser
	case strings.HasPrefix(event, "user_") && e.ID != nil:
		return e.ID // USER_CREATED, USER_DELETED: the body is the User
	}
	return nil
}

// DecodeTransactions streams a raw JSON array of transactions, calling fn for
// each one, so that a payload of any size is decoded with bounded memory.
// A null or absent array yields nothing. fn borrows t: it may be the same
// Transaction, cleared and decoded again, in the next call, so fn copies
// what it keeps (values; the pointers t holds are its own to keep).
func DecodeTransactions(raw json.RawMessage, fn func(i int, t *Transaction) error) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, jsonNull) {
		return nil
	}
	// A bytes.Buffer lets jsontext read raw in place instead of copying it
	// through its own buffer; nothing writes to it.
	return decodeOrFallBack(bytes.NewBuffer(raw), fn, func(fn func(int, *Transaction) error) error {
		return decodeTransactionsV1(raw, fn)
	})
}

// decodeTransactionsV1 is DecodeTransactions with encoding/json alone: it
// names the member at fault when the array does not decode.
func decodeTransactionsV1(raw json.RawMessage, fn func(i int, t *Transaction) error) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '[' {
		return fmt.Errorf("transactions is not an array")
	}
	for i := 0; d.More(); i++ {
		var t Transaction
		start := d.InputOffset()
		if err := d.Decode(&t); err != nil {
			// The decoder has read the element whole: find the member at fault.
			elem := bytes.TrimLeft(raw[start:min(d.InputOffset(), int64(len(raw)))], ", \t\r\n")
			return fmt.Errorf("transactions[%d]%s: %w", i, memberAtFault(elem, &t), err)
		}
		if err := fn(i, &t); err != nil {
			return err
		}
	}
	_, err = d.Token()
	return err
}

// memberAtFault returns ".name" for the first member of a JSON object that
// does not decode into the field of v (a pointer to a struct) tagged with
// that name, or "" when it cannot tell. It runs only after a failure, so that
// an error names the field ("transactions[4].value"), not just the element.
func memberAtFault(elem []byte, v any) string {
	var members map[string]json.RawMessage
	if json.Unmarshal(elem, &members) != nil {
		return ""
	}
	rt := reflect.TypeOf(v).Elem()
	for i := range rt.NumField() {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		m, ok := members[name]
		if !ok || name == "" || name == "-" {
			continue
		}
		if json.Unmarshal(m, reflect.New(f.Type).Interface()) != nil {
			return "." + name
		}
	}
	return ""
}
