package powens

import (
	"bytes"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// The values of a transaction's members, decoded as encoding/json decodes
// them into the fields' types, or refused (see transaction_decode.go).

// lastParsed is the last value of type T that UnmarshalJSON took, with its
// raw bytes; values longer than raw are not kept.
type lastParsed[T any] struct {
	raw [32]byte
	n   int
	v   T
}

// unmarshalCached sets *dst as (P).UnmarshalJSON would from v, reusing the
// last result when v is the same bytes: UnmarshalJSON depends on nothing
// else.
func unmarshalCached[T any, P interface {
	*T
	UnmarshalJSON([]byte) error
}](c *lastParsed[T], v []byte, dst *T) error {
	if c.n > 0 && bytes.Equal(c.raw[:c.n], v) {
		*dst = c.v
		return nil
	}
	if err := P(dst).UnmarshalJSON(v); err != nil {
		return errLeftToEncodingJSON
	}
	if len(v) <= len(c.raw) {
		c.n = copy(c.raw[:], v)
		c.v = *dst
	}
	return nil
}

// decodeNumber sets *dst as Number.UnmarshalJSON would from v. For a bare
// number, UnmarshalJSON checks it with json.Valid and keeps its text; jsontext
// has checked it already, against the same grammar, so the text is kept
// without a second pass.
func decodeNumber(v jsontext.Value, dst *Number) error {
	if v.Kind() == '0' {
		*dst = Number{text: string(v)}
		return nil
	}
	if err := dst.UnmarshalJSON(v); err != nil {
		return errLeftToEncodingJSON // encoding/json's error then names the member
	}
	return nil
}

// Counterparty's members, numbered for the duplicate check.
const (
	cpLabel = iota
	cpAccountSchemeName
	cpAccountIdentification
	cpType
	cpFields
)

// cpField returns the member number of a name spelt exactly as a tag, or -1.
func cpField(name []byte) int {
	switch string(name) {
	case "label":
		return cpLabel
	case "account_scheme_name":
		return cpAccountSchemeName
	case "account_identification":
		return cpAccountIdentification
	case "type":
		return cpType
	}
	return -1
}

// decodeCounterparty decodes null (nil) or a Counterparty object into *p.
func decodeCounterparty(d *jsontext.Decoder, p **Counterparty) error {
	if d.PeekKind() == 'n' {
		_, err := d.ReadValue()
		return err
	}
	c := new(Counterparty)
	err := decodeObject(d, cpField, func(f int) error {
		v, err := d.ReadValue()
		if err != nil {
			return err
		}
		return decodeStringPtr(v, [cpFields]**string{&c.Label, &c.AccountSchemeName, &c.AccountIdentification, &c.Type}[f])
	})
	if err != nil {
		return err
	}
	*p = c
	return nil
}

// decodeCurrency decodes null (nil) or what Currency.UnmarshalJSON takes
// into *p: encoding/json leaves a null pointer nil without calling it.
func decodeCurrency(d *jsontext.Decoder, p **Currency) error {
	v, err := d.ReadValue()
	if err != nil {
		return err
	}
	if v.Kind() == 'n' {
		return nil
	}
	c := new(Currency)
	if err := c.UnmarshalJSON(v); err != nil {
		return errLeftToEncodingJSON
	}
	*p = c
	return nil
}

// decodeInt64 takes null (left zero) or an integer of at most 18 digits,
// which cannot overflow; exponents, fractions and longer integers, which
// encoding/json refuses or reads, are left to it.
func decodeInt64(v []byte, dst *int64) error {
	if v[0] == 'n' {
		return nil
	}
	digits, neg := v, false
	if digits[0] == '-' {
		digits, neg = digits[1:], true
	}
	if len(digits) == 0 || len(digits) > 18 {
		return errLeftToEncodingJSON
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return errLeftToEncodingJSON
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	*dst = n
	return nil
}

// decodeString takes null (left empty) or a string.
func decodeString(v []byte, dst *string) error {
	switch v[0] {
	case 'n':
		return nil
	case '"':
		s, err := unquote(v)
		if err != nil {
			return err
		}
		*dst = s
		return nil
	}
	return errLeftToEncodingJSON
}

// decodeStringPtr takes null (nil) or a string.
func decodeStringPtr(v []byte, dst **string) error {
	if v[0] == 'n' {
		return nil
	}
	var s string
	if err := decodeString(v, &s); err != nil {
		return err
	}
	*dst = &s
	return nil
}

// unquote returns the text of the JSON string v. Without escapes and in
// valid UTF-8 it is the bytes between the quotes, as encoding/json has it.
// Escapes are read by jsontext, which agrees with encoding/json on valid
// ones; it reports an invalid surrogate or invalid UTF-8, which
// encoding/json replaces in its own way, and those are left to it.
func unquote(v []byte) (string, error) {
	in := v[1 : len(v)-1]
	if bytes.IndexByte(in, '\\') < 0 {
		if !utf8.Valid(in) {
			return "", errLeftToEncodingJSON
		}
		return string(in), nil
	}
	b, err := jsontext.AppendUnquote(nil, v)
	if err != nil {
		return "", errLeftToEncodingJSON
	}
	return string(b), nil
}

// decodeBool takes null (left false), true or false.
func decodeBool(v []byte, dst *bool) error {
	switch v[0] {
	case 'n':
	case 't':
		*dst = true
	case 'f':
		*dst = false
	default:
		return errLeftToEncodingJSON
	}
	return nil
}

// decodeBoolPtr takes null (nil), true or false.
func decodeBoolPtr(v []byte, dst **bool) error {
	switch v[0] {
	case 'n':
		return nil
	case 't', 'f':
		b := v[0] == 't'
		*dst = &b
		return nil
	}
	return errLeftToEncodingJSON
}
