package wealth_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/wealth"
	"github.com/freenahi/freenahi/web/webtest"
)

// world is what one random person has, as the test wrote it: the oracle
// reads this, never the store.
type world struct {
	accounts []*worldAccount
	assets   []*worldAsset
}

type worldAccount struct {
	typ       string
	currency  freenahi.Currency
	balance   int64
	group     freenahi.AccountGroup // the person's choice, "" for none
	hidden    bool
	archived  bool
	disabled  bool
	booked    map[freenahi.Date]int64 // the day sums of booked transactions
	snapshots map[freenahi.Date]int64 // the last snapshot of each day
}

type worldAsset struct {
	kind     freenahi.AssetKind
	currency freenahi.Currency
	group    freenahi.AccountGroup
	values   map[freenahi.Date]int64
}

var (
	eur = freenahi.Currency{Code: "EUR", Exponent: 2}
	jpy = freenahi.Currency{Code: "JPY", Exponent: 0}
)

// TestNetWorth_SumOfVisible checks, over random people, that net worth at
// every day of its history is, per currency and per group, the sum of the
// balances of the accounts the person sees and the values of their assets,
// computed here the naive way: day by day, from the definitions.
func TestNetWorth_SumOfVisible(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		today := freenahi.Date{Year: 2026, Month: 6, Day: 15}
		svc := &wealth.Service{Accounts: s, Source: s, Assets: s,
			Now: func() time.Time { return today.Time().Add(11 * time.Hour) }}
		for trial := range 20 {
			seed := uint64(trial + 1)
			r := rand.New(rand.NewPCG(seed, 99))
			u, w := mustRandomWorld(t, s, r, int64(7000+trial), today)
			nw, err := svc.NetWorth(context.Background(), freenahi.NetWorthQuery{UserID: u.ID, Interval: freenahi.IntervalDay})
			if err != nil {
				t.Fatal(err)
			}
			want, from := naiveNetWorth(w, today)
			if nw.From != from || nw.To != today {
				t.Fatalf("seed %d: history %s…%s, want %s…%s", seed, nw.From, nw.To, from, today)
			}
			var got []string
			for _, sr := range nw.Series {
				for _, p := range sr.Points {
					got = append(got, fmt.Sprintf("%s %s %d %v", sr.Currency.Code, p.Date, p.TotalMinor, p.GroupMinor))
				}
			}
			if !slices.Equal(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("seed %d: %d points (want %d); first difference:\n got %s\nwant %s", seed, len(got), len(want), got[i], want[i])
					}
				}
				t.Fatalf("seed %d: %d points, want %d", seed, len(got), len(want))
			}
		}
	})
}

// naiveNetWorth is the oracle: the expected points, as text, in currency
// then date order, and the first day of the history.
func naiveNetWorth(w *world, today freenahi.Date) ([]string, freenahi.Date) {
	visible := func(a *worldAccount) bool { return !a.hidden && !a.archived && !a.disabled }
	carried := func(a *worldAccount) bool { return a.typ == "pea" || a.typ == "loan" }
	// The history starts at the earliest day anything counted is known:
	// the day before a rebuilt account's first transaction, an account's
	// first snapshot, an asset's first value.
	from := today
	for _, a := range w.accounts {
		if !visible(a) {
			continue
		}
		for d := range a.snapshots {
			from = minDate(from, d)
		}
		if !carried(a) {
			for d := range a.booked {
				from = minDate(from, d.AddDays(-1))
			}
		}
	}
	for _, as := range w.assets {
		for d := range as.values {
			from = minDate(from, d)
		}
	}
	type sums struct {
		total  int64
		groups [5]int64
		any    bool
	}
	byCode := map[string][]sums{}
	days := int(today.Time().Sub(from.Time()).Hours()/24) + 1
	add := func(c string, day int, g freenahi.AccountGroup, v int64) {
		if byCode[c] == nil {
			byCode[c] = make([]sums, days)
		}
		s := &byCode[c][day]
		s.total += v
		s.groups[slices.Index(freenahi.AccountGroups, g)] += v
		s.any = true
	}
	for _, a := range w.accounts {
		if !visible(a) {
			continue
		}
		g := a.group
		if g == "" {
			g = freenahi.GroupOf(a.typ)
		}
		for i := range days {
			d := from.AddDays(i)
			if v, ok := accountOn(a, carried(a), d); ok {
				add(a.currency.Code, i, g, v)
			}
		}
	}
	for _, as := range w.assets {
		g := as.group
		if g == "" {
			g = freenahi.GroupOther
			if as.kind == freenahi.AssetLoan {
				g = freenahi.GroupLoans
			}
		}
		for i := range days {
			var last freenahi.Date
			for d := range as.values {
				if !d.After(from.AddDays(i)) && d.After(last) {
					last = d
				}
			}
			if v, ok := as.values[last]; ok {
				if as.kind == freenahi.AssetLoan {
					v = -v
				}
				add(as.currency.Code, i, g, v)
			}
		}
	}
	var out []string
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		for i, s := range byCode[c] {
			out = append(out, fmt.Sprintf("%s %s %d %v", c, from.AddDays(i), s.total, s.groups))
		}
	}
	return out, from
}

// accountOn is an account's balance at the end of day d, by definition:
// carried, the latest snapshot at or before d; rebuilt, the snapshot of d,
// else the next snapshot (or the current balance) minus the booked
// transactions after d up to it.
func accountOn(a *worldAccount, carried bool, d freenahi.Date) (int64, bool) {
	if carried {
		var last freenahi.Date
		for s := range a.snapshots {
			if !s.After(d) && s.After(last) {
				last = s
			}
		}
		v, ok := a.snapshots[last]
		return v, ok
	}
	if v, ok := a.snapshots[d]; ok {
		return v, true
	}
	anchor, value := freenahi.Date{Year: 9999, Month: 1, Day: 1}, a.balance
	for s, v := range a.snapshots {
		if s.After(d) && s.Before(anchor) {
			anchor, value = s, v
		}
	}
	for day, sum := range a.booked {
		if day.After(d) && !day.After(anchor) {
			value -= sum
		}
	}
	return value, true
}

func minDate(a, b freenahi.Date) freenahi.Date {
	if b.Before(a) {
		return b
	}
	return a
}

// mustRandomWorld writes a random person through the sync path and the
// person's own choices, and returns what it wrote.
func mustRandomWorld(t *testing.T, s *store.Store, r *rand.Rand, powensUser int64, today freenahi.Date) (*freenahi.User, *world) {
	t.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, fmt.Sprintf("p%d@example.com", powensUser), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUser, Token: "t"}); err != nil {
		t.Fatal(err)
	}
	w := &world{}
	types := []string{"checking", "livret_a", "pea", "loan", "card"}
	var ids []int64
	webtest.MustSync(t, s, powensUser, func(ctx context.Context, sw freenahi.SyncWriter) error {
		c := &freenahi.Connection{PowensID: 1, BankName: "Banque Test"}
		if err := sw.UpsertConnection(ctx, c); err != nil {
			return err
		}
		txID := int64(1)
		for i := range 1 + r.IntN(6) {
			wa := &worldAccount{typ: types[r.IntN(len(types))], currency: eur, balance: r.Int64N(2000000) - 500000,
				booked: map[freenahi.Date]int64{}, snapshots: map[freenahi.Date]int64{}}
			if r.IntN(4) == 0 {
				wa.currency = jpy
			}
			a := &freenahi.Account{ConnectionID: c.ID, PowensID: int64(i + 1), PowensConnectionID: 1, Type: wa.typ,
				Name: "Compte chèques", Currency: wa.currency, BalanceMinor: &wa.balance}
			if err := sw.UpsertAccount(ctx, a); err != nil {
				return err
			}
			ids = append(ids, a.ID)
			var txs []*freenahi.Transaction
			for range r.IntN(40) {
				d := today.AddDays(-r.IntN(400))
				v := r.Int64N(200000) - 100000
				coming := r.IntN(8) == 0
				if !coming {
					wa.booked[d] += v
				}
				txs = append(txs, &freenahi.Transaction{AccountID: a.ID, PowensID: txID, Date: d, ValueMinor: v,
					Currency: wa.currency, Coming: coming, Active: true, OriginalWording: "X", Wording: "X"})
				txID++
			}
			if err := sw.UpsertTransactions(ctx, txs); err != nil {
				return err
			}
			for range r.IntN(5) {
				d := today.AddDays(-r.IntN(400))
				v := r.Int64N(2000000) - 500000
				wa.snapshots[d] = v
				at := d.Time().Add(10 * time.Hour) // the same day in Paris
				if err := sw.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: a.ID, At: at, BalanceMinor: v}); err != nil {
					return err
				}
			}
			if r.IntN(6) == 0 {
				wa.disabled = true
				if err := sw.SetAccountDisabled(ctx, a.PowensID, ptr(today.Time())); err != nil {
					return err
				}
			}
			w.accounts = append(w.accounts, wa)
		}
		return nil
	})
	for i, wa := range w.accounts {
		var c freenahi.AccountChoices
		wa.hidden, wa.archived = r.IntN(4) == 0, r.IntN(6) == 0
		c.Hidden, c.Archived = &wa.hidden, &wa.archived
		if r.IntN(3) == 0 {
			wa.group = freenahi.AccountGroups[r.IntN(5)]
			c.Group = &wa.group
		}
		if _, err := s.UpdateAccountChoices(ctx, u.ID, ids[i], c); err != nil {
			t.Fatal(err)
		}
	}
	kinds := freenahi.AssetKinds
	for i := range r.IntN(5) {
		wa := &worldAsset{kind: kinds[r.IntN(len(kinds))], currency: eur, values: map[freenahi.Date]int64{}}
		if r.IntN(3) == 0 {
			wa.currency = jpy
		}
		if r.IntN(3) == 0 {
			wa.group = freenahi.AccountGroups[r.IntN(5)]
		}
		name, kind, code, group := fmt.Sprint("Asset ", i), wa.kind, wa.currency.Code, wa.group
		a := &freenahi.Asset{UserID: u.ID}
		if err := (freenahi.AssetInput{Name: &name, Kind: &kind, Currency: &code, Group: &group}).Apply(a, true); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAsset(ctx, a); err != nil {
			t.Fatal(err)
		}
		for range 1 + r.IntN(5) {
			v := freenahi.AssetValue{Date: today.AddDays(-r.IntN(500)), ValueMinor: r.Int64N(50000000)}
			wa.values[v.Date] = v.ValueMinor
			if err := s.SetAssetValue(ctx, u.ID, a.ID, v); err != nil {
				t.Fatal(err)
			}
		}
		w.assets = append(w.assets, wa)
	}
	return u, w
}
