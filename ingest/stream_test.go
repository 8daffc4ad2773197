package ingest_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// expectedTotals is the oracle: encoding/json over the whole body, and
// math/big for the amounts (EUR, two decimals).
func expectedTotals(t *testing.T, body []byte) (count int64, sumMinor int64) {
	t.Helper()
	var p struct {
		Connection struct {
			Accounts []struct {
				Currency struct {
					ID string `json:"id"`
				} `json:"currency"`
				Transactions []struct {
					Value json.Number `json:"value"`
				} `json:"transactions"`
			} `json:"accounts"`
		} `json:"connection"`
	}
	d := json.NewDecoder(strings.NewReader(string(body)))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		t.Fatal(err)
	}
	sum := new(big.Rat)
	for _, a := range p.Connection.Accounts {
		if a.Currency.ID != "EUR" {
			t.Fatalf("account currency %q; the oracle knows EUR only", a.Currency.ID)
		}
		for _, tx := range a.Transactions {
			v, ok := new(big.Rat).SetString(tx.Value.String())
			if !ok {
				t.Fatalf("value %q", tx.Value)
			}
			sum.Add(sum, v.Mul(v, big.NewRat(100, 1)))
			count++
		}
	}
	if !sum.IsInt() {
		t.Fatalf("sum %s has sub-cent digits", sum.FloatString(4))
	}
	return count, sum.Num().Int64()
}

// TestIngest_LargeBodyStreamed: a body above the streaming threshold is
// processed from its file — the spool handed over by the instance that
// received it, or the inbox's chunks read by another instance — and stores
// exactly the transactions encoding/json finds in it, no fewer, none twice.
func TestIngest_LargeBodyStreamed(t *testing.T) {
	testenv.SkipIfShort(t, "large payload")
	url := storetest.MigratedURL(t, store.SQLite)
	open := func() *store.Store {
		// Streamed above 1 MiB rather than the default 16: the path is the
		// same, and a 17 MiB body cost minutes under -race on a loaded machine.
		s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(t), StreamBodyBytes: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	receiver, other := open(), open()
	for _, tc := range []struct {
		name       string
		powensUser int64
		worker     *store.Store
	}{{"spool handed over", 41, receiver}, {"inbox read by another instance", 42, other}} {
		t.Run(tc.name, func(t *testing.T) {
			u := mustUser(t, receiver, "u"+itoa(int(tc.powensUser))+"@example.com", tc.powensUser)
			body := powenstest.Synced{WebhookDataID: tc.powensUser, PowensUserID: tc.powensUser, ConnectionID: tc.powensUser,
				Accounts: 10, TransactionsPerAccount: 60, FirstTransactionID: tc.powensUser * 1_000_000, Seed: 5}.Bytes()
			// Above the threshold, over several 1 MiB chunks of the inbox,
			// with few transactions (quick under -race): each carries an
			// unknown member of 6 KB, which the decoder skips.
			pad := `"id_account": `
			body = bytes.ReplaceAll(body, []byte(pad), []byte(`"freenahi_test_pad": "`+strings.Repeat(`x]\"{`, 1500)+`", `+pad))
			if len(body) <= 3<<20 {
				t.Fatalf("body of %d bytes, want above three chunks of the inbox and the 1 MiB streaming threshold", len(body))
			}
			f, err := os.CreateTemp(t.TempDir(), "spool")
			if err != nil {
				t.Fatal(err)
			}
			f.Write(body)
			pid := tc.powensUser
			if _, err := receiver.ReceiveEvent(ctx, &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "wd:" + itoa(int(tc.powensUser)),
				PowensUserID: &pid, Auth: freenahi.AuthHMAC, BodyFile: f, BodySize: int64(len(body))}); err != nil {
				t.Fatal(err)
			}
			if n, err := (&ingest.Worker{Inbox: tc.worker, MaxAttempts: 1, EventTimeout: 10 * time.Minute}).Drain(ctx); err != nil || n != 1 {
				t.Fatalf("drained %d events, err %v; want 1", n, err)
			}
			db, err := sql.Open(store.SQLiteDriver, strings.TrimPrefix(url, "sqlite:"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var count, sum int64
			if err := db.QueryRow(`SELECT count(*), coalesce(sum(value_minor), 0) FROM transactions WHERE user_id = ?`, u.ID).Scan(&count, &sum); err != nil {
				t.Fatal(err)
			}
			wantCount, wantSum := expectedTotals(t, body)
			if count != wantCount || sum != wantSum {
				t.Fatalf("stored %d transactions summing to %d cents, want %d and %d", count, sum, wantCount, wantSum)
			}
		})
	}
}
