package powens

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
	"testing/iotest"
)

// wholeBody is the oracle: encoding/json over the whole body in memory,
// transactions and all.
type wholeBody struct {
	ConnectionSynced
	Connection *struct {
		Accounts []struct {
			Transactions []Transaction `json:"transactions"`
		} `json:"accounts"`
	} `json:"connection"`
}

// streamed decodes body as ConnectionSyncedFrom and DecodeTransactionsAt
// do; ok false when the scan leaves the body to the whole-body path.
func streamed(body []byte) (p *ConnectionSynced, txs [][]Transaction, ok bool, err error) {
	b, ok, err := ConnectionSyncedFrom(iotest.OneByteReader(bytes.NewReader(body)))
	if err != nil || !ok {
		return nil, nil, ok, err
	}
	if b.Synced.Connection != nil {
		for i := range b.Synced.Connection.Accounts {
			var got []Transaction
			collect := func(_ int, t *Transaction) error { got = append(got, *t); return nil }
			if sec := b.Arrays[i]; sec.Len > 0 {
				err = DecodeTransactionsAt(bytes.NewReader(body), sec, collect)
			} else {
				err = DecodeTransactions(b.Synced.Connection.Accounts[i].Transactions, collect)
			}
			if err != nil {
				return nil, nil, true, err
			}
			txs = append(txs, got)
			b.Synced.Connection.Accounts[i].Transactions = nil
		}
	}
	return b.Synced, txs, true, nil
}

// checkStreamed compares the streaming decode of body with the oracle's;
// it reports whether the body was decoded (ok and valid).
func checkStreamed(t *testing.T, body []byte) bool {
	t.Helper()
	got, gotTxs, ok, err := streamed(body)
	if !ok {
		return false
	}
	var want wholeBody
	wantErr := json.Unmarshal(body, &want)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("body %.300q: streamed err %v, encoding/json err %v", body, err, wantErr)
	}
	if err != nil {
		return false
	}
	var wantSynced ConnectionSynced
	if err := json.Unmarshal(body, &wantSynced); err != nil {
		t.Fatal(err)
	}
	var wantTxs [][]Transaction
	if want.Connection != nil {
		for i := range wantSynced.Connection.Accounts {
			wantTxs = append(wantTxs, want.Connection.Accounts[i].Transactions)
			wantSynced.Connection.Accounts[i].Transactions = nil
		}
	}
	if !reflect.DeepEqual(got, &wantSynced) {
		t.Fatalf("body %.300q: streamed connection\n%+v\nencoding/json\n%+v", body, got.Connection, wantSynced.Connection)
	}
	if len(gotTxs) != len(wantTxs) {
		t.Fatalf("body %.300q: %d accounts of transactions streamed, %d by encoding/json", body, len(gotTxs), len(wantTxs))
	}
	for i := range wantTxs {
		if len(gotTxs[i]) != len(wantTxs[i]) || (len(wantTxs[i]) > 0 && !reflect.DeepEqual(gotTxs[i], wantTxs[i])) {
			t.Fatalf("body %.300q: account %d: streamed\n%+v\nencoding/json\n%+v", body, i, gotTxs[i], wantTxs[i])
		}
	}
	return true
}

// A hand-written body with nulls, unknown members at every level (some
// named like the ones looked for), strings holding brackets and quotes.
const handWritten = `{
  "id_webhook_data": 12, "unknown_root": {"transactions": [{"id": 99}]},
  "user": {"id": 42, "extra": null},
  "connection": {
    "id": 7, "id_user": 42, "state": null, "unknown": [{"accounts": [{"transactions": [1]}]}],
    "accounts": [
      {"id": 1, "currency": {"id": "EUR"}, "balance": 10.5, "transactions": [
        {"id": 101, "id_account": 1, "date": "2026-01-02", "value": -12.34, "wording": "CB \"]}[{\" SHOP",
         "original_wording": "a]b", "counterparty": null, "unknown": {"x": [1, {"y": null}]}, "card": null},
        {"id": 102, "id_account": 1, "date": "2026-01-03", "value": 1000, "wording": null, "coming": true, "new_field": "z"}
      ], "unknown_after": "]"},
      {"id": 2, "transactions": null},
      {"id": 3},
      {"id": 4, "transactions": [ ]},
      {"id": 5, "transactions": [{"id": 501, "value": null, "date": null}], "loan": null}
    ],
    "after_accounts": {"transactions": []}
  }
}`

func TestConnectionSyncedFrom_SameAsWholeBody(t *testing.T) {
	if !checkStreamed(t, []byte(handWritten)) {
		t.Fatal("the hand-written body was not decoded")
	}
	// And the values themselves, written by hand.
	p, txs, _, _ := streamed([]byte(handWritten))
	if *p.IDWebhookData != 12 || p.Connection.ID != 7 || len(p.Connection.Accounts) != 5 {
		t.Fatalf("envelope %+v", p)
	}
	if len(txs) != 5 || len(txs[0]) != 2 || len(txs[1]) != 0 || len(txs[2]) != 0 || len(txs[3]) != 0 || len(txs[4]) != 1 {
		t.Fatalf("transactions per account %d, want 2 0 0 0 1", len(txs))
	}
	if tx := txs[0][0]; tx.ID != 101 || *tx.Wording != `CB "]}[{" SHOP` || tx.OriginalWording != "a]b" || tx.Counterparty != nil {
		t.Fatalf("first transaction %+v", tx)
	}
	if tx := txs[0][1]; tx.ID != 102 || tx.Wording != nil || !tx.Coming {
		t.Fatalf("second transaction %+v", tx)
	}
	if tx := txs[4][0]; tx.ID != 501 || tx.Value.Valid() {
		t.Fatalf("null value decoded as %+v", tx.Value)
	}
	for _, s := range []string{
		`{}`, `{"connection": null}`, `{"connection": {"accounts": null}}`, `{"connection": {"accounts": []}}`,
		`{"connection": {"id": 1, "accounts": [{"transactions": 5}]}}`,                      // not an array: refused by both
		`{"connection": {"id": 1, "accounts": [{"transactions": [{"id": "x"}]}]}}`,          // wrong type
		`{"connection": {"id": 1, "accounts": [{"transactions": [{"id": 1}, ]}]}}`,          // invalid
		`{"connection": {"id": 1, "accounts": [{"id": 2, "transactions": [{"id": 1}]}]}} x`, // trailing
		`{"connection": {"id": 1, "accounts": [{"id": 2}, 3]}}`,
		`[]`, `null`,
	} {
		checkStreamed(t, []byte(s))
	}
}

// Escaped or repeated names are left to the whole-body path.
func TestConnectionSyncedFrom_Unusual(t *testing.T) {
	for _, s := range []string{
		`{"connection": {"accounts": [{"tr\u0061nsactions": [{"id": 1}]}]}}`,
		`{"connection": {"accounts": [{"transactions": [{"id": 1}], "transactions": [{"id": 2}]}]}}`,
		`{"connection": {"id": 1}, "connection": {"id": 2}}`,
	} {
		if _, _, ok, err := streamed([]byte(s)); ok || err != nil {
			t.Errorf("%s: ok=%v err=%v, want left to the whole-body path", s, ok, err)
		}
	}
}

func TestConnectionSyncedFrom_Fixture(t *testing.T) {
	body, err := os.ReadFile("../ingest/testdata/connection_synced.json")
	if err != nil {
		t.Fatal(err)
	}
	if !checkStreamed(t, body) {
		t.Fatal("the fixture was not decoded")
	}
}

// An array that does not decode is reported as the whole-body path does,
// naming the transaction and its member.
func TestDecodeTransactionsAt_ErrorNamesTheMember(t *testing.T) {
	body := []byte(`{"connection": {"id": 1, "accounts": [{"id": 2, "transactions": [{"id": 1}, {"id": 2, "value": "abc"}]}]}}`)
	_, _, _, err := streamed(body)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("transactions[1].value")) {
		t.Fatalf("err %v, want it to name transactions[1].value", err)
	}
}

func FuzzConnectionSyncedFrom(f *testing.F) {
	f.Add([]byte(handWritten))
	if b, err := os.ReadFile("../ingest/testdata/connection_synced.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"connection": {"accounts": [{"transactions": []}, {"transactions": [{"x": "]"}]}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(bytes.TrimSpace(body)) == 0 {
			return
		}
		checkStreamed(t, body)
	})
}

// TestConnectionSyncedFrom_Mutations runs the fuzz target's check on
// thousands of byte-level mutations of the hand-written body, so that the
// comparison with encoding/json covers broken and odd bodies on every run,
// not only under -fuzz.
func TestConnectionSyncedFrom_Mutations(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 5))
	const alphabet = `{}[]:,"\ 0123456789.-eEtrufalsn` + "\xff\t\n"
	decoded := 0
	for range 3000 {
		b := []byte(handWritten)
		for range 1 + r.IntN(3) {
			i := r.IntN(len(b))
			switch r.IntN(3) {
			case 0:
				b[i] = alphabet[r.IntN(len(alphabet))]
			case 1:
				b = append(b[:i], b[i+1:]...)
			default:
				b = append(b[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, b[i:]...)...)
			}
		}
		if checkStreamed(t, b) {
			decoded++
		}
		checkEnvelopeFrom(t, b)
	}
	// Not only refusals: many mutations still decode (a string changed, say).
	if decoded < 300 {
		t.Fatalf("only %d of 3000 mutated bodies decoded; the check compares too little", decoded)
	}
	t.Logf("%d of 3000 mutated bodies decoded, the others refused by both", decoded)
}
