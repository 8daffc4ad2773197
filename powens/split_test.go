package powens

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// standardDecode is what DecodeConnectionSynced must match: plain encoding/json.
func standardDecode(body []byte) (*ConnectionSynced, error) {
	var p ConnectionSynced
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

func checkSplit(t *testing.T, body []byte) {
	want, wantErr := standardDecode(body)
	got, gotErr := DecodeConnectionSynced(body)
	if (wantErr == nil) != (gotErr == nil) {
		// The fast path validates transaction arrays later, when they are
		// decoded one by one; an error there is also an error here.
		if wantErr != nil && gotErr == nil && got.Connection != nil {
			for _, a := range got.Connection.Accounts {
				if err := DecodeTransactions(a.Transactions, func(int, *Transaction) error { return nil }); err != nil {
					return
				}
			}
		}
		t.Fatalf("standard err=%v, split err=%v\nbody: %q", wantErr, gotErr, body)
	}
	if wantErr != nil {
		return
	}
	raw := func(m json.RawMessage) string { return string(bytes.TrimSpace(m)) }
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b json.RawMessage) bool { return raw(a) == raw(b) }),
		cmp.AllowUnexported(Number{}, Time{}, UTCTime{}, Date{})); diff != "" {
		t.Fatalf("split decode differs (-standard +split):\n%s\nbody: %q", diff, body)
	}
}

func TestDecodeConnectionSynced(t *testing.T) {
	fixture, err := os.ReadFile("../ingest/testdata/connection_synced.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, raws, ok := splitTransactions(fixture); !ok || len(raws) != 4 {
		t.Fatalf("fixture not split: ok=%v raws=%d", ok, len(raws))
	}
	for _, body := range []string{
		string(fixture),
		`{"connection": {"id": 1, "accounts": [{"id": 2, "transactions": [{"id": 3, "original_wording": "a ] } \" [ {"}]}, {"transactions": []}]}}`,
		`{"connection": {"accounts": [{"transactions": [1, 2]}, {"id": 5}]}}`,
		`{"connection": {"accounts": [{"transactions": [], "transactions": [{"id": 1}]}]}}`,
		`{"connection": {"accounts": [{"tr\u0061nsactions": [{"id": 1}]}]}}`,
		`{"connection": {"accounts": [{"transactions": [{"id": 1}]}]}, "connection": null}`,
		`{"connection": {"accounts": [{"transactions": [{"id": 1}}]}}`,
		`{"connection": {"accounts": [{"transactions": "nope"}]}}`,
		`{"connection": {"accounts": {"transactions": [1]}}}`,
		`{"user": {"accounts": [{"transactions": [1]}]}}`,
		`[1, 2]`, `{`, `{"connection": {"accounts": [{"transactions": [`, ``,
	} {
		checkSplit(t, []byte(body))
	}
}

func FuzzSplitTransactions(f *testing.F) {
	if fixture, err := os.ReadFile("../ingest/testdata/connection_synced.json"); err == nil {
		f.Add(fixture)
	}
	f.Add([]byte(`{"connection": {"accounts": [{"transactions": [{"id": 1, "value": -1.5}]}]}}`))
	f.Add([]byte(`{"connection": {"accounts": [{"transactions": []}, {"transactions": [{"x": "]"}]}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkSplit(t, body)
	})
}
