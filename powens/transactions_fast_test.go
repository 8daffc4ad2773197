package powens

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// decodeAll collects what a transactions decoder gives, and its error.
func decodeAll(decode func(fn func(int, *Transaction) error) error) ([]Transaction, error) {
	var out []Transaction
	err := decode(func(i int, t *Transaction) error {
		if i != len(out) {
			return errors.New("transactions given out of order or twice")
		}
		out = append(out, *t)
		return nil
	})
	return out, err
}

// sameAsEncodingJSON checks DecodeTransactions and DecodeTransactionsAt
// against encoding/json alone (decodeTransactionsV1), the oracle: the same
// transactions, the same error text.
func sameAsEncodingJSON(t *testing.T, raw []byte) {
	t.Helper()
	want, wantErr := decodeAll(func(fn func(int, *Transaction) error) error {
		raw := bytes.TrimSpace(raw)
		if len(raw) == 0 || bytes.Equal(raw, jsonNull) {
			return nil
		}
		return decodeTransactionsV1(raw, fn)
	})
	got, gotErr := decodeAll(func(fn func(int, *Transaction) error) error { return DecodeTransactions(raw, fn) })
	if !reflect.DeepEqual(got, want) || errText(gotErr) != errText(wantErr) {
		t.Fatalf("%.200q:\nDecodeTransactions %d transactions, error %v\nencoding/json      %d transactions, error %v\ngot  %+v\nwant %+v",
			raw, len(got), gotErr, len(want), wantErr, got, want)
	}
	// The same array at a section of a body, after its member's name.
	body := append([]byte(`{"transactions":`), raw...)
	sec := Section{Off: int64(len(`{"transactions"`)), Len: int64(len(body) - len(`{"transactions"`))}
	got, gotErr = decodeAll(func(fn func(int, *Transaction) error) error {
		return DecodeTransactionsAt(bytes.NewReader(body), sec, fn)
	})
	want, wantErr = decodeAll(func(fn func(int, *Transaction) error) error {
		return decodeSectionV1(bytes.NewReader(body), sec, fn)
	})
	if !reflect.DeepEqual(got, want) || errText(gotErr) != errText(wantErr) {
		t.Fatalf("%.200q at a section:\nDecodeTransactionsAt %d transactions, error %v\nencoding/json        %d, error %v",
			raw, len(got), gotErr, len(want), wantErr)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// transactionArrays are arrays from the contract's payloads and the
// shapes where two JSON decoders may part: names in another case or
// repeated, escapes, invalid UTF-8, nulls, wrong types, odd numbers.
func transactionArrays(t testing.TB) [][]byte {
	arrays := [][]byte{
		[]byte(`[]`), []byte(`null`), []byte(` [ ] `),
		[]byte(`[{"id":1,"ID":2,"Value":"12.5","value":3}]`),
		[]byte(`[{"id":1,"id":2,"counterparty":{"label":"a"},"counterparty":{"type":"b"}}]`),
		[]byte(`[{"id":1,"original_wording":"caf\u00e9 \ud83c\udf55 \"q\" \\ \/","wording":"\ud800 lone"}]`),
		[]byte("[{\"id\":1,\"original_wording\":\"bad \xff\xfe bytes \xc3\"}]"),
		[]byte(`[null,{"id":2},null]`),
		[]byte(`[{"id":"1"}]`), []byte(`[{"id":1.5}]`), []byte(`[{"id":1e3}]`), []byte(`[{"id":-0}]`),
		[]byte(`[{"id":9223372036854775808}]`), []byte(`[{"coming":"true"}]`), []byte(`[{"coming":null,"active":null}]`),
		[]byte(`[{"value":1.005,"gross_value":"-3,50","commission":null,"original_value":1e400}]`),
		[]byte(`[{"date":"2026-02-30"}]`), []byte(`[{"date":"2026-03-01","rdate":null,"vdate":"0000-00-00"}]`),
		[]byte(`[{"datetime":"2026-03-01T10:00:00Z","last_update":"2026-03-01 10:00:00","deleted":"x"}]`),
		[]byte(`[{"original_currency":{"id":"USD","precision":2},"commission_currency":"EUR"}]`),
		[]byte(`[{"id":1,"unknown":{"deep":[1,2,{"x":null}]},"type":"card"},{"id":2}]`),
		[]byte(`[{"id":1},]`), []byte(`[{"id":1}`), []byte(`[{"id":1} {"id":2}]`), []byte(`{"id":1}`), []byte(`"x"`),
		[]byte(`[{"id":1},{"id":"two"},{"id":3}]`), []byte(`[{"id":1},{"value":[1]},{"id":3}]`),
		[]byte(`[{"webid":123}]`), []byte(`[{"card":"1234","comment":null,"wording":null}]`),
		[]byte(`[{"counterparty":null},{"counterparty":{"label":null,"account_scheme_name":"iban"}}]`),
	}
	arrays = append(arrays, handDecoderEdges()...)
	for _, name := range []string{"connection-synced.json", "connection-synced-older.json", "account-synced.json", "transactions-page.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", "contract", name))
		if err != nil {
			t.Fatal(err)
		}
		arrays = append(arrays, transactionsIn(body)...)
	}
	return arrays
}

// transactionsIn finds every "transactions" array of a body.
func transactionsIn(body []byte) [][]byte {
	var out [][]byte
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "transactions" {
					b, _ := json.Marshal(x)
					out = append(out, b)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		walk(v)
	}
	return out
}

func TestDecodeTransactions_SameAsEncodingJSON(t *testing.T) {
	arrays := transactionArrays(t)
	if len(arrays) < 35 {
		t.Fatalf("only %d arrays: the contract's payloads lost their transactions?", len(arrays))
	}
	for _, raw := range arrays {
		sameAsEncodingJSON(t, raw)
	}
}

// TestDecodeTransactions_StopsOnCallbackError: fn's error comes back as it
// is, and no transaction is given after it, nor any twice.
func TestDecodeTransactions_StopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	raw := []byte(`[{"id":1},{"id":2},{"id":"bad"},{"id":4}]`)
	var ids []int64
	err := DecodeTransactions(raw, func(i int, tx *Transaction) error {
		ids = append(ids, tx.ID)
		if tx.ID == 2 {
			return stop
		}
		return nil
	})
	if err != stop || !reflect.DeepEqual(ids, []int64{1, 2}) {
		t.Fatalf("ids %v, error %v; want [1 2], stop", ids, err)
	}
	// A refused array gives the transactions before the fault once, then
	// the error naming the member.
	ids = nil
	err = DecodeTransactions(raw, func(i int, tx *Transaction) error { ids = append(ids, tx.ID); return nil })
	if err == nil || !reflect.DeepEqual(ids, []int64{1, 2}) {
		t.Fatalf("ids %v, error %v; want [1 2] and an error", ids, err)
	}
	if got, want := err.Error(), "transactions[2].id: json: cannot unmarshal string into Go struct field Transaction.id of type int64"; got != want {
		t.Fatalf("error %q, want %q", got, want)
	}
}

func FuzzDecodeTransactions(f *testing.F) {
	for _, raw := range transactionArrays(f) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		sameAsEncodingJSON(t, raw)
		fastAgreesOrRefuses(t, raw)
	})
}
