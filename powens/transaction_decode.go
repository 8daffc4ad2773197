package powens

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// A transaction is decoded by hand from the jsontext tokens (issue 15):
// go-json-experiment's reflection cost more than the parsing itself. The
// hand decoder only takes the canonical path, where its result is plainly
// encoding/json's: names spelt exactly as the tags, each once, values of the
// fields' own JSON types, strings whose unescaping cannot differ. Anything
// else is refused with errLeftToEncodingJSON, and decodeOrFallBack has
// encoding/json decode the array from that transaction on, so a refusal
// costs time, never a difference (FuzzDecodeTransactions checks both).
//
// Number, Date, Time, UTCTime and Currency are given the value's raw bytes
// through their own UnmarshalJSON, as encoding/json gives them, so their
// rules (nulls, numeric strings, exact decimals, zones) exist once.

// errLeftToEncodingJSON is the hand decoder's refusal: not an error in the
// input, a shape it leaves to encoding/json.
var errLeftToEncodingJSON = errors.New("powens: transaction left to encoding/json")

// Transaction's members, numbered for the duplicate check.
const (
	txID = iota
	txIDAccount
	txWebid
	txApplicationDate
	txDate
	txDatetime
	txRDate
	txRDatetime
	txVDate
	txVDatetime
	txValue
	txGrossValue
	txOriginalValue
	txOriginalGrossValue
	txOriginalCurrency
	txCommission
	txCommissionCurrency
	txType
	txOriginalWording
	txSimplifiedWording
	txWording
	txComing
	txActive
	txCard
	txComment
	txCounterparty
	txDateScraped
	txDeleted
	txLastUpdate
	txFields
)

// txField returns the member number of a name spelt exactly as a tag, or -1.
func txField(name []byte) int {
	switch string(name) {
	case "id":
		return txID
	case "id_account":
		return txIDAccount
	case "webid":
		return txWebid
	case "application_date":
		return txApplicationDate
	case "date":
		return txDate
	case "datetime":
		return txDatetime
	case "rdate":
		return txRDate
	case "rdatetime":
		return txRDatetime
	case "vdate":
		return txVDate
	case "vdatetime":
		return txVDatetime
	case "value":
		return txValue
	case "gross_value":
		return txGrossValue
	case "original_value":
		return txOriginalValue
	case "original_gross_value":
		return txOriginalGrossValue
	case "original_currency":
		return txOriginalCurrency
	case "commission":
		return txCommission
	case "commission_currency":
		return txCommissionCurrency
	case "type":
		return txType
	case "original_wording":
		return txOriginalWording
	case "simplified_wording":
		return txSimplifiedWording
	case "wording":
		return txWording
	case "coming":
		return txComing
	case "active":
		return txActive
	case "card":
		return txCard
	case "comment":
		return txComment
	case "counterparty":
		return txCounterparty
	case "date_scraped":
		return txDateScraped
	case "deleted":
		return txDeleted
	case "last_update":
		return txLastUpdate
	}
	return -1
}

// txDecoder decodes the transactions of one array. A payload repeats its
// dates and datetimes (date, rdate and vdate often the same day, the sync's
// last_update on every transaction), so it keeps the last one of each type
// with what UnmarshalJSON made of it, and the same bytes are not parsed
// again.
type txDecoder struct {
	d    *jsontext.Decoder
	date lastParsed[Date]
	time lastParsed[Time]
	utc  lastParsed[UTCTime]
}

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

// decodeTransaction decodes the next value of x.d, an object or null, into
// t, which must be zero: encoding/json decodes each element into a new
// Transaction, and the nulls below leave fields as they are, i.e. zero.
func (x *txDecoder) decodeTransaction(t *Transaction) error {
	d := x.d
	switch d.PeekKind() {
	case 'n':
		_, err := d.ReadValue() // encoding/json leaves t zero
		return err
	case '{':
	default:
		return errLeftToEncodingJSON
	}
	if _, err := d.ReadToken(); err != nil {
		return err
	}
	var seen uint32
	for d.PeekKind() != '}' {
		raw, err := d.ReadValue()
		if err != nil {
			return err
		}
		f, err := memberName(raw, txField)
		if err != nil {
			return err
		}
		if f < 0 {
			if err := d.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if seen&(1<<f) != 0 {
			// encoding/json merges or overwrites a repeated member,
			// depending on its type: not worth mimicking.
			return errLeftToEncodingJSON
		}
		seen |= 1 << f
		if err := x.decodeTransactionField(t, f); err != nil {
			return err
		}
	}
	_, err := d.ReadToken()
	return err
}

// memberName returns the member number lookup gives the raw name, -1 for
// an unknown name, or a refusal for a name encoding/json might still match
// to a field: escaped, in another case, or not ASCII (Unicode folding
// takes "ſ" for "s" and the Kelvin sign for "k"). The tags are lower case,
// so an ASCII name matches one but for case when its lower case does.
func memberName(raw []byte, lookup func([]byte) int) (int, error) {
	name := raw[1 : len(raw)-1]
	if f := lookup(name); f >= 0 {
		return f, nil
	}
	var buf [32]byte // longer than every tag
	lower := buf[:0]
	for _, c := range name {
		switch {
		case c == '\\' || c >= utf8.RuneSelf:
			return 0, errLeftToEncodingJSON
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if len(lower) < len(buf) {
			lower = append(lower, c)
		}
	}
	if len(name) <= len(buf) && lookup(lower) >= 0 {
		return 0, errLeftToEncodingJSON
	}
	return -1, nil
}

// decodeTransactionField decodes the value of member f into t.
func (x *txDecoder) decodeTransactionField(t *Transaction, f int) error {
	d := x.d
	switch f {
	case txCounterparty:
		return decodeCounterparty(d, &t.Counterparty)
	case txOriginalCurrency:
		return decodeCurrency(d, &t.OriginalCurrency)
	case txCommissionCurrency:
		return decodeCurrency(d, &t.CommissionCurrency)
	}
	v, err := d.ReadValue()
	if err != nil {
		return err
	}
	switch f {
	case txID:
		return decodeInt64(v, &t.ID)
	case txIDAccount:
		return decodeInt64(v, &t.IDAccount)
	case txWebid:
		return decodeStringPtr(v, &t.Webid)
	case txApplicationDate:
		return unmarshalCached(&x.date, v, &t.ApplicationDate)
	case txDate:
		return unmarshalCached(&x.date, v, &t.Date)
	case txDatetime:
		return unmarshalCached(&x.utc, v, &t.Datetime)
	case txRDate:
		return unmarshalCached(&x.date, v, &t.RDate)
	case txRDatetime:
		return unmarshalCached(&x.utc, v, &t.RDatetime)
	case txVDate:
		return unmarshalCached(&x.date, v, &t.VDate)
	case txVDatetime:
		return unmarshalCached(&x.utc, v, &t.VDatetime)
	case txValue:
		return decodeNumber(v, &t.Value)
	case txGrossValue:
		return decodeNumber(v, &t.GrossValue)
	case txOriginalValue:
		return decodeNumber(v, &t.OriginalValue)
	case txOriginalGrossValue:
		return decodeNumber(v, &t.OriginalGrossValue)
	case txCommission:
		return decodeNumber(v, &t.Commission)
	case txType:
		return decodeString(v, &t.Type)
	case txOriginalWording:
		return decodeString(v, &t.OriginalWording)
	case txSimplifiedWording:
		return decodeString(v, &t.SimplifiedWording)
	case txWording:
		return decodeStringPtr(v, &t.Wording)
	case txComing:
		return decodeBool(v, &t.Coming)
	case txActive:
		return decodeBoolPtr(v, &t.Active)
	case txCard:
		return decodeStringPtr(v, &t.Card)
	case txComment:
		return decodeStringPtr(v, &t.Comment)
	case txDateScraped:
		return unmarshalCached(&x.time, v, &t.DateScraped)
	case txDeleted:
		return unmarshalCached(&x.time, v, &t.Deleted)
	case txLastUpdate:
		return unmarshalCached(&x.time, v, &t.LastUpdate)
	}
	return errLeftToEncodingJSON // unreachable: every member is above
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
	switch d.PeekKind() {
	case 'n':
		_, err := d.ReadValue()
		return err
	case '{':
	default:
		return errLeftToEncodingJSON
	}
	if _, err := d.ReadToken(); err != nil {
		return err
	}
	c := new(Counterparty)
	var seen uint8
	for d.PeekKind() != '}' {
		raw, err := d.ReadValue()
		if err != nil {
			return err
		}
		f, err := memberName(raw, cpField)
		if err != nil {
			return err
		}
		if f < 0 {
			if err := d.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if seen&(1<<f) != 0 {
			return errLeftToEncodingJSON
		}
		seen |= 1 << f
		v, err := d.ReadValue()
		if err != nil {
			return err
		}
		dst := [cpFields]**string{&c.Label, &c.AccountSchemeName, &c.AccountIdentification, &c.Type}[f]
		if err := decodeStringPtr(v, dst); err != nil {
			return err
		}
	}
	if _, err := d.ReadToken(); err != nil {
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
	switch v[0] {
	case 'n':
		return nil
	case '"':
		s, err := unquote(v)
		if err != nil {
			return err
		}
		*dst = &s
		return nil
	}
	return errLeftToEncodingJSON
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
