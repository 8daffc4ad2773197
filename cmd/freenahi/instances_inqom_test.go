package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/freenahi/freenahi/inqom/sandbox"
	"github.com/freenahi/freenahi/internal/testenv"
	"github.com/freenahi/freenahi/powens/powenstest"
	"github.com/freenahi/freenahi/seal"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// Three `serve` processes on one PostgreSQL push to one Inqom sandbox:
// six accounts of three people are mapped to three dossiers; the first
// instance is SIGKILLed while one of its imports is in flight (held by the
// sandbox) and while it processes a large event; three instances then
// process webhooks (each delivered twice), newer and older (late) than what
// was already sent, and each pushes after each event it processes, while
// `freenahi inqom push` runs beside them. The proof is the sandbox's own
// record, not freenahi's tables: every booked transaction of the payloads,
// read by an independent parser, arrived exactly once with its amount, and
// every account's statements chain (each opens on the date and at the
// balance the previous one closed, adds up, and books nothing on a day
// already sent).
func TestInstances_InqomPushedOnce(t *testing.T) {
	testenv.SkipIfShort(t, "starts four processes")
	url := storetest.URL(t, store.Postgres)
	key, _ := seal.GenerateKeyText()
	const inqomUser, inqomPassword, clientID, clientSecret = "compta@example.com", "sandbox-password", "freenahi-test", "sandbox-secret"
	dossiers := []int64{3001, 3002, 3003}
	sb := sandbox.New(sandbox.Config{ClientID: clientID, ClientSecret: clientSecret,
		Users: map[string]string{inqomUser: inqomPassword}, Dossiers: map[string][]int64{inqomUser: dossiers}})
	if err := sb.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	releaseHeld := sync.OnceFunc(func() { close(release) })
	t.Cleanup(func() { releaseHeld(); sb.Close() })
	env := map[string]string{
		"FREENAHI_DATABASE_URL": url, "FREENAHI_DATA_DIR": t.TempDir(), "FREENAHI_SECRET_KEY": key,
		"POWENS_WEBHOOK_SECRET": "s3cret", "SERVER_LOG_LEVEL": "warn", "FREENAHI_WORKERS": "2",
		"INQOM_USERNAME": inqomUser, "INQOM_PASSWORD": inqomPassword, "INQOM_CLIENT_ID": clientID,
		"INQOM_CLIENT_SECRET": clientSecret, "INQOM_AUTH_URL": sb.URL() + sandbox.TokenPath, "INQOM_BANKING_URL": sb.URL(),
		"FREENAHI_INQOM_ALLOW_LOOPBACK": "true",
	}
	admin := &testMain{t: t, env: env}
	for i := range 3 {
		email := fmt.Sprintf("user%d@example.com", i)
		admin.run("", "user", "create", "--email", email)
		admin.run(fmt.Sprintf("tok-%d\n", i), "user", "link-powens", "--email", email, "--powens-user-id", fmt.Sprint(101+i), "--powens-token-stdin")
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitProcessed := func(what string) {
		t.Helper()
		testenv.WaitFor(t, 5*time.Minute, what, func() bool {
			var left int
			db.QueryRow(`SELECT count(*) FROM webhook_events WHERE status <> 'processed'`).Scan(&left)
			return left == 0
		})
	}
	// Person u's mapped connection is 20+u, its accounts 1000×(20+u)+1 and +2.
	event := func(webhookID int64, u int, first int64, perAccount int, end string) []byte {
		e, _ := time.Parse(time.DateOnly, end)
		return powenstest.Synced{WebhookDataID: webhookID, PowensUserID: int64(101 + u), ConnectionID: int64(20 + u), Accounts: 2,
			TransactionsPerAccount: perAccount, FirstTransactionID: first, Seed: uint64(webhookID), End: e}.Bytes()
	}
	want := map[int64]map[int64]*big.Rat{} // Powens account → booked Powens transaction → amount
	mapped := map[int64]bool{}
	ibanOf := map[string]int64{} // registered IBAN → Powens account
	for u := range 3 {
		for k := range int64(2) {
			mapped[int64(1000*(20+u))+1+k] = true
		}
	}

	// The victim processes a first sync of each person; their six accounts
	// are then mapped, each under an IBAN of its own.
	victim := startInstance(t, env)
	for u := range 3 {
		body := event(int64(100+u), u, int64(20+u)*1_000_000+1, 120, "2025-03-31")
		expectedBooked(t, body, mapped, want)
		deliver(t, victim, body)
	}
	waitProcessed("the first syncs processed")
	sb.InjectFault(sandbox.Fault{Path: sandbox.ImportPath, Release: release})
	for u := range 3 {
		for k := range int64(2) {
			powensAccount := int64(1000*(20+u)) + 1 + k
			var id int64
			if err := db.QueryRow(`SELECT id FROM accounts WHERE powens_id = $1`, powensAccount).Scan(&id); err != nil {
				t.Fatal(err)
			}
			iban := frenchIBAN(t, "30006", "00001", fmt.Sprintf("%011d", powensAccount))
			ibanOf[iban] = powensAccount
			admin.run("", "inqom", "link", "--email", fmt.Sprintf("user%d@example.com", u), "--account", fmt.Sprint(id),
				"--dossier", fmt.Sprint(dossiers[u]), "--iban", iban)
		}
	}

	// The next sync wakes the victim's push; the sandbox holds its first
	// import (the fault is in place before any mapping exists, so no push
	// can slip past it). A large event then starts processing, and the
	// victim dies with both in flight.
	body := event(200, 0, 20*1_000_000+500_001, 60, "2025-05-31")
	expectedBooked(t, body, mapped, want)
	deliver(t, victim, body)
	testenv.WaitFor(t, 2*time.Minute, "the victim's import to be held by the sandbox", func() bool {
		st := sb.State()
		return st.FaultsPending == 0 && st.InFlight == 1
	})
	large := powenstest.Synced{WebhookDataID: 1, PowensUserID: 101, ConnectionID: 1, Accounts: 4, TransactionsPerAccount: 10_000, Seed: 1}.Bytes()
	deliver(t, victim, large)
	var largeID int64
	testenv.WaitFor(t, 60*time.Second, "the large event to be processing", func() bool {
		return db.QueryRow(`SELECT id FROM webhook_events WHERE delivery_key = 'p101/wd:1' AND status = 'processing'`).Scan(&largeID) == nil
	})
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	victim.cmd.Wait()
	// Inqom then serves the dead client's held import (it cannot tell the
	// client is gone): the file is applied and nobody hears of it.
	releaseHeld()
	testenv.WaitFor(t, time.Minute, "the held import to play out", func() bool { return sb.State().InFlight == 0 })
	var inFlight int
	db.QueryRow(`SELECT count(*) FROM export_batches WHERE in_flight_since IS NOT NULL AND status = 'pending'`).Scan(&inFlight)
	if inFlight != 1 {
		t.Fatalf("after SIGKILL: %d batches caught in flight, want 1", inFlight)
	}
	// End the dead instance's leases, as time would.
	if _, err := db.Exec(`UPDATE inqom_mappings SET lease_until = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE webhook_events SET lease_until = 0 WHERE id = $1 AND status = 'processing'`, largeID); err != nil {
		t.Fatal(err)
	}

	// Three instances; syncs newer and older than what was sent go to all
	// of them, twice each, while an operator pushes from the command line.
	instances := []*instance{startInstance(t, env), startInstance(t, env), startInstance(t, env)}
	ends := []string{"2025-08-31", "2025-02-15", "2025-06-30"}
	pushes := make(chan error, 9)
	for i := range 9 {
		u := i % 3
		body := event(int64(300+i), u, int64(20+u)*1_000_000+int64(600_001+1000*i), 40, ends[i/3])
		expectedBooked(t, body, mapped, want)
		deliver(t, instances[i%3], body)
		deliver(t, instances[(i+1)%3], body)
		go func() { pushes <- admin.try("", "inqom", "push") }()
	}
	waitProcessed("every event processed")
	for range 9 {
		<-pushes // their errors are the held file's, dealt with below
	}

	// The batch caught in flight was resent under review: if the sandbox
	// already had it, its balance control refused the copy and the file is
	// held for a person, who checks the dossier and says so.
	total := 0
	for _, ids := range want {
		total += len(ids)
	}
	received := func() int {
		n := 0
		for _, d := range dossiers {
			for _, is := range sb.Imports(d) {
				n += len(is.Statement.Movements)
			}
		}
		return n
	}
	var resolved []string
	testenv.WaitFor(t, 5*time.Minute, fmt.Sprintf("the sandbox to hold %d transactions", total), func() bool {
		rows, err := db.Query(`SELECT b.id, b.filename, u.email FROM export_batches b JOIN inqom_mappings m ON m.id = b.mapping_id
			JOIN users u ON u.id = m.user_id WHERE b.held OR b.status = 'failed'`)
		if err != nil {
			t.Fatal(err)
		}
		var held [][3]string
		for rows.Next() {
			var id int64
			var name, email string
			if err := rows.Scan(&id, &name, &email); err != nil {
				t.Fatal(err)
			}
			held = append(held, [3]string{fmt.Sprint(id), name, email})
		}
		rows.Close()
		for _, h := range held {
			action := "retry"
			if sandboxHasFile(sb, dossiers, h[1]) {
				action = "sent"
			}
			resolved = append(resolved, h[1]+" "+action)
			admin.run("", "inqom", "resolve", "--email", h[2], "--batch", h[0], "--action", action)
			admin.try("", "inqom", "push", "--email", h[2])
		}
		return received() >= total
	})

	// The sandbox's record, checked against the payloads.
	// The file caught in flight was applied by the sandbox, so its resend
	// was refused and held, and the person said "sent".
	if len(resolved) != 1 || !strings.HasSuffix(resolved[0], " sent") {
		t.Errorf("files resolved: %q, want the one caught in flight, as sent", resolved)
	}
	seen := map[int64]int{}
	files, statements, late := map[string]bool{}, 0, 0
	for _, d := range dossiers {
		last := map[string]*statementEnd{}
		for _, is := range sb.Imports(d) {
			st := is.Statement
			files[is.Filename], statements = true, statements+1
			powensAccount, ok := ibanOf[is.IBAN]
			if !ok {
				t.Fatalf("dossier %d received a statement for %s, an IBAN never registered", d, is.IBAN)
			}
			sum := st.OpeningMinor
			for _, m := range st.Movements {
				sum += m.AmountMinor
				fields := strings.Fields(m.Label)
				id, err := strconv.ParseInt(fields[len(fields)-1], 10, 64)
				if err != nil {
					t.Fatalf("%s: movement label %q does not end with its Powens id", is.Filename, m.Label)
				}
				seen[id]++
				if m.ValueDate.Before(m.BookingDate) {
					late++ // booked after its own day, which had been sent
				}
				amount, ok := want[powensAccount][id]
				if !ok {
					t.Errorf("%s: transaction %d is not a booked transaction of account %d", is.Filename, id, powensAccount)
				} else if got := new(big.Rat).SetFrac(big.NewInt(m.AmountMinor), big.NewInt(100)); got.Cmp(amount) != 0 {
					t.Errorf("%s: transaction %d of %s, want %s", is.Filename, id, got.FloatString(2), amount.FloatString(2))
				}
				if prev := last[is.IBAN]; prev != nil && !m.BookingDate.After(prev.date) {
					t.Errorf("%s: transaction %d booked on %s, a day already sent (the previous statement closed on %s)",
						is.Filename, id, m.BookingDate.Format(time.DateOnly), prev.date.Format(time.DateOnly))
				}
			}
			if sum != st.ClosingMinor {
				t.Errorf("%s: opens at %d, moves to %d, closes at %d", is.Filename, st.OpeningMinor, sum, st.ClosingMinor)
			}
			if prev := last[is.IBAN]; prev != nil && (!st.OpeningDate.Equal(prev.date) || st.OpeningMinor != prev.minor) {
				t.Errorf("%s: opens on %s at %d; the previous statement of %s closed on %s at %d", is.Filename,
					st.OpeningDate.Format(time.DateOnly), st.OpeningMinor, is.IBAN, prev.date.Format(time.DateOnly), prev.minor)
			}
			if st.ClosingDate.Before(st.OpeningDate) {
				t.Errorf("%s: closes on %s, before it opens on %s", is.Filename, st.ClosingDate.Format(time.DateOnly), st.OpeningDate.Format(time.DateOnly))
			}
			last[is.IBAN] = &statementEnd{date: st.ClosingDate, minor: st.ClosingMinor}
		}
	}
	missing := 0
	for account, ids := range want {
		for id := range ids {
			if seen[id] != 1 {
				missing++
				if missing <= 10 {
					t.Errorf("transaction %d of account %d reached Inqom %d times, want once", id, account, seen[id])
				}
			}
		}
	}
	if missing > 0 || len(seen) != total {
		t.Errorf("%d of %d transactions not received exactly once; %d distinct received", missing, total, len(seen))
	}
	if late == 0 {
		t.Errorf("no transaction arrived after its day was sent: the late syncs tested nothing")
	}
	t.Logf("Inqom received %d transactions once each in %d files (%d statements), %d of them late; resolved %q",
		len(seen), len(files), statements, late, resolved)
	for _, in := range instances {
		if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := in.cmd.Wait(); err != nil {
			t.Errorf("instance %s stopped with %v:\n%s", in.url, err, in.stderr)
		}
	}
}

// statementEnd is where an account's last statement closed.
type statementEnd struct {
	date  time.Time
	minor int64
}

// sandboxHasFile reports whether the sandbox accepted a file of that name.
func sandboxHasFile(sb *sandbox.Server, dossiers []int64, name string) bool {
	for _, d := range dossiers {
		for _, is := range sb.Imports(d) {
			if is.Filename == name {
				return true
			}
		}
	}
	return false
}

// try runs a command and returns its error, for commands that may rightly
// fail (a push that meets a file held for a person).
func (tm *testMain) try(stdin string, args ...string) error {
	m, _, _ := tm.main(stdin)
	return m.Run(context.Background(), args)
}

// expectedBooked reads a payload with encoding/json and math/big, apart
// from freenahi's parser: the booked (not coming) transactions of the
// mapped accounts and their amounts.
func expectedBooked(t *testing.T, body []byte, mapped map[int64]bool, into map[int64]map[int64]*big.Rat) {
	t.Helper()
	var p struct {
		Connection struct {
			Accounts []struct {
				ID           int64 `json:"id"`
				Transactions []struct {
					ID     int64       `json:"id"`
					Value  json.Number `json:"value"`
					Coming bool        `json:"coming"`
				} `json:"transactions"`
			} `json:"accounts"`
		} `json:"connection"`
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Connection.Accounts {
		if !mapped[a.ID] {
			continue
		}
		if into[a.ID] == nil {
			into[a.ID] = map[int64]*big.Rat{}
		}
		for _, tx := range a.Transactions {
			if tx.Coming {
				continue
			}
			v, ok := new(big.Rat).SetString(tx.Value.String())
			if !ok {
				t.Fatalf("value %q", tx.Value)
			}
			into[a.ID][tx.ID] = v
		}
	}
}

// frenchIBAN builds a French IBAN from its RIB with math/big: the RIB key
// (97 − (89·bank + 15·branch + 3·account) mod 97) and the ISO 7064 check
// digits (98 − (BBAN ‖ "FR00" as digits) mod 97).
func frenchIBAN(t *testing.T, bank, branch, account string) string {
	t.Helper()
	num := func(s string) *big.Int {
		n, ok := new(big.Int).SetString(s, 10)
		if !ok {
			t.Fatalf("%q is not digits", s)
		}
		return n
	}
	r := new(big.Int).Mul(big.NewInt(89), num(bank))
	r.Add(r, new(big.Int).Mul(big.NewInt(15), num(branch)))
	r.Add(r, new(big.Int).Mul(big.NewInt(3), num(account)))
	key := 97 - new(big.Int).Mod(r, big.NewInt(97)).Int64()
	bban := fmt.Sprintf("%s%s%s%02d", bank, branch, account, key)
	check := 98 - new(big.Int).Mod(num(bban+"152700"), big.NewInt(97)).Int64()
	return fmt.Sprintf("FR%02d%s", check, bban)
}
