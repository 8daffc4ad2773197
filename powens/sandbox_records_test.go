package powens_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/sandbox"
)

// TestSandbox_DecodesWhatTheSandboxHolds runs the client against the sandbox
// over HTTP and checks what it decoded, field by field, against the
// sandbox's own records. The sandbox writes its JSON from types of its own,
// so a json tag renamed in the client (original_wording → wording_original)
// leaves a field empty here and fails this test.
func TestSandbox_DecodesWhatTheSandboxHolds(t *testing.T) {
	ctx := context.Background()
	e := MustStartSandbox(t)
	u, tok := e.MustCreateUser(t)
	logins := []struct{ connector, login string }{{testBank, "demo"}, {wealthBank, "demo"}, {testBank, "action"},
		{testBank, "gross"}, {testBank, "olderror"}, {testBank, "reissue"}, {sandbox.LegacyBankUUID, "demo"}}
	for _, c := range logins {
		conn, _ := e.MustConnect(t, u, c.connector, c.login)
		all, err := u.ListConnectionAccounts(ctx, conn.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range all.Accounts {
			ids = append(ids, a.ID)
		}
		if len(ids) > 0 {
			if _, err := u.ActivateAccounts(ctx, conn.ID, ids); err != nil {
				t.Fatal(err)
			}
		}
		if c.login == "reissue" {
			// Two syncs: one transaction re-issued with its old id deleted, one with it gone.
			e.sbx.SyncConnection(conn.ID)
			e.sbx.SyncConnection(conn.ID)
		}
	}
	rec := e.sbx.Records(tok.IDUser)

	conns, err := u.ListConnections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != len(rec.Connections) {
		t.Fatalf("client decoded %d connections, the sandbox holds %d", len(conns), len(rec.Connections))
	}
	for i, c := range conns {
		checkConnection(t, &c, rec.Connections[i])
	}

	accounts, err := u.ListAccounts(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts.Accounts) != len(rec.Accounts) {
		t.Fatalf("client decoded %d accounts, the sandbox holds %d", len(accounts.Accounts), len(rec.Accounts))
	}
	for i := range accounts.Accounts {
		checkAccount(t, &accounts.Accounts[i], rec.Accounts[i])
	}

	got := map[int64]powens.Transaction{}
	for page, err := range u.TransactionPages(ctx, powens.TransactionQuery{All: true}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range page.Transactions {
			got[tx.ID] = tx
		}
	}
	if len(got) != len(rec.Transactions) || len(got) == 0 {
		t.Fatalf("client decoded %d transactions, the sandbox holds %d", len(got), len(rec.Transactions))
	}
	bad := 0
	for _, want := range rec.Transactions {
		tx, ok := got[want.ID]
		if !ok {
			t.Fatalf("transaction %d not listed", want.ID)
		}
		if !checkTransaction(t, &tx, want) {
			if bad++; bad == 5 {
				t.Fatalf("stopping after %d transactions decoded wrong", bad)
			}
		}
	}
}

// mismatch collects the fields of one object that differ, to report them together.
type mismatch struct {
	t    *testing.T
	what string
	errs []string
}

func (m *mismatch) eq(field string, got, want any) {
	if got != want {
		m.errs = append(m.errs, fmt.Sprintf("%s=%v, want %v", field, got, want))
	}
}

func (m *mismatch) time(field string, got, want time.Time) {
	if !got.Equal(want) {
		m.errs = append(m.errs, fmt.Sprintf("%s=%v, want %v", field, got, want))
	}
}

// cents reads a decoded amount in cents; nil is null.
func (m *mismatch) cents(field string, got powens.Number, want *int64) {
	switch {
	case want == nil && got.Valid():
		m.errs = append(m.errs, fmt.Sprintf("%s=%s, want null", field, got))
	case want == nil:
	case !got.Valid():
		m.errs = append(m.errs, fmt.Sprintf("%s=null, want %d cents", field, *want))
	default:
		v, err := freenahi.ParseAmount(field, got.String(), 2)
		if err != nil || v != *want {
			m.errs = append(m.errs, fmt.Sprintf("%s=%s, want %d cents", field, got, *want))
		}
	}
}

// report fails the test when a field differed, and says whether all matched.
func (m *mismatch) report() bool {
	m.t.Helper()
	if len(m.errs) > 0 {
		m.t.Errorf("%s decoded differently from the sandbox's record:\n  %v", m.what, m.errs)
	}
	return len(m.errs) == 0
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func id(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func checkConnection(t *testing.T, c *powens.Connection, want sandbox.ConnectionRecord) {
	t.Helper()
	m := &mismatch{t: t, what: fmt.Sprintf("connection %d", want.ID)}
	m.eq("id", c.ID, want.ID)
	m.eq("id_user", id(c.IDUser), want.UserID)
	m.eq("id_connector", id(c.IDConnector), want.ConnectorID)
	m.eq("connector_uuid", c.ConnectorUUID, want.ConnectorUUID)
	m.eq("state", c.StateString(), want.State)
	m.eq("error_message", str(c.ErrorMessage), want.ErrorMessage)
	m.eq("active", c.Active != nil && *c.Active, want.Active)
	m.time("created", c.Created.Time, want.Created)
	m.time("last_update", c.LastUpdate.Time, want.LastUpdate)
	m.time("next_try", c.NextTry.Time, want.NextTry)
	m.time("last_push", c.LastPush.Time, want.LastPush)
	m.report()
}

func checkAccount(t *testing.T, a *powens.Account, want sandbox.AccountRecord) {
	t.Helper()
	m := &mismatch{t: t, what: fmt.Sprintf("account %d", want.ID)}
	m.eq("id", a.ID, want.ID)
	m.eq("id_connection", id(a.IDConnection), want.ConnectionID)
	m.eq("id_user", id(a.IDUser), want.UserID)
	m.eq("id_source", id(a.IDSource), want.SourceID)
	m.eq("id_parent", id(a.IDParent), want.ParentID)
	m.eq("name", a.Name, want.Name)
	m.eq("original_name", a.OriginalName, want.OriginalName)
	m.eq("type", string(a.Type), want.Type)
	m.eq("usage", str(a.Usage), want.Usage)
	m.eq("number", str(a.Number), want.Number)
	m.eq("iban", str(a.IBAN), want.IBAN)
	m.eq("currency", a.Currency.Domain().Code, want.Currency)
	m.cents("balance", a.Balance, &want.BalanceCents)
	m.cents("coming", a.Coming, &want.ComingCents)
	m.eq("display", a.Display != nil && *a.Display, want.Display)
	m.eq("bookmarked", bool(a.Bookmarked), want.Bookmarked)
	m.time("disabled", a.Disabled.Time, want.Disabled)
	m.time("deleted", a.Deleted.Time, want.Deleted)
	m.time("last_update", a.LastUpdate.Time, want.LastUpdate)
	m.eq("opening_date", a.OpeningDate.Date, want.OpeningDate)
	switch l := want.Loan; {
	case l == nil && a.Loan != nil:
		m.errs = append(m.errs, "loan present, want none")
	case l == nil:
	case a.Loan == nil:
		m.errs = append(m.errs, "loan missing")
	default:
		m.cents("loan.total_amount", a.Loan.TotalAmount, &l.PrincipalCents)
		m.cents("loan.used_amount", a.Loan.UsedAmount, &l.PrincipalCents)
		m.cents("loan.next_payment_amount", a.Loan.NextPaymentAmount, &l.PaymentCents)
		m.cents("loan.rate", a.Loan.Rate, &l.RateBasisPoints)
		m.eq("loan.nb_payments_done", id(a.Loan.NbPaymentsDone), int64(l.PaymentsDone))
		m.eq("loan.nb_payments_total", id(a.Loan.NbPaymentsTotal), int64(l.PaymentsTotal))
		m.eq("loan.nb_payments_left", id(a.Loan.NbPaymentsLeft), int64(l.PaymentsTotal-l.PaymentsDone))
		m.eq("loan.subscription_date", a.Loan.SubscriptionDate.Date, l.Signed)
		m.eq("loan.start_repayment_date", a.Loan.StartRepaymentDate.Date, l.FirstPayment)
		m.eq("loan.maturity_date", a.Loan.MaturityDate.Date, l.Maturity)
		m.eq("loan.next_payment_date", a.Loan.NextPaymentDate.Date, l.NextPayment)
		m.eq("loan.last_payment_date", a.Loan.LastPaymentDate.Date, l.LastPayment)
	}
	m.report()
}

func checkTransaction(t *testing.T, tx *powens.Transaction, want sandbox.TransactionRecord) bool {
	t.Helper()
	m := &mismatch{t: t, what: fmt.Sprintf("transaction %d", want.ID)}
	m.eq("id_account", tx.IDAccount, want.AccountID)
	m.eq("date", tx.Date.Date, want.Date)
	m.eq("rdate", tx.RDate.Date, want.RDate)
	m.eq("application_date", tx.ApplicationDate.Date, want.ApplicationDate)
	m.eq("vdate", tx.VDate.Date, want.VDate)
	m.time("rdatetime", tx.RDatetime.Time, want.RDatetime)
	m.cents("value", tx.Value, want.ValueCents)
	m.cents("gross_value", tx.GrossValue, want.GrossCents)
	m.cents("commission", tx.Commission, want.CommissionCents)
	commissionCurrency := ""
	if tx.CommissionCurrency != nil {
		commissionCurrency = tx.CommissionCurrency.ID
	}
	m.eq("commission_currency", commissionCurrency, want.CommissionCurrency)
	m.eq("type", tx.Type, want.Type)
	m.eq("original_wording", tx.OriginalWording, want.OriginalWording)
	m.eq("simplified_wording", tx.SimplifiedWording, want.Simplified)
	m.eq("wording", str(tx.Wording), want.Simplified)
	m.eq("coming", tx.Coming, want.Coming)
	m.eq("active", tx.Active != nil && *tx.Active, true)
	m.eq("card", str(tx.Card), want.Card)
	var label, iban, typ string
	if cp := tx.Counterparty; cp != nil {
		label, iban, typ = str(cp.Label), str(cp.AccountIdentification), str(cp.Type)
	}
	m.eq("counterparty.label", label, want.CounterpartyLabel)
	m.eq("counterparty.account_identification", iban, want.CounterpartyIBAN)
	m.eq("counterparty.type", typ, want.CounterpartyType)
	m.time("date_scraped", tx.DateScraped.Time, want.Scraped)
	m.time("last_update", tx.LastUpdate.Time, want.LastUpdate)
	m.time("deleted", tx.Deleted.Time, want.Deleted)
	return m.report()
}
