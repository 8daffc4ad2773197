package powens

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// DecodeEnvelopeFrom is DecodeEnvelope for a body read from r, for a body
// too large to hold in memory (issue 15, item 5): it validates the whole
// body as it streams past and keeps only the members Envelope can hold
// (id_webhook_data, id, id_user, user, connection.id, connection.id_user,
// and whatever spelling of them encoding/json would match), which it then
// decodes as DecodeEnvelope does. Memory stays a few buffers whatever the
// size of the transaction arrays.
//
// Repeated names and invalid UTF-8 are let through, as encoding/json does,
// so a body is refused here exactly when DecodeEnvelope refuses it
// (TestDecodeEnvelopeFrom_SameAsDecodeEnvelope, FuzzDecodeEnvelopeFrom).
func DecodeEnvelopeFrom(r io.Reader) (*Envelope, error) {
	small, err := envelopeMembers(r)
	if err != nil {
		return nil, err
	}
	var e Envelope
	if err := json.Unmarshal(small, &e); err != nil {
		return nil, fmt.Errorf("body is not a webhook payload: %w", err)
	}
	return &e, nil
}

// envelopeNames are the members of the body's root that Envelope decodes;
// connectionNames those of its connection.
var (
	envelopeNames   = []string{"id_webhook_data", "id", "id_user", "user", "connection"}
	connectionNames = []string{"id", "id_user"}
)

// keeps reports whether encoding/json could decode member name into one of
// names: it matches names exactly, else ignoring case (Unicode folding, of
// which strings.EqualFold is a superset for these ASCII names). Keeping a
// member it would not match costs only its size; dropping one it would
// match would change the envelope, so the test errs on keeping.
func keeps(name string, names []string) bool {
	for _, n := range names {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// envelopeMembers validates the JSON text read from r (one object and
// nothing after it but white space) and returns an object holding only the
// members Envelope can decode.
func envelopeMembers(r io.Reader) ([]byte, error) {
	d := jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	var out bytes.Buffer
	out.WriteByte('{')
	tok, err := d.ReadToken()
	if err != nil {
		return nil, notJSON(err)
	}
	if tok.Kind() != '{' {
		return nil, errors.New("body is not a JSON object")
	}
	first := true
	for d.PeekKind() != '}' {
		name, err := d.ReadToken()
		if err != nil {
			return nil, notJSON(err)
		}
		key := name.String()
		if !keeps(key, envelopeNames) {
			if err := d.SkipValue(); err != nil {
				return nil, notJSON(err)
			}
			continue
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		quoted, err := jsontext.AppendQuote(nil, key)
		if err != nil {
			return nil, notJSON(err)
		}
		out.Write(quoted)
		out.WriteByte(':')
		if strings.EqualFold(key, "connection") && d.PeekKind() == '{' {
			if err := connectionMembers(d, &out); err != nil {
				return nil, err
			}
			continue
		}
		v, err := d.ReadValue()
		if err != nil {
			return nil, notJSON(err)
		}
		out.Write(v)
	}
	if _, err := d.ReadToken(); err != nil { // the closing '}'
		return nil, notJSON(err)
	}
	if _, err := d.ReadToken(); !errors.Is(err, io.EOF) {
		if err == nil {
			err = errors.New("invalid character after top-level value")
		}
		return nil, notJSON(err)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// connectionMembers copies to out the members of the connection object d
// is at that Envelope can decode, skipping the others (its accounts and
// their transactions, most of a large body).
func connectionMembers(d *jsontext.Decoder, out *bytes.Buffer) error {
	if _, err := d.ReadToken(); err != nil {
		return notJSON(err)
	}
	out.WriteByte('{')
	first := true
	for d.PeekKind() != '}' {
		name, err := d.ReadToken()
		if err != nil {
			return notJSON(err)
		}
		key := name.String()
		if !keeps(key, connectionNames) {
			if err := d.SkipValue(); err != nil {
				return notJSON(err)
			}
			continue
		}
		v, err := d.ReadValue()
		if err != nil {
			return notJSON(err)
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		quoted, err := jsontext.AppendQuote(nil, key)
		if err != nil {
			return notJSON(err)
		}
		out.Write(quoted)
		out.WriteByte(':')
		out.Write(v)
	}
	if _, err := d.ReadToken(); err != nil {
		return notJSON(err)
	}
	out.WriteByte('}')
	return nil
}

func notJSON(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("body is not valid JSON: %w", err)
}
