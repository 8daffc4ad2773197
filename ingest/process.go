// Package ingest turns webhook inbox events into stored data: one database
// transaction per event, idempotent, one event per Powens user at a time.
package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// transactionBatch is how many decoded transactions are held before they are
// written, which bounds memory whatever the payload size.
const transactionBatch = 400

// Apply writes the effects of one event through w. Errors about the payload are
// EINVALID (retrying cannot help); others are worth a retry.
func Apply(ctx context.Context, w freenahi.SyncWriter, e *freenahi.InboxEvent) error {
	if e.Body == nil && e.BodyFile != nil {
		switch e.Event {
		case freenahi.EventConnectionSynced, freenahi.EventReconcile, freenahi.EventAccountsFetched:
			// Streamed from the file (applyConnectionSyncedFrom).
		default:
			// Other events are small; read whole.
			body := make([]byte, e.BodySize)
			if _, err := e.BodyFile.ReadAt(body, 0); err != nil {
				return fmt.Errorf("read the body of event %d: %w", e.ID, err)
			}
			whole := *e
			whole.Body, whole.BodyFile = body, nil
			e = &whole
		}
	}
	switch e.Event {
	case freenahi.EventConnectionSynced, freenahi.EventReconcile:
		return applyConnectionSynced(ctx, w, e)
	case freenahi.EventConnectionDeleted:
		var c powens.Connection
		if err := decode(e.Body, &c); err != nil {
			return err
		}
		if err := checkID("id", c.ID); err != nil {
			return err
		}
		return w.MarkConnectionDeleted(ctx, c.ID, e.ReceivedAt)
	case freenahi.EventAccountEnabled, freenahi.EventAccountDisabled:
		return applyAccountToggle(ctx, w, e)
	case freenahi.EventUserDeleted:
		return w.UnlinkPowensUser(ctx, e.ReceivedAt)
	case freenahi.EventAccountSynced:
		return applyAccountSynced(ctx, w, e)
	case freenahi.EventAccountsFetched:
		return applyConnectionSynced(ctx, w, e)
	case freenahi.EventUserSynced:
		return applyUserSynced(ctx, w, e)
	}
	return invalid("", "event %q is not one freenahi processes", e.Event)
}

// invalid is an EINVALID error about Powens' payload. Only an operator
// reads it (in the inbox, through `freenahi webhooks`), so it is said in
// English and carries no message key to translate; field, when set, is the
// JSON path at fault.
func invalid(field, format string, args ...any) *freenahi.Error {
	msg := fmt.Sprintf(format, args...)
	if field != "" {
		msg = field + ": " + msg
	}
	return &freenahi.Error{Code: freenahi.EINVALID, Field: field, Message: msg}
}

// checkID checks an id Powens gives an object. Rows are keyed by it: a
// missing one (null decodes as 0) would merge distinct objects into one row
// and lose all but the last, and Powens hands out no id below 1.
func checkID(path string, id int64) error {
	switch {
	case id == 0:
		return invalid(path, "is missing")
	case id < 0:
		return invalid(path, "is %d, which is not a Powens id", id)
	}
	return nil
}

func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return invalid("", "payload does not decode: %v", err)
	}
	return nil
}

func applyConnectionSynced(ctx context.Context, w freenahi.SyncWriter, e *freenahi.InboxEvent) error {
	if e.Body == nil && e.BodyFile != nil {
		return applyConnectionSyncedFrom(ctx, w, e)
	}
	p, err := powens.DecodeConnectionSynced(e.Body)
	if err != nil {
		return invalid("", "payload does not decode: %v", err)
	}
	var complete []int64
	if e.Event == freenahi.EventReconcile {
		var pulled struct {
			Complete []int64 `json:"freenahi_complete_accounts"`
		}
		// Best effort: the marker is ours, written by the aggregator.
		_ = json.Unmarshal(e.Body, &pulled)
		complete = pulled.Complete
	}
	return applyConnection(ctx, w, "connection", p.Connection, e, inBody(p.Connection), complete...)
}

// applyConnectionSyncedFrom is applyConnectionSynced for a body left in a
// file (a large one, issue 15, item 5): the body is read once to decode all
// but the transactions, then each account's transactions array is read
// and decoded a transaction at a time. The whole body is never in memory,
// nor are all its transactions. A body the streaming scan leaves to
// encoding/json (escaped or repeated names) is read whole, as before.
func applyConnectionSyncedFrom(ctx context.Context, w freenahi.SyncWriter, e *freenahi.InboxEvent) error {
	in := &readKeeper{r: e.BodyFile}
	err := applyStreamed(ctx, w, e, in)
	if in.err != nil {
		// Reading the body failed, not decoding it: worth a retry.
		return fmt.Errorf("read the body of event %d: %w", e.ID, in.err)
	}
	return err
}

func applyStreamed(ctx context.Context, w freenahi.SyncWriter, e *freenahi.InboxEvent, in *readKeeper) error {
	b, ok, err := powens.ConnectionSyncedFrom(io.NewSectionReader(in, 0, e.BodySize))
	if err != nil {
		return invalid("", "payload does not decode: %v", err)
	}
	if !ok {
		body := make([]byte, e.BodySize)
		if _, err := in.ReadAt(body, 0); err != nil {
			return err
		}
		whole := *e
		whole.Body, whole.BodyFile = body, nil
		return applyConnectionSynced(ctx, w, &whole)
	}
	var complete []int64
	if e.Event == freenahi.EventReconcile {
		var pulled struct {
			Complete []int64 `json:"freenahi_complete_accounts"`
		}
		_ = json.Unmarshal(b.Envelope, &pulled) // a root member: in the envelope
		complete = pulled.Complete
	}
	src := func(i int) txSource {
		if sec := b.Arrays[i]; sec.Len > 0 {
			return txSource{at: in, sec: sec}
		}
		return txSource{raw: b.Synced.Connection.Accounts[i].Transactions}
	}
	return applyConnection(ctx, w, "connection", b.Synced.Connection, e, src, complete...)
}

// readKeeper keeps the first error reading a body, so that it is told
// apart from the body's own faults (which are final).
type readKeeper struct {
	r   io.ReaderAt
	mu  sync.Mutex
	err error
}

func (k *readKeeper) ReadAt(p []byte, off int64) (int, error) {
	n, err := k.r.ReadAt(p, off)
	if err != nil && err != io.EOF {
		k.mu.Lock()
		if k.err == nil {
			k.err = err
		}
		k.mu.Unlock()
	}
	return n, err
}

// txSource is where an account's transactions are: raw, in a body held in
// memory, or at a section of a body left in a file.
type txSource struct {
	raw json.RawMessage
	at  io.ReaderAt
	sec powens.Section
}

// inBody gives the accounts' transactions of a connection decoded from a
// body in memory.
func inBody(pc *powens.Connection) func(int) txSource {
	return func(i int) txSource { return txSource{raw: pc.Accounts[i].Transactions} }
}

// applyConnection upserts a connection and what it carries. A push mentions
// what changed: nothing it leaves out is deleted or hidden, so a partial
// push (ACCOUNTS_FETCHED, a partial history) is safe.
//
// complete names accounts whose whole history the payload carries (a full
// pull): their stored transactions that it no longer lists, within the
// dates it covers, have vanished at Powens (a bank reissued them under new
// ids) and are marked deleted.
func applyConnection(ctx context.Context, w freenahi.SyncWriter, path string, pc *powens.Connection, e *freenahi.InboxEvent, txs func(int) txSource, complete ...int64) error {
	if pc == nil {
		return invalid(path, "is missing")
	}
	if err := checkID(path+".id", pc.ID); err != nil {
		return err
	}
	for i := range pc.Sources {
		if err := checkID(fmt.Sprintf("%s.sources[%d].id", path, i), pc.Sources[i].ID); err != nil {
			return err
		}
	}
	c := mapConnection(pc)
	if err := w.UpsertConnection(ctx, c); err != nil {
		return err
	}
	for i := range pc.Accounts {
		var seen *history
		if slices.Contains(complete, pc.Accounts[i].ID) {
			seen = &history{ids: map[int64]bool{}}
		}
		if err := applyAccount(ctx, w, fmt.Sprintf("%s.accounts[%d]", path, i), &pc.Accounts[i], txs(i), c, e, seen); err != nil {
			return err
		}
		// Let the decoded transactions of this account go before the next one.
		pc.Accounts[i].Transactions = nil
	}
	return nil
}

// applyAccountSynced handles ACCOUNT_SYNCED: one account (a BankAccount at
// the root) with its new transactions and investments, sent during a sync
// before the connection's CONNECTION_SYNCED. For a connection not known yet
// (its first sync), a connection row is made from the account's
// id_connection, and the CONNECTION_SYNCED that follows completes it.
func applyAccountSynced(ctx context.Context, w freenahi.SyncWriter, e *freenahi.InboxEvent) error {
	var pa powens.Account
	if err := decode(e.Body, &pa); err != nil {
		return err
	}
	if pa.IDConnection == nil || *pa.IDConnection <= 0 {
		return invalid("id_connection", "is missing")
	}
	pid := *pa.IDConnection
	c := &freenahi.Connection{PowensID: pid}
	id, err := w.ConnectionID(ctx, pid)
	switch freenahi.ErrorCode(err) {
	case "":
		c.ID = id
	case freenahi.ENOTFOUND:
		c = mapConnection(&powens.Connection{ID: pid, IDUser: pa.IDUser})
		if err := w.UpsertConnection(ctx, c); err != nil {
			return err
		}
	default:
		return err
	}
	return applyAccount(ctx, w, "account", &pa, txSource{raw: pa.Transactions}, c, e, nil)
}

// applyUserSynced handles the deprecated USER_SYNCED: several connections.
func applyUserSynced(ctx context.Context, w freenahi.SyncWriter, e *freenahi.InboxEvent) error {
	var p struct {
		Connections []powens.Connection `json:"connections"`
	}
	if err := decode(e.Body, &p); err != nil {
		return err
	}
	for i := range p.Connections {
		if err := applyConnection(ctx, w, fmt.Sprintf("connections[%d]", i), &p.Connections[i], e, inBody(&p.Connections[i])); err != nil {
			return err
		}
	}
	return nil
}

// history records the transactions a complete payload lists for an account.
type history struct {
	ids   map[int64]bool
	first freenahi.Date
}

func (h *history) add(t *freenahi.Transaction) {
	h.ids[t.PowensID] = true
	if h.first.IsZero() || t.Date.Before(h.first) {
		h.first = t.Date
	}
}

func applyAccount(ctx context.Context, w freenahi.SyncWriter, path string, pa *powens.Account, txs txSource, c *freenahi.Connection, e *freenahi.InboxEvent, seen *history) error {
	if err := checkID(path+".id", pa.ID); err != nil {
		return err
	}
	cur, err := accountCurrency(ctx, w, path, pa, txs)
	if err != nil {
		return err
	}
	a, err := mapAccount(path, pa, cur, c.ID, c.PowensID)
	if err != nil {
		return err
	}
	if err := w.UpsertAccount(ctx, a); err != nil {
		return err
	}
	if a.BalanceMinor != nil {
		if err := w.RecordBalance(ctx, &freenahi.BalanceSnapshot{AccountID: a.ID, At: snapshotTime(a, c, e.ReceivedAt),
			BalanceMinor: *a.BalanceMinor, ComingMinor: a.ComingMinor}); err != nil {
			return err
		}
	}
	if err := upsertTransactions(ctx, w, path, txs, a, seen); err != nil {
		return err
	}
	if seen != nil && !seen.first.IsZero() {
		if _, err := w.MarkVanishedTransactions(ctx, a.ID, seen.first, seen.ids, e.ReceivedAt); err != nil {
			return err
		}
	}
	invs := make([]*freenahi.Investment, 0, len(pa.Investments))
	for i := range pa.Investments {
		in, err := mapInvestment(fmt.Sprintf("%s.investments[%d]", path, i), &pa.Investments[i], a)
		if err != nil {
			return err
		}
		invs = append(invs, in)
	}
	if err := w.UpsertInvestments(ctx, invs); err != nil {
		return err
	}
	if pa.Loan != nil {
		l, err := mapLoan(path+".loan", pa.Loan, a)
		if err != nil {
			return err
		}
		return w.UpsertLoan(ctx, l)
	}
	return nil
}

// applyAccountToggle handles ACCOUNT_ENABLED / ACCOUNT_DISABLED, whose body is a
// BankAccount: the account is upserted when its connection is known, else only
// its disabled mark is recorded (the next sync brings the rest).
func applyAccountToggle(ctx context.Context, w freenahi.SyncWriter, e *freenahi.InboxEvent) error {
	var pa powens.Account
	if err := decode(e.Body, &pa); err != nil {
		return err
	}
	if err := checkID("id", pa.ID); err != nil {
		return err
	}
	disabled := pa.Disabled.Ptr()
	if e.Event == freenahi.EventAccountDisabled && disabled == nil {
		disabled = &e.ReceivedAt
	} else if e.Event == freenahi.EventAccountEnabled {
		disabled = nil
	}
	if pa.IDConnection != nil {
		connID, err := w.ConnectionID(ctx, *pa.IDConnection)
		if err == nil {
			cur, err := accountCurrency(ctx, w, "account", &pa, txSource{raw: pa.Transactions})
			if err != nil {
				return err
			}
			a, err := mapAccount("account", &pa, cur, connID, *pa.IDConnection)
			if err != nil {
				return err
			}
			a.Disabled = disabled
			return w.UpsertAccount(ctx, a)
		} else if freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
			return err
		}
	}
	return w.SetAccountDisabled(ctx, pa.ID, disabled)
}

// upsertTransactions decodes an account's raw transactions and writes them in
// batches. Decoding runs in its own goroutine, one batch ahead of the
// database: on two cores that overlaps the two halves of the work, and memory
// stays bounded by the batches in flight.
func upsertTransactions(ctx context.Context, w freenahi.SyncWriter, path string, txs txSource, a *freenahi.Account, seen *history) error {
	batches := make(chan []*freenahi.Transaction, 1)
	stop := make(chan struct{})
	var decodeErr error
	go func() {
		defer close(batches)
		batch := make([]*freenahi.Transaction, 0, transactionBatch)
		each := func(i int, pt *powens.Transaction) error {
			t, err := mapTransaction(path, i, pt, a)
			if err != nil {
				return err
			}
			if batch = append(batch, t); len(batch) == transactionBatch {
				select {
				case batches <- batch:
				case <-stop:
					return errStopped
				}
				batch = make([]*freenahi.Transaction, 0, transactionBatch)
			}
			return nil
		}
		if txs.at != nil {
			decodeErr = powens.DecodeTransactionsAt(txs.at, txs.sec, each)
		} else {
			decodeErr = powens.DecodeTransactions(txs.raw, each)
		}
		if decodeErr == nil && len(batch) > 0 {
			select {
			case batches <- batch:
			case <-stop:
			}
		}
	}()
	var writeErr error
	written := 0
	for batch := range batches {
		// Decoding a large body makes garbage many times its size, which
		// the collector would let grow as large as everything live (the
		// body among it) before it runs: on a 63 MB body, processing
		// peaked at 4.2 times its size. A collection every 16 batches
		// (6,400 transactions) costs a few ms (issue 15, item 5).
		if written++; written%16 == 0 {
			runtime.GC()
		}
		if seen != nil {
			for _, t := range batch {
				seen.add(t)
			}
		}
		if writeErr == nil {
			if writeErr = w.UpsertTransactions(ctx, batch); writeErr != nil {
				close(stop) // let the decoder give up; keep draining until it does
			}
		}
	}
	switch {
	case writeErr != nil:
		return writeErr
	case decodeErr != nil && freenahi.ErrorCode(decodeErr) == freenahi.EINTERNAL:
		// The decoder's own error: the JSON does not have the documented shape.
		return invalid("", "%s.%v", path, decodeErr)
	}
	return decodeErr
}

var errStopped = errors.New("stopped")

// accountCurrency is the currency of an account's amounts: the one the
// payload gives, else the one stored for the account, never a default — a
// JPY account read as EUR would multiply its amounts by a hundred.
//
// Powens documents accounts that come without a currency: in its accounts
// list, a disabled account waiting for activation has currency, balance and
// coming all null (powens/testdata/contract/accounts-list.json). Such an
// account carries no amount, so nothing depends on its currency: it is
// stored with its currency unknown (empty), and the first payload bringing
// amounts for it must bring the currency too. An account with amounts and
// no currency, stored or sent, is refused with the JSON path.
func accountCurrency(ctx context.Context, w freenahi.SyncWriter, path string, pa *powens.Account, txs txSource) (freenahi.Currency, error) {
	if pa.Currency != nil && strings.TrimSpace(pa.Currency.ID) != "" {
		return pa.Currency.Domain(), nil
	}
	known, err := w.AccountCurrency(ctx, pa.ID)
	switch {
	case err == nil:
		return known, nil
	case freenahi.ErrorCode(err) != freenahi.ENOTFOUND:
		return freenahi.Currency{}, err
	case carriesAmounts(pa, txs):
		return freenahi.Currency{}, invalid(path+".currency", "is missing, and the account's currency is not known")
	}
	return freenahi.Currency{}, nil
}

// carriesAmounts reports whether an account holds any amount: a balance, a
// coming, a transaction, a position or a loan.
func carriesAmounts(pa *powens.Account, txs txSource) bool {
	if pa.Balance.Valid() || pa.Coming.Valid() || len(pa.Investments) > 0 || pa.Loan != nil {
		return true
	}
	if txs.at != nil {
		// A read error counts as amounts; the caller reports the read error.
		has, err := powens.ArrayHasElements(txs.at, txs.sec)
		return has || err != nil
	}
	raw := bytes.TrimSpace(txs.raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return false
	}
	// Anything but an empty array counts; a malformed list fails later, with its path.
	if raw[0] != '[' {
		return true
	}
	rest := bytes.TrimSpace(raw[1:])
	return len(rest) == 0 || rest[0] != ']'
}
