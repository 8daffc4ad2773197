package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/archive"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/google/go-cmp/cmp"
)

// mustSeedAll writes rows into every table through the store's own paths:
// two users with sealed Powens tokens, banks with every kind of row,
// transactions, an Inqom ledger with a sent file, sealed Inqom credentials,
// sessions, API tokens, jobs, refusals and an unmatched event.
func mustSeedAll(tb testing.TB, s *store.Store, clk *clock) {
	tb.Helper()
	l := mustLedger(tb, s, clk, "ana@example.com", 1)
	mustSeedEverything(tb, s, l.b)
	mustSeedTransactions(tb, s, l.b, 3)
	l.write(tb, ptr(int64(123456)), tx(9001, "2026-02-10", -4500), tx(9002, "2026-02-11", 123456789012))
	b, err := l.freeze(10)
	if err != nil {
		tb.Fatal(err)
	}
	l.mustSend(tb, b)
	bob := MustSeedBank(tb, s, MustCreateUser(tb, s, "bob@example.com", 2))
	mustSeedTransactions(tb, s, bob, 4)
	if err := s.SaveInqomCredentials(ctx, &freenahi.InqomCredentials{UserID: bob.user.ID, Username: "compta@firm.fr", Password: "pa55",
		ClientID: "cid", ClientSecret: "cs"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.CreateSession(ctx, l.b.user.ID, time.Hour, 24*time.Hour); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.CreateAPIToken(ctx, bob.user.ID, "laptop"); err != nil {
		tb.Fatal(err)
	}
	mustSeedAccountSecurity(tb, s, l.b.user.ID, bob.user.ID)
	if err := s.CreateJob(ctx, &freenahi.Job{UserID: bob.user.ID, Kind: "test", Payload: []byte(`{"x":"é"}`), Deadline: t0.Add(time.Hour)}, 3); err != nil {
		tb.Fatal(err)
	}
	if err := s.RecordRefusals(ctx, []freenahi.WebhookRefusal{{Hour: t0.Truncate(time.Hour), Event: "connection_synced", Reason: "signature",
		Count: 3, LastAt: t0, LastDetail: "bad signature"}}); err != nil {
		tb.Fatal(err)
	}
	mustReceive(tb, s, "connection_synced", "unmatched-1", 99)
	low, err := freenahi.ParseDecimal("150.50")
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.SaveNotificationPrefs(ctx, &freenahi.NotificationPrefs{UserID: bob.user.ID, Language: "fr", Email: true,
		WebhookURL: "https://ntfy.example/topic?token=secret", WebhookFormat: freenahi.WebhookFormatNtfy, LowBalance: &low}); err != nil {
		tb.Fatal(err)
	}
	if err := s.AddNotification(ctx, &freenahi.Notification{UserID: bob.user.ID, Kind: freenahi.NotifyConnectionAction,
		DedupKey: "connection_action:1:2026-03-02", Subject: "Votre banque a besoin de vous", Body: "Réparez la connexion.",
		Link: "https://freenahi.example/connections/1", Email: freenahi.DeliverySent, EmailTo: "bob@example.com",
		Webhook: freenahi.DeliveryPending, Attempts: 1, LastError: "timeout"}); err != nil {
		tb.Fatal(err)
	}
	if ok, err := s.AcquireLease(ctx, "notify", "instance-1", time.Minute); err != nil || !ok {
		tb.Fatalf("lease: %v %v", ok, err)
	}
	// Spending: a correction teaches the payee's category; a rule.
	bobTx := mustAllTransactions(tb, s, freenahi.TransactionFilter{UserID: bob.user.ID, Limit: 1})[0]
	restaurants := categoryByKey(tb, s, bob.user.ID, "restaurants")
	if _, err := s.EditTransaction(ctx, bob.user.ID, bobTx.ID, freenahi.TransactionEdit{CategoryID: &restaurants.ID,
		Payee: ptr("Chez Léon"), Note: ptr("dîner"), Tags: &[]string{"amis"}}); err != nil {
		tb.Fatal(err)
	}
	groceries := categoryByKey(tb, s, bob.user.ID, "groceries")
	// Budgets, a split and a dismissed series.
	budgetAmount := freenahi.MustParseDecimal("250.00")
	if _, err := s.CreateBudget(ctx, bob.user.ID, freenahi.BudgetInput{CategoryID: &groceries.ID, Amount: &budgetAmount, Rollover: ptr(true)}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.EditTransaction(ctx, bob.user.ID, bobTx.ID, freenahi.TransactionEdit{Splits: &[]freenahi.SplitPart{
		{CategoryID: groceries.ID, Amount: freenahi.DecimalFromMinor(bobTx.ValueMinor-1, bobTx.Currency.Exponent)},
		{CategoryID: restaurants.ID, Amount: freenahi.DecimalFromMinor(1, bobTx.Currency.Exponent)}}}); err != nil {
		tb.Fatal(err)
	}
	if err := s.DismissRecurring(ctx, bob.user.ID, "netflix|EUR", true); err != nil {
		tb.Fatal(err)
	}
	if err := s.CreateRule(ctx, &freenahi.Rule{UserID: bob.user.ID, Name: "Épicerie",
		If: freenahi.RuleConditions{WordingContains: "epicerie"}, Then: freenahi.RuleActions{CategoryID: &groceries.ID, Tags: []string{"courses"}}}); err != nil {
		tb.Fatal(err)
	}
	if err := s.CreateSavedSearch(ctx, &freenahi.SavedSearch{UserID: bob.user.ID, Name: "Dîners",
		Query: "q=restaurant&direction=spending&min_amount=20,50"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.ReserveSignin(ctx, []freenahi.SigninBucket{{Key: "client:bob@example.com|192.0.2.1", Account: "bob@example.com",
		Free: 5, MaxDelay: time.Minute}}); err != nil {
		tb.Fatal(err)
	}
	// Imports: a manual account with an imported line.
	if _, err := s.ImportTransactions(ctx, &freenahi.Import{UserID: bob.user.ID, NewAccount: &freenahi.Account{Name: "Ancien compte",
		Currency: freenahi.Currency{Code: "EUR"}}, Lines: []freenahi.ImportLine{{Key: "id:X1", Date: date("2025-12-01"), AmountMinor: -4200,
		Wording: "CB CAFÉ"}}}); err != nil {
		tb.Fatal(err)
	}
	// Accounts: a person's choices on an account; a manual asset with a value.
	if _, err := s.UpdateAccountChoices(ctx, bob.user.ID, bob.savings.ID, freenahi.AccountChoices{Name: ptr("Épargne de Bob"),
		Hidden: ptr(true), Group: ptr(freenahi.GroupOther)}); err != nil {
		tb.Fatal(err)
	}
	// Households: Bob shares his checking account with Ana.
	if _, err := s.ShareAccount(ctx, freenahi.ShareInput{OwnerID: bob.user.ID, AccountID: bob.checking.ID, Email: "ana@example.com",
		Access: freenahi.ShareFull}); err != nil {
		tb.Fatal(err)
	}
	car := mustCreateAsset(tb, s, bob.user.ID, "Voiture", freenahi.AssetVehicle, "EUR")
	if err := s.SetAssetValue(ctx, bob.user.ID, car.ID, freenahi.AssetValue{Date: freenahi.DateOf(t0), ValueMinor: 1234567}); err != nil {
		tb.Fatal(err)
	}
}

// dumpDB reads every table of a database with plain SQL (SELECT *), not
// with the backup code, and renders each row as text: booleans as 0/1 (SQLite
// has no other), bytes in hex. Rows are sorted in Go, so the two engines'
// collations do not matter. goose's table is compared apart.
func dumpDB(tb testing.TB, rawURL string) map[string][]string {
	tb.Helper()
	db := rawDB(tb, rawURL)
	engine, _ := store.ParseURL(rawURL)
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'
		AND name NOT LIKE 'transactions_search%'`
	if engine == store.SQLite {
		// The search index's pages depend on the order rows were written;
		// what counts is that it holds exactly the rows' text, which FTS4
		// checks itself against the transactions table.
		if _, err := db.ExecContext(ctx, `INSERT INTO transactions_search (transactions_search) VALUES ('integrity-check')`); err != nil {
			tb.Fatalf("search index out of step with transactions: %v", err)
		}
	}
	if engine == store.Postgres {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`
	}
	names := queryColumn(tb, db, query)
	out := map[string][]string{}
	for _, name := range names {
		if name == "history_versions" || name == "page_versions" {
			continue // counters of changes, rebuilt by a restore: not data
		}
		from := `SELECT * FROM "` + name + `"`
		if engine == store.Postgres && name == "transactions" {
			// search_words is derived, left out of archives (a restored
			// row is indexed from its search text, as before 00240).
			cols := queryColumn(tb, db, `SELECT column_name FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = 'transactions' AND column_name <> 'search_words'`)
			from = `SELECT "` + strings.Join(cols, `", "`) + `" FROM transactions`
		}
		rows, err := db.QueryContext(ctx, from)
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		lines := []string{}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			// Columns in name order: an engine's physical column order
			// (SQLite rebuilds a table with its own) is not data.
			fields := make([]string, 0, len(cols))
			for i, v := range vals {
				var sb strings.Builder
				fmt.Fprintf(&sb, "%s=", cols[i])
				switch v := v.(type) {
				case nil:
					sb.WriteString("NULL")
				case bool:
					if v {
						sb.WriteString("1")
					} else {
						sb.WriteString("0")
					}
				case []byte:
					sb.WriteString("x" + hex.EncodeToString(v))
				default:
					fmt.Fprint(&sb, v)
				}
				fields = append(fields, sb.String())
			}
			slices.Sort(fields)
			lines = append(lines, strings.Join(fields, " "))
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines)
		out[name] = lines
	}
	return out
}

func queryColumn(tb testing.TB, db *sql.DB, query string) []string {
	tb.Helper()
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// goose versions applied, read with plain SQL.
func appliedVersions(tb testing.TB, rawURL string) []string {
	return queryColumn(tb, rawDB(tb, rawURL), `SELECT DISTINCT CAST(version_id AS TEXT) FROM goose_db_version WHERE version_id > 0 ORDER BY 1`)
}

func mustBackup(tb testing.TB, s *store.Store) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := s.Backup(ctx, &buf, store.BackupOptions{Source: "test"}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func fromBytes(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

func restoreOpts(key *seal.Key) store.RestoreOptions {
	return store.RestoreOptions{Secrets: key, Check: true}
}

func sumAll(figs []store.AccountFigure) (n int64) {
	for _, f := range figs {
		n += f.Transactions
	}
	return n
}

// Backup → wipe → restore gives back every row of every table, on each
// engine; the restored database opens, its secrets open with the key, and
// new rows take new ids.
func TestBackupRestore_Identical(t *testing.T) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			key := storetest.Key(t)
			url := storetest.MigratedURL(t, engine)
			s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			clk := &clock{now: t0}
			s.Now = func() time.Time { return clk.now }
			mustSeedAll(t, s, clk)
			want := dumpDB(t, url)
			versions := appliedVersions(t, url)
			for name, rows := range want {
				if len(rows) == 0 {
					t.Errorf("table %s has no rows: the test does not cover it", name)
				}
			}
			data := mustBackup(t, s)

			// Wipe: change and delete, then restore over it.
			if _, err := s.CreateUser(ctx, "carol@example.com", ""); err != nil {
				t.Fatal(err)
			}
			if _, err := rawDB(t, url).ExecContext(ctx, `DELETE FROM transactions`); err != nil {
				t.Fatal(err)
			}
			s.Close()

			_, err = store.Restore(ctx, url, fromBytes(data), restoreOpts(key))
			if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "users") {
				t.Fatalf("restore into a database holding rows: err = %v, want a refusal naming the tables", err)
			}
			opts := restoreOpts(key)
			opts.Force = true
			rep, err := store.Restore(ctx, url, fromBytes(data), opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, dumpDB(t, url)); diff != "" {
				t.Fatalf("restored rows differ (-before +restored):\n%s", diff)
			}
			if diff := cmp.Diff(versions, appliedVersions(t, url)); diff != "" {
				t.Errorf("migrations (-before +restored):\n%s", diff)
			}
			if len(rep.Expected) != 13 || sumAll(rep.Restored) != int64(len(want["transactions"])) {
				t.Errorf("report: %d accounts, %d transactions restored", len(rep.Expected), sumAll(rep.Restored))
			}

			// Into a new, empty database as well; it opens and works.
			url2 := storetest.URL(t, engine)
			if _, err := store.Restore(ctx, url2, fromBytes(data), restoreOpts(key)); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, dumpDB(t, url2)); diff != "" {
				t.Fatalf("restored rows differ (-before +restored):\n%s", diff)
			}
			r, err := store.Open(ctx, url2, store.Options{Secrets: key})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			bob, err := r.FindUserByEmail(ctx, "bob@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if c, err := r.FindInqomCredentials(ctx, bob.ID); err != nil || c.Password != "pa55" {
				t.Fatalf("sealed Inqom password after restore: %+v, %v", c, err)
			}
			carol, err := r.CreateUser(ctx, "carol@example.com", "")
			if err != nil || carol.ID <= bob.ID {
				t.Fatalf("a user created after restore: %+v, %v (ids must continue after the restored ones)", carol, err)
			}
		})
	}
}

// A bad archive is refused before anything is written: the target keeps
// every row, even with --force.
func TestRestore_BadArchiveLeavesTargetUntouched(t *testing.T) {
	eachKeyedEngine(t, func(t *testing.T, s *store.Store, clk *clock, key *seal.Key) {
		mustSeedAll(t, s, clk)
		data := mustBackup(t, s)
		target, _, url := MustOpenStoreURL(t, s.Engine())
		MustCreateUser(t, target, "keep@example.com", 7)
		before := dumpDB(t, url)
		rewritten := func(f func([]byte) []byte) []byte {
			var raw bytes.Buffer
			zr, err := archiveGunzip(data)
			if err != nil {
				t.Fatal(err)
			}
			raw.Write(f(zr))
			return gzipBytes(t, raw.Bytes())
		}
		tests := []struct {
			name string
			data []byte
			want string
		}{
			{"truncated", data[:len(data)*2/3], "ends early"},
			{"a flipped byte", flip(data, len(data)/2), "archive"},
			{"not an archive", []byte("id;amount\n1;2\n"), "not a gzip stream"},
			{"lying trailer", rewritten(func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"users":2`), []byte(`"users":3`), 1)
			}), "the trailer counts 3 rows in table users"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				opts := restoreOpts(key)
				opts.Force = true
				_, err := store.Restore(ctx, url, fromBytes(tt.data), opts)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want one containing %q", err, tt.want)
				}
				if !errors.Is(err, archive.ErrCorrupt) {
					t.Errorf("err = %v, want ErrCorrupt", err)
				}
				if diff := cmp.Diff(before, dumpDB(t, url)); diff != "" {
					t.Fatalf("target changed (-before +after):\n%s", diff)
				}
			})
		}
	})
}

// Restoring needs the key the secrets were sealed with.
func TestRestore_NeedsTheKey(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		mustSeedAll(t, s, clk)
		data := mustBackup(t, s)
		url := storetest.URL(t, s.Engine())
		for name, key := range map[string]*seal.Key{"missing": nil, "wrong": storetest.Key(t)} {
			_, err := store.Restore(ctx, url, fromBytes(data), store.RestoreOptions{Secrets: key, Check: true})
			if !errors.Is(err, store.ErrArchiveKey) || !strings.Contains(err.Error(), "FREENAHI_SECRET_KEY") {
				t.Errorf("%s key: err = %v, want ErrArchiveKey naming FREENAHI_SECRET_KEY", name, err)
			}
		}
		if got := appliedVersionsOrNone(t, url); len(got) != 0 {
			t.Errorf("a refused restore built a schema: %v", got)
		}
	})
}

func appliedVersionsOrNone(tb testing.TB, rawURL string) []string {
	db := rawDB(tb, rawURL)
	var n int
	engine, _ := store.ParseURL(rawURL)
	q := `SELECT count(*) FROM sqlite_master WHERE name = 'goose_db_version'`
	if engine == store.Postgres {
		q = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'goose_db_version'`
	}
	if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil || n == 0 {
		return nil
	}
	return appliedVersions(tb, rawURL)
}

// An archive from a newer freenahi (a migration this one does not know) is
// refused before anything is written.
func TestRestore_RefusesNewerSchema(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		var buf bytes.Buffer
		w, err := archive.NewWriter(&buf, archive.Header{ID: "n", Engine: "sqlite", Migrations: []int64{1, 99999}, Freenahi: "v9"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(archive.Trailer{}); err != nil {
			t.Fatal(err)
		}
		url := storetest.URL(t, s.Engine())
		_, err = store.Restore(ctx, url, fromBytes(buf.Bytes()), restoreOpts(storetest.Key(t)))
		if err == nil || !strings.Contains(err.Error(), "newer freenahi") || !strings.Contains(err.Error(), "99999") {
			t.Fatalf("err = %v", err)
		}
	})
}

// A backup taken while a writer keeps writing is one consistent snapshot:
// each write moves a transaction and the account's balance together, and
// the restored database has every balance equal to its transactions' sum.
func TestBackup_ConsistentWhileWriting(t *testing.T) {
	eachKeyedEngine(t, func(t *testing.T, s *store.Store, clk *clock, key *seal.Key) {
		b := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		zero := int64(0)
		b.checking.BalanceMinor = &zero
		MustSync(t, s, b.user, func(w freenahi.SyncWriter) error { return w.UpsertAccount(ctx, b.checking) })
		wctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		var writes atomic.Int64
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int64(1); wctx.Err() == nil; i++ {
				tx := &freenahi.Transaction{AccountID: b.checking.ID, PowensID: 100000 + i, Date: date("2026-03-01"),
					ValueMinor: 100 + i, Active: true, Currency: eur}
				bal := *b.checking.BalanceMinor + tx.ValueMinor
				err := trySync(t, s, b.user, func(w freenahi.SyncWriter) error {
					b.checking.BalanceMinor = &bal
					if err := w.UpsertAccount(ctx, b.checking); err != nil {
						return err
					}
					return w.UpsertTransactions(ctx, []*freenahi.Transaction{tx})
				})
				if err != nil {
					t.Error(err)
					return
				}
				writes.Add(1)
			}
		}()
		// Back up while the writer runs, until a backup lands between writes.
		var data []byte
		for i := range int64(5) {
			for writes.Load() < 3*(i+1) && wctx.Err() == nil {
				time.Sleep(time.Millisecond)
			}
			data = mustBackup(t, s)
		}
		stop()
		wg.Wait()
		url := storetest.URL(t, s.Engine())
		if _, err := store.Restore(ctx, url, fromBytes(data), restoreOpts(storetest.Key(t))); err == nil {
			t.Fatal("restored with another key")
		}
		rep, err := store.Restore(ctx, url, fromBytes(data), restoreOpts(key))
		if err != nil {
			t.Fatal(err)
		}
		var bal, sum int64
		var n int
		if err := rawDB(t, url).QueryRowContext(ctx, `SELECT a.balance_minor, (SELECT count(*) FROM transactions t WHERE t.account_id = a.id),
			(SELECT COALESCE(sum(value_minor), 0) FROM transactions t WHERE t.account_id = a.id) FROM accounts a WHERE a.id = $1`, b.checking.ID).Scan(&bal, &n, &sum); err != nil {
			t.Fatal(err)
		}
		if n == 0 || bal != sum {
			t.Fatalf("restored balance %d, sum of its %d transactions %d: the backup is not one snapshot", bal, n, sum)
		}
		t.Logf("%d writes, the backup holds %d; %d accounts checked", writes.Load(), n, len(rep.Restored))
	})
}

// eachKeyedEngine is eachEngine with the store's secrets key at hand.
func eachKeyedEngine(t *testing.T, fn func(t *testing.T, s *store.Store, clk *clock, key *seal.Key)) {
	for _, engine := range engines {
		t.Run(string(engine), func(t *testing.T) {
			key := storetest.Key(t)
			s, err := store.Open(ctx, storetest.MigratedURL(t, engine), store.Options{Secrets: key, Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			clk := &clock{now: t0}
			s.Now = func() time.Time { return clk.now }
			fn(t, s, clk, key)
		})
	}
}

func archiveGunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func gzipBytes(tb testing.TB, raw []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func flip(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0x55
	return out
}

// mustSeedAccountSecurity fills the tables of issue 14's account security:
// a reset link, an invitation, a two-factor secret with recovery codes.
func mustSeedAccountSecurity(tb testing.TB, s *store.Store, admin, other int64) {
	tb.Helper()
	if _, err := s.CreatePasswordReset(ctx, other, time.Hour); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.CreateInvite(ctx, admin, "invited@example.com", time.Hour); err != nil {
		tb.Fatal(err)
	}
	if err := s.SaveTOTPSecret(ctx, other, "JBSWY3DPEHPK3PXP"); err != nil {
		tb.Fatal(err)
	}
	if err := s.EnableTOTP(ctx, other, 7, []string{"aaaa-bbbb"}); err != nil {
		tb.Fatal(err)
	}
}
