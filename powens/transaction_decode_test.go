package powens

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// handDecoderEdges are arrays aimed at decodeTransaction: each shape it
// takes, refuses or must pass to encoding/json unchanged. They join the
// fuzzer's seeds through transactionArrays.
func handDecoderEdges() [][]byte {
	arrays := []string{
		// Every member null: pointers stay nil, the rest zero.
		`[{"id":null,"id_account":null,"webid":null,"application_date":null,"date":null,"datetime":null,"rdate":null,` +
			`"rdatetime":null,"vdate":null,"vdatetime":null,"value":null,"gross_value":null,"original_value":null,` +
			`"original_gross_value":null,"original_currency":null,"commission":null,"commission_currency":null,"type":null,` +
			`"original_wording":null,"simplified_wording":null,"wording":null,"coming":null,"active":null,"card":null,` +
			`"comment":null,"counterparty":null,"date_scraped":null,"deleted":null,"last_update":null}]`,
		// Every member set, whitespace everywhere JSON allows it.
		"[ \n{ \"id\" :\t5 , \"id_account\":\r\n301, \"webid\": \"w\", \"application_date\": \"2026-10-31\", \"date\": \"2026-11-02\"," +
			` "datetime": "2026-11-02 07:12:45", "rdate": "2026-10-30", "rdatetime": "2026-10-30T16:21:08Z", "vdate": "2026-11-02",` +
			` "vdatetime": "2026-11-02 00:00:00", "value": -27.63, "gross_value": "-27.63", "original_value": -31.99,` +
			` "original_gross_value": 0, "original_currency": {"id": "USD", "precision": 2, "crypto": false, "prefix": true},` +
			` "commission": -0.55, "commission_currency": "EUR", "type": "card", "original_wording": "CB GITHUB",` +
			` "simplified_wording": "", "wording": "GitHub", "coming": true, "active": false, "card": "XXXX4974", "comment": "c",` +
			` "counterparty": {"label": "L", "account_scheme_name": "iban", "account_identification": "FR76", "type": "creditor"},` +
			` "date_scraped": "2026-11-02 09:14:07", "deleted": "2026-11-03 10:00:00", "last_update": "2026-11-02 09:14:07" } ]`,
		// Unknown members, some nested deep, some repeated, some near a tag.
		`[{"bdate":null,"stemmed_wording":"x","id_category":2,"id":1,"x":[[[{"y":{"z":[null,true,"\u00e9"]}}]]],"x":{},"ids":1,"date_":2}]`,
		// Names in another case, escaped, or folded from non-ASCII.
		`[{"Id":1}]`, `[{"id":1,"ID":2}]`, `[{"ID_ACCOUNT":3,"id_account":4}]`, `[{"Value":"1.5"}]`, `[{"COUNTERPARTY":{"label":"a"}}]`,
		`[{"\u0069d":7}]`, `[{"i\u0064_account":3,"da\u0074e":"2026-01-02"}]`, `[{"laſt_update":"2026-01-01 10:00:00"}]`,
		`[{"groſs_value":1}]`, `[{"counterparty":{"LABEL":"y"}}]`, `[{"counterparty":{"l\u0061bel":"y"}}]`, `[{"idé":1,"id":2}]`,
		// Repeated members of each kind.
		`[{"value":1,"value":2}]`, `[{"wording":"a","wording":null}]`, `[{"counterparty":{"label":"a"},"counterparty":null}]`,
		`[{"original_currency":"EUR","original_currency":{"precision":2}}]`, `[{"counterparty":{"label":"x","label":"y"}}]`,
		`[{"coming":true,"coming":null}]`, `[{"id":1},{"id":2,"Id":3},{"id":4}]`,
		// Integers.
		`[{"id":123456789012345678}]`, `[{"id":999999999999999999,"id_account":-999999999999999999}]`,
		`[{"id":1234567890123456789}]`, `[{"id":-9223372036854775808}]`, `[{"id":9223372036854775807}]`, `[{"id":-0}]`,
		`[{"id":1.0}]`, `[{"id":1E2}]`, `[{"id":"5"}]`, `[{"id":true}]`, `[{"id":[]}]`, `[{"id":{}}]`, `[{"id_account":0}]`,
		// Numbers: exact text, numeric strings, odd forms.
		`[{"value":-0,"gross_value":-0.0,"commission":0e0}]`, `[{"value":1E+2,"gross_value":1e-7,"commission":-1.5E-300}]`,
		`[{"value":123456789012345678901234567890.123456789,"gross_value":0.1e400}]`,
		`[{"value":" 12.5 ","gross_value":"","commission":"abc"}]`, `[{"value":"1e5"}]`, `[{"value":"\u0031\u0032"}]`,
		`[{"value":"-12,30"}]`, `[{"value":true}]`, `[{"value":{}}]`, `[{"value":[1]}]`, `[{"original_value":"  "}]`,
		// Currencies.
		`[{"original_currency":"EUR","commission_currency":"E\u0055R"}]`, `[{"original_currency":{"id":"USD","precision":null}}]`,
		`[{"original_currency":{"id":"USD","precision":2.5}}]`, `[{"original_currency":{"ID":"usd"}}]`, `[{"original_currency":1}]`,
		`[{"commission_currency":[]}]`, `[{"original_currency":{"id":"EUR","id":"USD"}}]`, `[{"original_currency":{}}]`,
		// Counterparties.
		`[{"counterparty":{"extra":{"a":[1,{"b":null}]},"type":"creditor"}}]`, `[{"counterparty":"x"}]`, `[{"counterparty":[]}]`,
		`[{"counterparty":{"label":1}}]`, `[{"counterparty":{}}]`, `[{"counterparty":{"label":null,"type":"debtor"}}]`,
		`[{"counterparty":true}]`,
		// Strings: escapes, surrogates, invalid UTF-8, control escapes.
		`[{"original_wording":"\u00e9\u20ac\ud83d\ude00","wording":"\b\f\n\r\t\"\\\/","card":"a\u0000b"}]`,
		`[{"original_wording":"\ud800"}]`, `[{"original_wording":"\udc00\ud800"}]`, `[{"original_wording":"\ud800\u0041"}]`,
		`[{"simplified_wording":"\uFFFD\uFFFE"}]`, "[{\"type\":\"\xed\xa0\x80\"}]", "[{\"type\":\"\xc0\xaf\"}]",
		"[{\"comment\":\"line\u2028sep\"}]", `[{"type":1}]`, `[{"wording":{}}]`, `[{"card":false}]`, `[{"webid":[]}]`,
		// Datetimes: zones, fractions, the Paris gap and repeated hour, nulls in every spelling.
		`[{"last_update":"2026-03-29 02:30:00","date_scraped":"2026-10-25 02:30:00","deleted":"2026-03-01T10:00:00+02:00"}]`,
		`[{"datetime":"2026-03-01T10:00:00.123456789Z","rdatetime":"2026-03-01 10:00:00.5","vdatetime":"2026-03-01"}]`,
		`[{"datetime":"0000-00-00 00:00:00","rdatetime":"","vdatetime":" 2026-03-01 10:00:00 "}]`,
		`[{"last_update":"2026-03-01 24:00:00"}]`, `[{"last_update":123}]`, `[{"deleted":true}]`, `[{"deleted":{}}]`,
		`[{"datetime":"2026-02-29 10:00:00"}]`, `[{"datetime":"2024-02-29 10:00:00"}]`, `[{"last_update":"\u0032026-03-01 10:00:00"}]`,
		// Dates.
		`[{"date":"2026-03-01 10:00:00","rdate":"0000-00-00","vdate":""}]`, `[{"date":"2026-13-01"}]`, `[{"date":"2026-3-1"}]`,
		`[{"date":" 2026-03-01"}]`, `[{"date":20260301}]`, `[{"date":"2026-03-01garbage"}]`, `[{"application_date":"2024-02-29"}]`,
		`[{"date":"2026-03-01","rdate":"2026-03-01","vdate":"2026-03-01"},{"date":"2026-03-01","rdate":"2026-03-02"}]`,
		// Booleans.
		`[{"coming":1}]`, `[{"coming":"false"}]`, `[{"active":false,"coming":false}]`, `[{"active":0}]`, `[{"active":"true"}]`,
		// The array itself.
		`[{"id":1}, null, {"id":2}]`, `[1]`, `["x"]`, `[[]]`, `[true]`, `[{"id":1}]]`, `[{"id":1}] trailing`,
		`[{"id":1},{"id":2,}]`, `[{"id":1 "x":2}]`, `[{`, `[`, ``, `[{"id":1}{"id":2}]`, `[{"id":1},{"id":2}`,
		// Depth beyond both decoders' limit, inside an unknown member.
		`[{"id":1},{"x":` + strings.Repeat("[", 10010) + strings.Repeat("]", 10010) + `}]`,
	}
	out := make([][]byte, len(arrays))
	for i, a := range arrays {
		out[i] = []byte(a)
	}
	return out
}

// fastAgreesOrRefuses runs decodeTransactionsFast alone on raw: what it
// gives before it stops must be what encoding/json gives, and it may accept
// the whole array only where encoding/json does. It reports whether the
// fast decoder refused (returned an error).
func fastAgreesOrRefuses(t testing.TB, raw []byte) (refused bool) {
	t.Helper()
	if trimmed := bytes.TrimSpace(raw); len(trimmed) == 0 || bytes.Equal(trimmed, jsonNull) {
		return false // DecodeTransactions answers these before either decoder
	}
	want, wantErr := decodeAll(func(fn func(int, *Transaction) error) error { return decodeTransactionsV1(raw, fn) })
	var got []Transaction
	n, err := decodeTransactionsFast(bytes.NewReader(raw), func(i int, tx *Transaction) error {
		got = append(got, *tx)
		return nil
	})
	if n != len(got) || n > len(want) || n > 0 && !reflect.DeepEqual(got, want[:n]) {
		t.Fatalf("%.200q: the fast decoder gave %d transactions, encoding/json %d (error %v):\ngot  %+v\nwant %+v",
			raw, n, len(want), wantErr, got, want)
	}
	if err == nil && (wantErr != nil || n != len(want)) {
		t.Fatalf("%.200q: the fast decoder accepted %d transactions, encoding/json gave %d and error %v", raw, n, len(want), wantErr)
	}
	return err != nil
}

func TestDecodeTransaction_AgreesOrRefuses(t *testing.T) {
	for _, raw := range transactionArrays(t) {
		fastAgreesOrRefuses(t, raw)
	}
}

// TestDecodeTransaction_TakesPowensShapes: the documented shapes are taken
// by the hand decoder itself, not left to encoding/json, or the speed is
// lost where it counts.
func TestDecodeTransaction_TakesPowensShapes(t *testing.T) {
	for _, name := range []string{"connection-synced.json", "connection-synced-older.json", "account-synced.json", "transactions-page.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", "contract", name))
		if err != nil {
			t.Fatal(err)
		}
		arrays := transactionsIn(body)
		if len(arrays) == 0 {
			t.Fatalf("%s: no transactions", name)
		}
		for _, raw := range arrays {
			if fastAgreesOrRefuses(t, raw) {
				t.Errorf("%s: the hand decoder refused %.200s", name, raw)
			}
		}
	}
}
