package ingest_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/ingest"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var ctx = context.Background()

// fixture is a CONNECTION_SYNCED body with exact amounts in EUR, JPY (0
// decimals) and TND (3 decimals), unknown fields and an unknown transaction type.
func fixture(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/connection_synced.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustUser creates a freenahi user linked to Powens user 42.
func mustUser(t *testing.T, s *store.Store, email string, powensID int64) *freenahi.User {
	t.Helper()
	u, err := s.CreateUser(ctx, email, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensID, Token: "tok-" + email}); err != nil {
		t.Fatal(err)
	}
	return u
}

// receive stores a body as the webhook receiver would.
func receive(t *testing.T, s *store.Store, event, key string, powensUser int64, body []byte) *freenahi.InboxEvent {
	t.Helper()
	e := &freenahi.InboxEvent{Event: event, DeliveryKey: key, PowensUserID: &powensUser, Auth: freenahi.AuthHMAC, Body: body}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	return e
}

func drain(t *testing.T, s *store.Store) int {
	t.Helper()
	w := &ingest.Worker{Inbox: s, Backoff: func(int) time.Duration { return 0 }, MaxAttempts: 1}
	n, err := w.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// state is everything a user can read, for before/after comparisons.
type state struct {
	Connections  []*freenahi.Connection
	Accounts     []*freenahi.Account
	Transactions []*freenahi.Transaction
	Investments  []*freenahi.Investment
	Loans        []*freenahi.Loan
	Balances     [][]*freenahi.BalanceSnapshot
}

func dump(t *testing.T, s *store.Store, userID int64) *state {
	t.Helper()
	st := &state{}
	var err error
	if st.Connections, err = s.FindConnections(ctx, userID); err != nil {
		t.Fatal(err)
	}
	if st.Accounts, err = s.FindAccounts(ctx, freenahi.AccountFilter{UserID: userID, IncludeDeleted: true}); err != nil {
		t.Fatal(err)
	}
	if st.Transactions, _, err = s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: userID, IncludeDeleted: true, Limit: 1000}); err != nil {
		t.Fatal(err)
	}
	if st.Investments, err = s.FindInvestments(ctx, userID, nil); err != nil {
		t.Fatal(err)
	}
	if st.Loans, err = s.FindLoans(ctx, userID); err != nil {
		t.Fatal(err)
	}
	for _, a := range st.Accounts {
		b, err := s.FindBalances(ctx, userID, a.ID, freenahi.Date{}, freenahi.Date{})
		if err != nil {
			t.Fatal(err)
		}
		st.Balances = append(st.Balances, b)
	}
	return st
}

// ignoreClock drops the bookkeeping timestamps that say when we wrote a row.
var ignoreClock = cmpopts.IgnoreFields(freenahi.Connection{}, "UpdatedAt")

func accountByPowensID(t *testing.T, st *state, id int64) *freenahi.Account {
	t.Helper()
	for _, a := range st.Accounts {
		if a.PowensID == id {
			return a
		}
	}
	t.Fatalf("no account with Powens id %d", id)
	return nil
}

func txByPowensID(t *testing.T, st *state, id int64) *freenahi.Transaction {
	t.Helper()
	for _, tx := range st.Transactions {
		if tx.PowensID == id {
			return tx
		}
	}
	t.Fatalf("no transaction with Powens id %d", id)
	return nil
}

func TestApply_ConnectionSynced(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "a@example.com", 42)
		receive(t, s, freenahi.EventConnectionSynced, "wd:9001", 42, fixture(t))
		if n := drain(t, s); n != 1 {
			t.Fatalf("processed %d events, want 1", n)
		}
		st := dump(t, s, u.ID)

		if got, want := len(st.Connections), 1; got != want {
			t.Fatalf("connections=%d, want %d", got, want)
		}
		c := st.Connections[0]
		if c.PowensID != 10 || c.BankName != "Connecteur de test" || c.State != freenahi.StateOK || len(c.Sources) != 1 {
			t.Fatalf("connection=%+v", c)
		}
		if exp := c.ConsentExpiry(); exp == nil || exp.Format(time.RFC3339) != "2025-06-15T06:30:45Z" {
			t.Fatalf("consent expiry=%v, want 2025-06-15 08:30:45 Paris time (06:30:45Z)", exp)
		}

		t.Run("ExactMoney", func(t *testing.T) {
			for _, tc := range []struct {
				account int64
				want    string
			}{{100, "123456789.99 EUR"}, {101, "150000 JPY"}, {102, "1234.567 TND"}, {104, "-150000.00 EUR"}} {
				if got := accountByPowensID(t, st, tc.account).Balance().String(); got != tc.want {
					t.Errorf("account %d balance=%s, want %s", tc.account, got, tc.want)
				}
			}
			for _, tc := range []struct {
				tx   int64
				want string
			}{{1, "-12.30 EUR"}, {2, "-0.01 EUR"}, {3, "2500.00 EUR"}, {10, "-1500 JPY"}, {20, "0.001 TND"}} {
				if got := txByPowensID(t, st, tc.tx).Value().String(); got != tc.want {
					t.Errorf("transaction %d value=%s, want %s", tc.tx, got, tc.want)
				}
			}
			tx3 := txByPowensID(t, st, 3)
			if tx3.OriginalCurrency == nil || tx3.OriginalCurrency.Code != "USD" || *tx3.OriginalValueMinor != 270000 {
				t.Errorf("original value=%v %v, want 2700.00 USD", tx3.OriginalValueMinor, tx3.OriginalCurrency)
			}
		})
		t.Run("Fields", func(t *testing.T) {
			a := accountByPowensID(t, st, 100)
			if a.IBAN != "FR7630006000011234567890189" || a.Type != "checking" || a.Usage != "PRIV" || a.BIC != "AGRIFRPP" {
				t.Errorf("account=%+v", a)
			}
			if got := accountByPowensID(t, st, 101).Type; got != "checking" {
				t.Errorf("type given as an object: %q, want checking", got)
			}
			tx2 := txByPowensID(t, st, 2)
			if !tx2.Coming || tx2.Type != "a_type_from_the_future" || tx2.Counterparty == nil || tx2.Counterparty.Label != "EDF" {
				t.Errorf("transaction 2=%+v", tx2)
			}
			if got, want := txByPowensID(t, st, 1).RDate.String(), "2025-01-13"; got != want {
				t.Errorf("rdate=%s, want %s", got, want)
			}
			if len(st.Investments) != 1 || st.Investments[0].Quantity.String() != "12.3456" || st.Investments[0].Code != "LU1681043599" {
				t.Errorf("investments=%+v", st.Investments)
			}
			if len(st.Loans) != 1 || *st.Loans[0].NextPaymentAmountMinor != 95012 || st.Loans[0].Rate.String() != "1.35" || st.Loans[0].Type != "mortgage" {
				t.Errorf("loans=%+v", st.Loans)
			}
			if len(st.Balances[0]) != 1 || st.Balances[0][0].BalanceMinor != 12345678999 {
				t.Errorf("balance history=%+v", st.Balances[0])
			}
		})
	})
}

func TestApply_Idempotent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "a@example.com", 42)
		body := fixture(t)
		receive(t, s, freenahi.EventConnectionSynced, "wd:9001", 42, body)
		drain(t, s)
		once := dump(t, s, u.ID)

		t.Run("SameDeliveryThreeTimes", func(t *testing.T) {
			for range 2 {
				e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "wd:9001", PowensUserID: ptr(int64(42)), Auth: freenahi.AuthHMAC, Body: body}
				dup, err := s.ReceiveEvent(ctx, e)
				if err != nil || !dup {
					t.Fatalf("duplicate=%v err=%v, want a duplicate", dup, err)
				}
			}
			if n := drain(t, s); n != 0 {
				t.Fatalf("processed %d events for duplicate deliveries", n)
			}
		})
		t.Run("DistinctDeliveriesSameContent", func(t *testing.T) {
			receive(t, s, freenahi.EventConnectionSynced, "wd:9002", 42, body)
			receive(t, s, freenahi.EventConnectionSynced, "wd:9003", 42, body)
			drain(t, s)
			if diff := cmp.Diff(once, dump(t, s, u.ID), ignoreClock); diff != "" {
				t.Fatalf("state after 3 deliveries differs from 1 (-once +thrice):\n%s", diff)
			}
		})
		t.Run("Replay", func(t *testing.T) {
			events, err := s.FindEvents(ctx, freenahi.InboxFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if err := s.ReplayEvent(ctx, e.ID); err != nil {
					t.Fatal(err)
				}
			}
			drain(t, s)
			if diff := cmp.Diff(once, dump(t, s, u.ID), ignoreClock); diff != "" {
				t.Fatalf("state after replay differs (-before +after):\n%s", diff)
			}
		})
	})
}

func TestApply_ComingThenBookedThenDeleted(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "a@example.com", 42)
		receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, fixture(t))
		drain(t, s)
		before := txByPowensID(t, dump(t, s, u.ID), 2)

		booked := strings.Replace(string(fixture(t)), `"coming": true, "active": true, "last_update": "2025-01-15 08:30:45"`,
			`"coming": false, "active": true, "value": -0.02, "last_update": "2025-01-17 09:00:00"`, 1)
		booked = strings.Replace(booked, `"value": -0.01,`, ``, 1)
		receive(t, s, freenahi.EventConnectionSynced, "wd:2", 42, []byte(booked))
		drain(t, s)
		st := dump(t, s, u.ID)
		after := txByPowensID(t, st, 2)
		if after.ID != before.ID || after.Coming || after.ValueMinor != -2 {
			t.Fatalf("booked transaction: id %d→%d coming=%v value=%d, want same row, booked, -2", before.ID, after.ID, after.Coming, after.ValueMinor)
		}
		if got, want := len(st.Transactions), 5; got != want {
			t.Fatalf("transactions=%d, want %d (updated in place, not added)", got, want)
		}

		deleted := strings.Replace(booked, `"last_update": "2025-01-17 09:00:00"`, `"last_update": "2025-01-18 09:00:00", "deleted": "2025-01-18 09:00:00"`, 1)
		receive(t, s, freenahi.EventConnectionSynced, "wd:3", 42, []byte(deleted))
		drain(t, s)
		visible, _, err := s.FindTransactions(ctx, freenahi.TransactionFilter{UserID: u.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range visible {
			if tx.PowensID == 2 {
				t.Fatal("deleted transaction still listed by default")
			}
		}
		if tx := txByPowensID(t, dump(t, s, u.ID), 2); tx.Deleted == nil {
			t.Fatal("deleted transaction lost or not marked deleted")
		}
	})
}

func TestApply_InvalidAmountFailsWithoutDamage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "a@example.com", 42)
		receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, fixture(t))
		drain(t, s)
		before := dump(t, s, u.ID)

		bad := strings.Replace(string(fixture(t)), `"value": -12.3,`, `"value": -12.345,`, 1)
		bad = strings.Replace(bad, `"balance": 123456789.99`, `"balance": 1`, 1)
		e := receive(t, s, freenahi.EventConnectionSynced, "wd:2", 42, []byte(bad))
		drain(t, s)
		got, err := s.FindEventByID(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != freenahi.StatusFailed || !strings.Contains(got.LastError, "connection.accounts[0].transactions[0].value") ||
			!strings.Contains(got.LastError, "3 decimals") {
			t.Fatalf("status=%s error=%q, want failed naming the field", got.Status, got.LastError)
		}
		if diff := cmp.Diff(before, dump(t, s, u.ID), ignoreClock); diff != "" {
			t.Fatalf("a failed event changed stored data (-before +after):\n%s", diff)
		}
	})
}

func TestApply_UnmatchedThenLinked(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, fixture(t))
		if e.Status != freenahi.StatusUnmatched {
			t.Fatalf("status=%s, want unmatched", e.Status)
		}
		if n := drain(t, s); n != 0 {
			t.Fatalf("processed %d unmatched events", n)
		}
		u := mustUser(t, s, "late@example.com", 42)
		if n := drain(t, s); n != 1 {
			t.Fatalf("processed %d events after link, want 1", n)
		}
		if st := dump(t, s, u.ID); len(st.Transactions) != 5 {
			t.Fatalf("transactions=%d after link, want 5", len(st.Transactions))
		}
	})
}

func TestApply_UnmatchedBearerTokenChecked(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		forged := [32]byte{1}
		e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "wd:1", PowensUserID: ptr(int64(42)),
			Auth: freenahi.AuthBearer, TokenHash: forged[:], Body: fixture(t)}
		if _, err := s.ReceiveEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		mustUser(t, s, "a@example.com", 42)
		got, err := s.FindEventByID(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != freenahi.StatusFailed {
			t.Fatalf("event with a foreign bearer token: status=%s, want failed", got.Status)
		}
	})
}

func TestWorker_OrderPerUser(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "a@example.com", 42)
		other := mustUser(t, s, "b@example.com", 43)
		const n = 12
		for i := 1; i <= n; i++ {
			// Each event renames the connection's bank; the last one must win.
			body := strings.Replace(string(fixture(t)), `"name": "Connecteur de test"`, `"name": "bank-`+itoa(i)+`"`, 1)
			receive(t, s, freenahi.EventConnectionSynced, "wd:"+itoa(i), 42, []byte(body))
			receive(t, s, freenahi.EventConnectionSynced, "wd:o"+itoa(i), 43, []byte(strings.ReplaceAll(body, `"id_user": 42`, `"id_user": 43`)))
		}
		// Two events of one user are never leased at once.
		first, err := s.ClaimEvent(ctx, time.Minute)
		if err != nil || first == nil {
			t.Fatalf("claim: %v %v", first, err)
		}
		second, err := s.ClaimEvent(ctx, time.Minute)
		if err != nil || second == nil || *second.PowensUserID == *first.PowensUserID {
			t.Fatalf("second claim=%+v err=%v, want the other user's event", second, err)
		}
		if third, err := s.ClaimEvent(ctx, time.Minute); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			t.Fatalf("third claim=%+v err=%v, want ENOTFOUND while both users are busy", third, err)
		}
		for _, e := range []*freenahi.InboxEvent{first, second} {
			if err := s.ProcessEvent(ctx, e, func(ctx context.Context, w freenahi.SyncWriter) error { return ingest.Apply(ctx, w, e) }); err != nil {
				t.Fatal(err)
			}
		}
		wctx, cancel := context.WithCancel(ctx)
		counted := &countingInbox{InboxService: s, processed: make(chan struct{}, 2*n)}
		w := &ingest.Worker{Inbox: counted, Concurrency: 4, PollInterval: 10 * time.Millisecond}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(wctx) }()
		// The two events processed above leave 2n-2 for the worker.
		timeout := time.After(time.Minute)
		for range 2*n - 2 {
			select {
			case <-counted.processed:
			case <-timeout:
				t.Fatal("events not processed in time")
			}
		}
		cancel()
		wg.Wait()
		if st, err := s.InboxStats(ctx); err != nil || st.Depth[freenahi.StatusPending]+st.Depth[freenahi.StatusProcessing] != 0 {
			t.Fatalf("inbox after the worker: %+v (err %v), want nothing left", st, err)
		}
		for _, uid := range []int64{u.ID, other.ID} {
			if got := dump(t, s, uid).Connections[0].BankName; got != "bank-"+itoa(n) {
				t.Fatalf("user %d bank name=%q, want the last event's bank-%d", uid, got, n)
			}
		}
	})
}

func TestWorker_CrashAfterAcknowledgement(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			url := storetest.MigratedURL(t, engine)
			key := storetest.Key(t)
			open := func() *store.Store {
				s, err := store.Open(ctx, url, store.Options{Secrets: key, Migrate: true})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			s := open()
			u := mustUser(t, s, "a@example.com", 42)
			receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, fixture(t))
			// The worker claims the event and dies before committing anything.
			if e, err := s.ClaimEvent(ctx, time.Second); err != nil || e == nil {
				t.Fatalf("claim: %v %v", e, err)
			}
			s.Close()

			s = open()
			defer s.Close()
			s.Now = func() time.Time { return time.Now().Add(2 * time.Second) } // the dead worker's lease expired
			if n := drain(t, s); n != 1 {
				t.Fatalf("processed %d events after restart, want 1", n)
			}
			if got := len(dump(t, s, u.ID).Transactions); got != 5 {
				t.Fatalf("transactions=%d after restart, want 5", got)
			}
		})
	}
}

// countingInbox signals each event the worker processed successfully.
type countingInbox struct {
	freenahi.InboxService
	processed chan struct{}
}

func (c *countingInbox) ProcessEvent(ctx context.Context, e *freenahi.InboxEvent, fn func(context.Context, freenahi.SyncWriter) error) error {
	err := c.InboxService.ProcessEvent(ctx, e, fn)
	if err == nil {
		c.processed <- struct{}{}
	}
	return err
}

func ptr[T any](v T) *T { return &v }

func itoa(i int) string { return strconv.Itoa(i) }

// TestWorker_ShutdownFinishesEventInProgress stops the worker while it
// processes a large event: Run returns only once that event is committed,
// and the next event is left for the next start.
func TestWorker_ShutdownFinishesEventInProgress(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	mustUser(t, s, "a@example.com", 42)
	// The cancellation lands mid-event by construction (signallingInbox), so
	// the event need not be large; a small one keeps the test quick under -race
	// on a loaded machine.
	big := powenstest.Synced{WebhookDataID: 1, PowensUserID: 42, ConnectionID: 1, Accounts: 2, TransactionsPerAccount: 500, Seed: 3}
	first := receive(t, s, freenahi.EventConnectionSynced, "wd:1", 42, big.Bytes())
	second := receive(t, s, freenahi.EventConnectionSynced, "wd:2", 42, fixture(t))

	started, cancelled := make(chan struct{}), make(chan struct{})
	w := &ingest.Worker{Inbox: &signallingInbox{InboxService: s, started: started, cancelled: cancelled},
		Concurrency: 1, PollInterval: time.Hour}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(wctx); close(done) }()
	<-started
	cancel() // mid-event: the event must still be finished
	close(cancelled)
	select {
	case <-done:
	case <-time.After(5 * time.Minute): // a hang, not a slow machine
		t.Fatal("Run did not return")
	}
	for _, tc := range []struct {
		e    *freenahi.InboxEvent
		want freenahi.InboxStatus
	}{{first, freenahi.StatusProcessed}, {second, freenahi.StatusPending}} {
		got, err := s.FindEventByID(ctx, tc.e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != tc.want {
			t.Errorf("event %d: %s, want %s", got.ID, got.Status, tc.want)
		}
	}
}

// signallingInbox tells when the first event's processing has begun, and
// holds it there until the test has cancelled the worker.
type signallingInbox struct {
	freenahi.InboxService
	started, cancelled chan struct{}
	once               sync.Once
}

func (s *signallingInbox) ProcessEvent(ctx context.Context, e *freenahi.InboxEvent, fn func(context.Context, freenahi.SyncWriter) error) error {
	return s.InboxService.ProcessEvent(ctx, e, func(ctx context.Context, w freenahi.SyncWriter) error {
		s.once.Do(func() {
			close(s.started)
			<-s.cancelled // the cancellation lands mid-event
		})
		return fn(ctx, w)
	})
}

// TestApply_ValueNull: payment-platform connectors send value null with a
// gross value and a commission. Every transaction is kept and visible, the
// amount derived by Powens' rule, gross and commission kept beside it; the
// one without any amount is flagged, and none of this blocks the rest.
func TestApply_ValueNull(t *testing.T) {
	body, err := os.ReadFile("testdata/payment_platform.json")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "shop@example.com", 77)
		e := receive(t, s, freenahi.EventConnectionSynced, "wd:9001", 77, body)
		drain(t, s)
		if got, _ := s.FindEventByID(ctx, e.ID); got.Status != freenahi.StatusProcessed {
			t.Fatalf("event %s: %s; want processed", got.Status, got.LastError)
		}
		st := dump(t, s, u.ID)
		p := func(n int64) *int64 { return &n }
		for _, tc := range []struct {
			id          int64
			value       int64
			origin      freenahi.AmountOrigin
			gross, comm *int64
		}{
			{700001, 2878, freenahi.AmountFromGrossAndCommission, p(3000), p(-122)},  // commission_currency null
			{700002, 9710, freenahi.AmountFromGrossAndCommission, p(10000), p(-290)}, // commission in EUR
			{700003, 5000, freenahi.AmountFromGross, p(5000), p(-175)},               // commission in USD: gross alone
			{700004, 0, freenahi.AmountUnknown, nil, nil},
			{700005, -25000, freenahi.AmountFromValue, nil, nil},
		} {
			tx := txByPowensID(t, st, tc.id)
			if tx.ValueMinor != tc.value || tx.AmountOrigin != tc.origin {
				t.Errorf("transaction %d: %d (%q), want %d (%q)", tc.id, tx.ValueMinor, tx.AmountOrigin, tc.value, tc.origin)
			}
			if diff := cmp.Diff(tx.GrossValueMinor, tc.gross); diff != "" {
				t.Errorf("transaction %d gross (-got +want):\n%s", tc.id, diff)
			}
			if diff := cmp.Diff(tx.CommissionMinor, tc.comm); diff != "" {
				t.Errorf("transaction %d commission (-got +want):\n%s", tc.id, diff)
			}
			if tx.AmountKnown() != (tc.origin != freenahi.AmountUnknown) {
				t.Errorf("transaction %d AmountKnown=%v", tc.id, tx.AmountKnown())
			}
		}
		if c := txByPowensID(t, st, 700003).CommissionCurrency; c == nil || c.Code != "USD" {
			t.Errorf("the USD commission lost its currency: %+v", c)
		}

		// The statement leaves the unknown amount out: four movements.
		a := accountByPowensID(t, st, 9101)
		var movements []int64
		from, _ := freenahi.ParseDate("2026-10-01")
		to, _ := freenahi.ParseDate("2026-11-02")
		err := s.ReadStatement(ctx, freenahi.StatementQuery{UserID: u.ID, AccountID: a.ID, From: from, To: to},
			func(d *freenahi.StatementData) error {
				for tx, err := range d.Transactions {
					if err != nil {
						return err
					}
					movements = append(movements, tx.PowensID)
				}
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(movements, []int64{700001, 700002, 700003, 700005}); diff != "" {
			t.Fatalf("statement movements (-got +want):\n%s", diff)
		}
	})
}

// TestApply_MalformedValueStillFails: a string where a number belongs is
// not "no amount": the event fails with the JSON path, nothing is written.
func TestApply_MalformedValueStillFails(t *testing.T) {
	body, err := os.ReadFile("testdata/payment_platform.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(body), `"value": -250.0,`, `"value": "minus two hundred",`, 1)
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		u := mustUser(t, s, "shop@example.com", 77)
		e := receive(t, s, freenahi.EventConnectionSynced, "wd:9001", 77, []byte(bad))
		drain(t, s)
		got, _ := s.FindEventByID(ctx, e.ID)
		if got.Status != freenahi.StatusFailed || !strings.Contains(got.LastError, "transactions[4].value") {
			t.Fatalf("event %s, error %q; want failed naming connection.accounts[0].transactions[4].value", got.Status, got.LastError)
		}
		if st := dump(t, s, u.ID); len(st.Transactions) != 0 {
			t.Fatalf("a failed event stored %d transactions", len(st.Transactions))
		}
	})
}
