// Package powenstest generates Powens webhook payloads for tests, benchmarks
// and load scripts: deterministic, realistic in shape, and of any size; and
// connects a Powens client to the sandbox's test bank.
package powenstest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/freenahi/freenahi/powens/sandbox"
)

// Synced describes a generated CONNECTION_SYNCED body.
type Synced struct {
	// WebhookDataID becomes id_webhook_data (0 omits it).
	WebhookDataID int64
	PowensUserID  int64
	ConnectionID  int64
	// Accounts and TransactionsPerAccount size the payload.
	Accounts               int
	TransactionsPerAccount int
	// FirstAccountID and FirstTransactionID number the objects; transactions of
	// account k get ids FirstTransactionID + k*TransactionsPerAccount + i.
	// They default to ConnectionID*1000 + 1 and ConnectionID*1,000,000 + 1:
	// Powens ids start at 1 and a transaction's is unique per user, so the
	// connections of one user never share one.
	FirstAccountID     int64
	FirstTransactionID int64
	// Seed varies amounts and labels; the same Synced gives the same bytes.
	Seed uint64
	// End is the date of the newest transaction (default 2025-06-30); one
	// transaction a day per account going back.
	End time.Time
}

var labels = []string{"CB CARREFOUR MARKET", "PRLV SEPA EDF", "VIR SEPA SALAIRE ACME", "CB SNCF INTERNET",
	"RETRAIT DAB BNP", "CHQ 1234567", "PRLV SEPA FREE MOBILE", "CB AMAZON EU", "VIR INST LOYER", "CB BOULANGERIE PAUL"}

var types = []string{"card", "order", "transfer", "card", "withdrawal", "check", "order", "card", "transfer", "card"}

// Bytes renders the body. It writes JSON by hand: at tens of thousands of
// transactions, encoding/json of maps would dominate the benchmarks it feeds.
func (s Synced) Bytes() []byte {
	if s.End.IsZero() {
		s.End = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	}
	if s.FirstAccountID == 0 {
		s.FirstAccountID = s.ConnectionID*1000 + 1
	}
	if s.FirstTransactionID == 0 {
		s.FirstTransactionID = s.ConnectionID*1_000_000 + 1
	}
	rng := rand.New(rand.NewPCG(s.Seed, uint64(s.ConnectionID)))
	var b bytes.Buffer
	b.Grow(s.Accounts * s.TransactionsPerAccount * 420)
	b.WriteString("{")
	if s.WebhookDataID != 0 {
		fmt.Fprintf(&b, `"id_webhook_data": %d, `, s.WebhookDataID)
	}
	fmt.Fprintf(&b, `"user": {"id": %d, "signin": "2025-01-01 10:00:00"}, "connection": {"id": %d, "id_user": %d, `+
		`"id_connector": 40, "connector_uuid": "%s", "state": null, "error_message": null, `+
		`"last_update": "%s", "active": true, "connector": {"id": 40, "name": "Connecteur de test"}, `+
		`"sources": [{"id": %d, "name": "directaccess", "state": null, "access_expire": "2025-12-01 00:00:00"}], "accounts": [`,
		s.PowensUserID, s.ConnectionID, s.PowensUserID, sandbox.TestBankUUID, s.End.Format("2006-01-02")+" 08:00:00", s.ConnectionID)
	for k := 0; k < s.Accounts; k++ {
		if k > 0 {
			b.WriteString(", ")
		}
		accountID := s.FirstAccountID + int64(k)
		fmt.Fprintf(&b, `{"id": %d, "id_connection": %d, "id_user": %d, "name": "Compte %d", "original_name": "COMPTE %d", `+
			`"balance": %d.%02d, "coming": -12.50, "currency": {"id": "EUR", "precision": 2}, "type": "checking", "usage": "PRIV", `+
			`"iban": "FR76300060000112345678901%02d", "last_update": "%s", "disabled": null, "deleted": null, "transactions": [`,
			accountID, s.ConnectionID, s.PowensUserID, k+1, k+1, rng.IntN(100000), rng.IntN(100), k%100, s.End.Format("2006-01-02")+" 08:00:00")
		for i := 0; i < s.TransactionsPerAccount; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			id := s.FirstTransactionID + int64(k*s.TransactionsPerAccount+i)
			day := s.End.AddDate(0, 0, -i).Format("2006-01-02")
			j := rng.IntN(len(labels))
			cents := rng.IntN(20000) + 1
			sign := "-"
			if types[j] == "transfer" && rng.IntN(2) == 0 {
				sign = ""
			}
			fmt.Fprintf(&b, `{"id": %d, "id_account": %d, "date": "%s", "rdate": "%s", "vdate": "%s", "datetime": null, `+
				`"value": %s%d.%02d, "gross_value": %s%d.%02d, "type": "%s", "original_wording": "%s %d", "simplified_wording": "%s", `+
				`"wording": null, "coming": %t, "active": true, "card": null, "counterparty": null, "deleted": null, `+
				`"last_update": "%s 08:00:00", "date_scraped": "%s 08:00:00"}`,
				id, accountID, day, day, day, sign, cents/100, cents%100, sign, cents/100, cents%100, types[j], labels[j], id,
				labels[j], i == 0, day, day)
		}
		b.WriteString("]}")
	}
	b.WriteString("]}}")
	return b.Bytes()
}
