package powens_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// The client decodes each contract document; the values checked were read
// off the documents by hand.

// check fails the test when got differs from want.
func check[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s=%v, want %v", what, got, want)
	}
}

// paris is a wall-clock time in Europe/Paris, as Powens' naive datetimes are.
func paris(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, powens.Paris)
}

func day(y int, m time.Month, d int) freenahi.Date { return freenahi.Date{Year: y, Month: m, Day: d} }

// transactions decodes an account's raw transactions.
func transactions(t *testing.T, a *powens.Account) []powens.Transaction {
	t.Helper()
	var out []powens.Transaction
	if err := powens.DecodeTransactions(a.Transactions, func(_ int, tx *powens.Transaction) error {
		out = append(out, *tx)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestContract_ConnectionSynced(t *testing.T) {
	b, _ := contractDoc(t, "connection-synced.json")
	env, err := powens.DecodeEnvelope(b)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "id_webhook_data", *env.IDWebhookData, 733091)
	check(t, "Powens user", *env.PowensUserID("connection_synced"), 4821)
	p, err := powens.DecodeConnectionSynced(b)
	if err != nil {
		t.Fatal(err)
	}
	c := p.Connection
	check(t, "connection.id", c.ID, 90117)
	check(t, "state", c.StateString(), "")
	check(t, "connector_uuid", c.ConnectorUUID, "6c2a8d3e-1b7f-4e0a-9d15-3f8b2c4e7a10")
	check(t, "last_update", c.LastUpdate.Time, paris(2026, 11, 2, 9, 14, 7))
	check(t, "connector.name", c.Connector.Name, "Banque Exemple")
	check(t, "sources[0].access_expire", c.Sources[0].AccessExpire.Time, paris(2027, 4, 26, 18, 5, 43))
	if len(c.Accounts) != 4 {
		t.Fatalf("%d accounts", len(c.Accounts))
	}
	checking := &c.Accounts[0]
	check(t, "balance", checking.Balance.String(), "2483.17")
	check(t, "iban", *checking.IBAN, "FR7630004000031234567890143")
	check(t, "currency", checking.Currency.ID, "EUR")
	txs := transactions(t, checking)
	check(t, "checking transactions", len(txs), 8)
	check(t, "tx.value", txs[0].Value.String(), "-42.9")
	check(t, "tx.rdatetime (UTC)", txs[0].RDatetime.Time, time.Date(2026, 10, 31, 18, 42, 10, 0, time.UTC))
	check(t, "tx.date_scraped", txs[0].DateScraped.Time, paris(2026, 11, 2, 9, 14, 7))
	check(t, "tx.original_wording", txs[0].OriginalWording, "CB CARREFOUR CITY 31/10")
	check(t, "tx.counterparty.account_identification", *txs[1].Counterparty.AccountIdentification, "FR7630003012340001234567840")
	check(t, "tx.comment", *txs[1].Comment, "Prime incluse")
	check(t, "tx.type", txs[6].Type, "loan_repayment")
	check(t, "tx.active", *txs[6].Active, false)
	check(t, "tx.coming", txs[7].Coming, true)
	check(t, "card id_parent", *c.Accounts[1].IDParent, 301)
	check(t, "savings type", string(c.Accounts[2].Type), "livret_a")
	pea := &c.Accounts[3]
	check(t, "pea.coming valid", pea.Coming.Valid(), false)
	order := transactions(t, pea)[0]
	check(t, "market_order.gross_value", order.GrossValue.String(), "-511.0")
	check(t, "market_order.commission", order.Commission.String(), "-1.4")
	check(t, "investment.code", *pea.Investments[0].Code, "FR0011871128")
	check(t, "investment.unitvalue", pea.Investments[0].UnitValue.String(), "26.213")
}

func TestContract_ConnectionSyncedOlder(t *testing.T) {
	b, _ := contractDoc(t, "connection-synced-older.json")
	env, err := powens.DecodeEnvelope(b)
	if err != nil {
		t.Fatal(err)
	}
	if env.IDWebhookData != nil {
		t.Errorf("id_webhook_data=%d, the older push has none", *env.IDWebhookData)
	}
	p, err := powens.DecodeConnectionSynced(b)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "state read from error", p.Connection.StateString(), "actionNeeded")
	check(t, "error_message", *p.Connection.ErrorMessage, "Merci de confirmer vos coordonnées sur le site de votre banque.")
	a := p.Connection.Accounts[0]
	check(t, "bookmarked 0", bool(a.Bookmarked), false)
	check(t, "type", string(a.Type), "livret_a")
	check(t, "transactions", len(transactions(t, &a)), 0)
}

func TestContract_AccountSynced(t *testing.T) {
	b, _ := contractDoc(t, "account-synced.json")
	env, err := powens.DecodeEnvelope(b)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "id_webhook_data", *env.IDWebhookData, 733412)
	check(t, "Powens user", *env.PowensUserID("account_synced"), 4821)
	var a powens.Account
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	check(t, "id", a.ID, 310)
	check(t, "id_connection", *a.IDConnection, 90118)
	check(t, "company_name", *a.CompanyName, "Atelier Dupont SARL")
	txs := transactions(t, &a)
	check(t, "transactions", len(txs), 8)
	sale := txs[0]
	check(t, "value null", sale.Value.Valid(), false)
	check(t, "gross_value", sale.GrossValue.String(), "30.0")
	check(t, "commission", sale.Commission.String(), "-1.22")
	check(t, "commission_currency null", sale.CommissionCurrency == nil, true)
	check(t, "commission_currency EUR", txs[1].CommissionCurrency.ID, "EUR")
	check(t, "commission_currency USD", txs[2].CommissionCurrency.ID, "USD")
	check(t, "original_currency", txs[2].OriginalCurrency.ID, "USD")
	check(t, "original_gross_value", txs[2].OriginalGrossValue.String(), "52.3")
	check(t, "unknown value", txs[3].Value.Valid() || txs[3].GrossValue.Valid() || txs[3].Commission.Valid(), false)
	check(t, "payout", txs[4].Type, "payout")
	check(t, "counterparty scheme", *txs[4].Counterparty.AccountSchemeName, "bban")
}

func TestContract_AccountsFetched(t *testing.T) {
	b, _ := contractDoc(t, "accounts-fetched.json")
	p, err := powens.DecodeConnectionSynced(b)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "user.platform", p.User.Platform, "sharedAccess")
	check(t, "connector.auth_mechanism null", p.Connection.Connector.AuthMechanism == nil, true)
	check(t, "accounts", len(p.Connection.Accounts), 3)
	for _, a := range p.Connection.Accounts {
		if a.Disabled.IsZero() {
			t.Errorf("account %d is not waiting for activation", a.ID)
		}
	}
	check(t, "types", string(p.Connection.Accounts[1].Type)+","+string(p.Connection.Accounts[2].Type), "ldds,csl")
	check(t, "disabled", p.Connection.Accounts[0].Disabled.Time, paris(2026, 11, 2, 10, 41, 25))
}

func TestContract_ConnectionsList(t *testing.T) {
	b, _ := contractDoc(t, "connections-list.json")
	var list struct{ Connections []powens.Connection }
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	want := []freenahi.ConnectionState{"", "SCARequired", "webauthRequired", "additionalInformationNeeded", "decoupled",
		"validating", "actionNeeded", "passwordExpired", "wrongpass", "rateLimiting", "websiteUnavailable", "bug",
		"notSupported", "actionNeeded"}
	if len(list.Connections) != len(want) {
		t.Fatalf("%d connections", len(list.Connections))
	}
	for i, c := range list.Connections {
		check(t, "state of connection "+c.ConnectorUUID[:4], c.ConnectionState(), want[i])
	}
	otp := list.Connections[3]
	check(t, "needs input", otp.NeedsInput(), true)
	check(t, "otp regex", *otp.Fields[0].Regex, `^\d{6}$`)
	check(t, "wrongpass fields", len(list.Connections[8].Fields), 2)
	check(t, "id_user null", list.Connections[12].IDUser == nil, true)
	check(t, "active", *list.Connections[12].Active, false)
	check(t, "next_try", list.Connections[9].NextTry.Time, paris(2026, 11, 2, 13, 8, 0))
}

func TestContract_TransactionsPage(t *testing.T) {
	b, _ := contractDoc(t, "transactions-page.json")
	var page powens.TransactionPage
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	check(t, "transactions", len(page.Transactions), 5)
	check(t, "first_date", page.FirstDate.Date, day(2014, 3, 12))
	check(t, "result_max_date", page.ResultMaxDate.Date, day(2026, 11, 2))
	check(t, "next", page.Links.Next.Href,
		"https://exemple-sandbox.biapi.pro/2.0/users/me/transactions?limit=5&last_update=2026-11-01+00%3A00%3A00&all&cursor=MjAyNjExMDI6NTU1MDEwMQ")
	fx := page.Transactions[0]
	check(t, "original_value", fx.OriginalValue.String(), "-31.99")
	check(t, "original_currency", fx.OriginalCurrency.ID, "USD")
	check(t, "datetime (UTC)", fx.Datetime.Time, time.Date(2026, 11, 2, 7, 12, 45, 0, time.UTC))
	check(t, "vdatetime (UTC)", fx.VDatetime.Time, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	check(t, "application_date null", page.Transactions[1].ApplicationDate.IsZero(), true)
	check(t, "type", page.Transactions[2].Type, "loan_payment")
	deleted := page.Transactions[3]
	check(t, "deleted", deleted.Deleted.Time, paris(2026, 11, 2, 9, 14, 7))
	check(t, "coming", deleted.Coming, true)
}

func TestContract_AccountsList(t *testing.T) {
	b, _ := contractDoc(t, "accounts-list.json")
	var list powens.AccountList
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	check(t, "accounts", len(list.Accounts), 9)
	check(t, "balances EUR", list.Balances["EUR"].String(), "7784.3")
	check(t, "coming_balances USD", list.ComingBalances["USD"].String(), "105.4")
	check(t, "bookmarked 1", bool(list.Accounts[0].Bookmarked), true)
	check(t, "bookmarked 0", bool(list.Accounts[1].Bookmarked), false)
	revolving := list.Accounts[3].Loan
	check(t, "loan.type", *revolving.Type, "revolvingcredit")
	check(t, "loan.available_amount", revolving.AvailableAmount.String(), "1749.25")
	check(t, "loan.rate null", revolving.Rate.Valid(), false)
	check(t, "loan.type null", list.Accounts[4].Loan.Type == nil, true)
	check(t, "deleted", list.Accounts[5].Deleted.Time, paris(2026, 10, 15, 9, 13, 2))
	disabled := list.Accounts[6]
	check(t, "balance null", disabled.Balance.Valid(), false)
	check(t, "currency null", disabled.Currency == nil, true)
	check(t, "usage null", disabled.Usage == nil, true)
	check(t, "ASSO usage", *list.Accounts[7].Usage, "ASSO")
	check(t, "USD currency", list.Accounts[7].Currency.Domain().Code, "USD")
	check(t, "id_connection null", list.Accounts[8].IDConnection == nil, true)
}

func TestContract_Investments(t *testing.T) {
	b, _ := contractDoc(t, "investments.json")
	var list powens.InvestmentList
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	check(t, "investments", len(list.Investments), 5)
	check(t, "valuation", list.Valuation.String(), "1731.67")
	check(t, "prev_diff null", list.PrevDiff.Valid(), false)
	etf := list.Investments[0]
	check(t, "diff_percent", etf.DiffPercent.String(), "0.0259")
	check(t, "prev_vdate", etf.PrevVDate.Date, day(2026, 10, 30))
	stock := list.Investments[1]
	check(t, "original_currency", stock.OriginalCurrency.ID, "USD")
	check(t, "original_valuation", stock.OriginalValuation.String(), "987.76")
	check(t, "AMF code_type", *list.Investments[2].CodeType, "AMF")
	check(t, "quantity", list.Investments[2].Quantity.String(), "1.532")
	check(t, "cash line code null", list.Investments[3].Code == nil && list.Investments[3].CodeType == nil, true)
	check(t, "sold line deleted", list.Investments[4].Deleted.Date, day(2026, 10, 15))
}

func TestContract_LoanAccount(t *testing.T) {
	b, _ := contractDoc(t, "loan-account.json")
	var a powens.Account
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	l := a.Loan
	check(t, "balance", a.Balance.String(), "-179781.27")
	check(t, "total_amount", l.TotalAmount.String(), "228000")
	check(t, "next_payment_date", l.NextPaymentDate.Date, day(2026, 11, 5))
	check(t, "maturity_date", l.MaturityDate.Date, day(2045, 10, 5))
	check(t, "nb_payments_done", *l.NbPaymentsDone, 72)
	check(t, "nb_payments_left", *l.NbPaymentsLeft, 228)
	check(t, "rate", l.Rate.String(), "1.71")
	check(t, "insurance_rate", l.InsuranceRate.String(), "0.003")
	check(t, "deferred", *l.Deferred, false)
	check(t, "type", *l.Type, "mortgage")
}

func TestContract_Connector(t *testing.T) {
	b, _ := contractDoc(t, "connector.json")
	var c powens.Connector
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	check(t, "uuid", c.UUID, "6c2a8d3e-1b7f-4e0a-9d15-3f8b2c4e7a10")
	check(t, "charged", c.Charged, true)
	check(t, "sources", len(c.Sources), 3)
	check(t, "source priority", c.Sources[1].Priority, 2)
	check(t, "disabled source", c.Sources[2].Disabled.Time, paris(2026, 6, 30, 0, 0, 0))
	check(t, "source auth_mechanism null", c.Sources[2].AuthMechanism == nil, true)
	check(t, "fields", len(c.Fields), 5)
	check(t, "list values", c.Fields[0].Values[1].Value, "pro")
	check(t, "password regex", *c.Fields[2].Regex, "^[0-9]{6}$")
	check(t, "date field", c.Fields[3].Type, "date")
	check(t, "optional field", c.Fields[4].Required, false)
	check(t, "urls", c.URLs[0], "https://www.banque-exemple.fr/")
}

func TestContract_Errors(t *testing.T) {
	for _, tc := range []struct {
		file               string
		status             int
		code, message, req string
	}{
		{"error.json", 400, "actionNeeded", "Veuillez accepter les nouvelles conditions générales dans votre espace client.", "84215533"},
		{"error-bug.json", 500, "bug", "", ""},
		{"error-unauthorized-older.json", 401, "unauthorized", "", ""},
		{"error-authfailure-older.json", 401, "authFailure", "Authentication failed: wrong client credentials.", ""},
	} {
		b, _ := contractDoc(t, tc.file)
		e := powens.DecodeError(tc.status, b)
		check(t, tc.file+" code", e.Code, tc.code)
		check(t, tc.file+" message", e.Message, tc.message)
		check(t, tc.file+" request_id", string(e.RequestID), tc.req)
	}
}
