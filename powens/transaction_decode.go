package powens

import (
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
// rules (nulls, numeric strings, exact decimals, zones) exist once; only a
// bare number's text is kept without it, as it would keep it (decodeNumber).

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

// decodeTransaction decodes the next value of x.d, an object or null, into
// t, which must be zero: encoding/json decodes each element into a new
// Transaction, and the nulls below leave fields as they are, i.e. zero.
func (x *txDecoder) decodeTransaction(t *Transaction) error {
	return decodeObject(x.d, txField, func(f int) error { return x.decodeTransactionField(t, f) })
}

// decodeObject reads the next value of d, null (nothing) or an object,
// calling member with the number field gives each known member's name
// while the member's value is next in d; unknown members are skipped. A
// repeated member is left to encoding/json, which merges or overwrites it
// depending on its type: not worth mimicking.
func decodeObject(d *jsontext.Decoder, field func([]byte) int, member func(f int) error) error {
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
	var seen uint32 // txFields and cpFields are below 32
	for d.PeekKind() != '}' {
		raw, err := d.ReadValue()
		if err != nil {
			return err
		}
		f, err := memberName(raw, field)
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
		if err := member(f); err != nil {
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
