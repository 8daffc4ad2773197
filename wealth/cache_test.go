package wealth_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web/webtest"
)

// naiveSource is the oracle's history source: every transaction and
// snapshot row read as it is, filtered and summed in Go, with the meaning
// ReadHistoryData documents (movements from the day from on; snapshots
// from the UTC start of the day before from, plus the last one before).
// It keeps no state and tells no versions, so a Service over it rebuilds
// everything on each request, as the service did before it had a cache.
type naiveSource struct{ db *sql.DB }

func (n naiveSource) ReadHistoryData(ctx context.Context, userID int64, accountID *int64, from freenahi.Date, zone *time.Location) (map[int64]*freenahi.HistoryData, error) {
	out := map[int64]*freenahi.HistoryData{}
	get := func(id int64) *freenahi.HistoryData {
		if out[id] == nil {
			out[id] = &freenahi.HistoryData{}
		}
		return out[id]
	}
	rows, err := n.db.QueryContext(ctx, `SELECT account_id, date, value_minor, coming, deleted_at IS NULL, amount_origin FROM transactions WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	sums := map[int64]map[int]int64{}
	for rows.Next() {
		var acc int64
		var day int
		var minor int64
		var coming, live bool
		var origin string
		if err := rows.Scan(&acc, &day, &minor, &coming, &live, &origin); err != nil {
			return nil, err
		}
		if coming || !live || origin == string(freenahi.AmountUnknown) || (accountID != nil && acc != *accountID) ||
			(!from.IsZero() && day < from.Int()) {
			continue
		}
		if sums[acc] == nil {
			sums[acc] = map[int]int64{}
		}
		sums[acc][day] += minor
	}
	rows.Close()
	for acc, days := range sums {
		keys := make([]int, 0, len(days))
		for d := range days {
			keys = append(keys, d)
		}
		sort.Ints(keys)
		h := get(acc)
		for _, d := range keys {
			h.Movements = append(h.Movements, freenahi.DayAmount{Date: freenahi.Date{Year: d / 10000, Month: time.Month(d / 100 % 100), Day: d % 100}, Minor: days[d]})
		}
	}
	type snap struct {
		acc, at, minor int64
	}
	var snaps []snap
	rows, err = n.db.QueryContext(ctx, `SELECT account_id, at, balance_minor FROM balance_snapshots WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s snap
		if err := rows.Scan(&s.acc, &s.at, &s.minor); err != nil {
			return nil, err
		}
		if accountID == nil || s.acc == *accountID {
			snaps = append(snaps, s)
		}
	}
	rows.Close()
	sort.Slice(snaps, func(i, j int) bool {
		if snaps[i].acc != snaps[j].acc {
			return snaps[i].acc < snaps[j].acc
		}
		return snaps[i].at < snaps[j].at
	})
	start := from.AddDays(-1).Time().UnixMicro()
	for i, s := range snaps {
		if !from.IsZero() && s.at < start {
			// Only the last one before the start carries in.
			if i+1 < len(snaps) && snaps[i+1].acc == s.acc && snaps[i+1].at < start {
				continue
			}
		}
		h := get(s.acc)
		day := freenahi.DateOf(time.UnixMicro(s.at).In(zone))
		if k := len(h.Snapshots); k > 0 && h.Snapshots[k-1].Date == day {
			h.Snapshots[k-1].Minor = s.minor
			continue
		}
		h.Snapshots = append(h.Snapshots, freenahi.DayAmount{Date: day, Minor: s.minor})
	}
	return out, nil
}

// TestService_CacheMatchesOracle changes a person's data at random between
// requests (new, booked, moved, changed and deleted transactions, balance
// snapshots, balances, an account disabled) and compares every answer of
// the cached service with that of a service over naiveSource, which reads
// and rebuilds everything on each request.
func TestService_CacheMatchesOracle(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			url := storetest.URL(t, engine)
			s, err := store.Open(context.Background(), url, store.Options{Secrets: storetest.Key(t), Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			driver, target := store.SQLiteDriver, ""
			if e, tg := store.ParseURL(url); e == store.Postgres {
				driver, target = "pgx", tg
			} else {
				target = tg
			}
			db, err := sql.Open(driver, target)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			testCacheMatchesOracle(t, s, db)
		})
	}
}

func testCacheMatchesOracle(t *testing.T, s *store.Store, db *sql.DB) {
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "ana@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 7, Token: "t"}); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 3, 31, 20, 0, 0, 0, time.UTC) }
	cached := &wealth.Service{Accounts: s, Source: s, Now: now}
	oracle := &wealth.Service{Accounts: s, Source: naiveSource{db}, Now: now}
	r := rand.New(rand.NewPCG(3, 4))
	types := []string{"checking", "livret_a", "pea", "loan", "card"}
	var conn *freenahi.Connection
	accounts := make([]*freenahi.Account, len(types))
	day0 := freenahi.Date{Year: 2026, Month: 1, Day: 1}
	nextID := int64(1)
	for round := range 30 {
		webtest.MustSync(t, s, 7, func(ctx context.Context, w freenahi.SyncWriter) error {
			if conn == nil {
				conn = &freenahi.Connection{PowensID: 1}
				if err := w.UpsertConnection(ctx, conn); err != nil {
					return err
				}
			}
			for i, typ := range types {
				if accounts[i] != nil && r.IntN(3) != 0 {
					continue
				}
				bal := r.Int64N(1_000_000) - 200_000
				a := &freenahi.Account{ConnectionID: conn.ID, PowensID: int64(i + 1), PowensConnectionID: 1, Type: typ,
					Name: typ, Currency: freenahi.Currency{Code: "EUR", Exponent: 2}, BalanceMinor: &bal}
				if i == 4 {
					a.Currency = freenahi.Currency{Code: "JPY"}
				}
				if r.IntN(15) == 0 {
					a.Disabled = ptr(now())
				}
				if err := w.UpsertAccount(ctx, a); err != nil {
					return err
				}
				accounts[i] = a
			}
			var txs []*freenahi.Transaction
			seen := map[int64]bool{}
			for range r.IntN(25) {
				id := int64(1 + r.IntN(int(nextID)+5))
				if seen[id] {
					continue
				}
				seen[id] = true
				nextID = max(nextID, id+1)
				tx := &freenahi.Transaction{AccountID: accounts[r.IntN(len(accounts))].ID, PowensID: id,
					Date: day0.AddDays(r.IntN(95)), ValueMinor: r.Int64N(50001) - 25000, Active: true, Coming: r.IntN(4) == 0}
				if r.IntN(10) == 0 {
					tx.Deleted = ptr(now())
				}
				txs = append(txs, tx)
			}
			if err := w.UpsertTransactions(ctx, txs); err != nil {
				return err
			}
			for range r.IntN(4) {
				// Instants around midnight in Paris, some on the same day.
				at := time.Date(2026, 1, 1, 22, 30, 0, 0, time.UTC).Add(time.Duration(r.IntN(90*24*4)) * 15 * time.Minute)
				if err := w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: accounts[r.IntN(len(accounts))].ID, At: at,
					BalanceMinor: r.Int64N(1_000_000)}); err != nil {
					return err
				}
			}
			return nil
		})
		if round%4 == 3 {
			// Rows changed behind the store's back: the triggers keep up.
			if _, err := db.ExecContext(ctx, `UPDATE transactions SET value_minor = value_minor + 1 WHERE user_id = $1 AND powens_id % 4 = $2`, u.ID, round%4); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `DELETE FROM transactions WHERE user_id = $1 AND powens_id % 7 = $2`, u.ID, round%7); err != nil {
				t.Fatal(err)
			}
		}
		for q := range 6 {
			var from, to freenahi.Date
			if q%2 == 1 {
				from = day0.AddDays(r.IntN(80))
				to = from.AddDays(r.IntN(40))
			} else if q == 2 {
				to = day0.AddDays(50 + r.IntN(40))
			}
			interval := []string{freenahi.IntervalDay, freenahi.IntervalWeek, freenahi.IntervalMonth}[q%3]
			nq := freenahi.NetWorthQuery{UserID: u.ID, From: from, To: to, Interval: interval}
			got, err := cached.NetWorth(ctx, nq)
			if err != nil {
				t.Fatal(err)
			}
			want, err := oracle.NetWorth(ctx, nq)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, %+v: cached net worth\n%s\nwant\n%s", round, nq, netWorthText(got), netWorthText(want))
			}
			// Asked again, nothing changed: served from memory, the same.
			if again, err := cached.NetWorth(ctx, nq); err != nil || !reflect.DeepEqual(again, want) {
				t.Fatalf("round %d, %+v: asked again: %v\n%s\nwant\n%s", round, nq, err, netWorthText(again), netWorthText(want))
			}
			a := accounts[r.IntN(len(accounts))]
			gh, err := cached.AccountHistory(ctx, u.ID, a.ID, from, to)
			if err != nil {
				t.Fatal(err)
			}
			wh, err := oracle.AccountHistory(ctx, u.ID, a.ID, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gh, wh) {
				t.Fatalf("round %d, account %d %s…%s: cached\n%v\nwant\n%v", round, a.ID, from, to, gh.Points, wh.Points)
			}
		}
	}
}

func netWorthText(nw *freenahi.NetWorth) string {
	s := fmt.Sprintf("%s…%s %s\n", nw.From, nw.To, nw.Interval)
	for _, sr := range nw.Series {
		s += fmt.Sprintf("%s %v\n", sr.Currency.Code, sr.Points)
	}
	for _, a := range nw.Accounts {
		s += fmt.Sprintf("account %d: %d points\n", a.Account.ID, len(a.Points))
	}
	return s
}

func ptr[T any](v T) *T { return &v }
