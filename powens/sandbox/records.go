package sandbox

import (
	"slices"
	"time"

	"github.com/freenahi/freenahi"
)

// Records is what the sandbox holds about one user, in its own terms: the
// oracle of tests that check what a client decoded against the sandbox's
// state rather than against JSON the client would write itself.
type Records struct {
	Connections  []ConnectionRecord
	Accounts     []AccountRecord
	Transactions []TransactionRecord
}

// ConnectionRecord is the sandbox's state of one connection.
type ConnectionRecord struct {
	ID, UserID, ConnectorID int64
	ConnectorUUID           string
	// State is the connection's problem ("" when the last sync succeeded);
	// StateInError says the answers carry it in the deprecated error field
	// with a null state.
	State, ErrorMessage string
	StateInError        bool
	Active              bool
	Created, LastUpdate time.Time
	NextTry, LastPush   time.Time
}

// AccountRecord is the sandbox's state of one bank account.
type AccountRecord struct {
	ID, ConnectionID, UserID, SourceID, ParentID int64 // ParentID 0: none
	Name, OriginalName, Type, Usage              string
	Number, IBAN                                 string // "" is null
	Currency                                     string
	BalanceCents, ComingCents                    int64
	Display, Bookmarked                          bool
	Disabled, Deleted, LastUpdate                time.Time
	OpeningDate                                  freenahi.Date
	Loan                                         *LoanRecord
}

// LoanRecord is the sandbox's plan of a loan account on the current day.
type LoanRecord struct {
	PrincipalCents, PaymentCents   int64
	RateBasisPoints                int64
	PaymentsDone, PaymentsTotal    int
	Signed, FirstPayment, Maturity freenahi.Date
	NextPayment, LastPayment       freenahi.Date // zero when none
}

// TransactionRecord is the sandbox's state of one transaction. Amounts are
// cents; a nil amount is sent as null.
type TransactionRecord struct {
	ID, AccountID                       int64
	Date, RDate, ApplicationDate, VDate freenahi.Date
	RDatetime                           time.Time // card payments only
	ValueCents, GrossCents              *int64
	CommissionCents                     *int64
	CommissionCurrency                  string // "" is null
	Type, OriginalWording, Simplified   string
	Coming                              bool
	Card                                string // "" is null
	CounterpartyLabel, CounterpartyIBAN string
	CounterpartyType                    string
	Scraped, LastUpdate, Deleted        time.Time
	// ReissuedFrom is the id this transaction replaces when the bank
	// re-issued it under a new reference ("reissue" login), else 0.
	ReissuedFrom int64
}

// Records returns what the sandbox holds about a user, sorted by id.
func (s *Server) Records(userID int64) Records {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out Records
	today := parisDate(s.now())
	for _, c := range s.connectionsOfLocked(userID) {
		out.Connections = append(out.Connections, ConnectionRecord{ID: c.ID, UserID: c.UserID,
			ConnectorID: c.ConnectorID, ConnectorUUID: s.bankByID(c.ConnectorID).UUID, State: c.visibleState(),
			ErrorMessage: c.ErrorMessage, StateInError: c.stateInError(), Active: !c.Inactive, Created: c.Created,
			LastUpdate: c.LastUpdate, NextTry: c.NextTry, LastPush: c.LastPush})
		p := s.profile(c)
		for _, a := range s.accountsOfLocked(c.ID) {
			out.Accounts = append(out.Accounts, s.accountRecordLocked(p, a, today))
			for _, t := range a.Txns {
				out.Transactions = append(out.Transactions, transactionRecord(a, t))
			}
		}
	}
	slices.SortFunc(out.Transactions, func(x, y TransactionRecord) int { return int(x.ID - y.ID) })
	return out
}

func (s *Server) accountRecordLocked(p *profile, a *account, today freenahi.Date) AccountRecord {
	sl := p.bank.Slots[a.Slot]
	bal, coming := s.balances(p, a, today.Int())
	r := AccountRecord{ID: a.ID, ConnectionID: a.ConnectionID, UserID: a.UserID, SourceID: a.SourceID,
		ParentID: a.ParentID, Name: a.Name, OriginalName: sl.Name, Type: sl.Type, Usage: a.Usage, Number: a.Number,
		IBAN: a.IBAN, Currency: "EUR", BalanceCents: bal, ComingCents: coming, Display: a.Display,
		Bookmarked: a.Bookmarked, Disabled: a.Disabled, Deleted: a.Deleted, LastUpdate: a.LastUpdate,
		OpeningDate: p.start}
	if sl.Kind == "loan" {
		plan := p.loan(a.Slot)
		done := plan.paymentsDone(today)
		r.OpeningDate = plan.Signed
		r.Loan = &LoanRecord{PrincipalCents: plan.Principal, PaymentCents: plan.Payment, RateBasisPoints: plan.RateBP,
			PaymentsDone: done, PaymentsTotal: plan.Months, Signed: plan.Signed, FirstPayment: plan.Start,
			Maturity: plan.paymentDate(plan.Months - 1)}
		if done < plan.Months {
			r.Loan.NextPayment = plan.paymentDate(done)
		}
		if done > 0 {
			r.Loan.LastPayment = plan.paymentDate(done - 1)
		}
	}
	return r
}

func transactionRecord(a *account, t *txn) TransactionRecord {
	r := TransactionRecord{ID: t.ID, AccountID: a.ID, Date: intDate(t.Date), RDate: intDate(t.RDate),
		ApplicationDate: intDate(t.RDate), VDate: intDate(t.Date), ValueCents: ptr(t.Minor), GrossCents: ptr(t.Minor),
		Type: t.Type, OriginalWording: t.Label, Simplified: t.Simple, Coming: t.Coming,
		Scraped: t.Scraped, LastUpdate: t.LastUpdate, Deleted: t.Deleted, ReissuedFrom: t.ReissuedFrom}
	if t.Card {
		r.Card, r.RDatetime = cardNumber, t.At
	}
	if g := t.Split; g != nil {
		r.ValueCents, r.GrossCents = nil, nil
		if !g.Unknown {
			r.GrossCents, r.CommissionCents, r.CommissionCurrency = ptr(g.Gross), ptr(g.Commission), g.Currency
		}
	}
	if t.CP != nil {
		r.CounterpartyLabel, r.CounterpartyIBAN, r.CounterpartyType = t.CP.Label, t.CP.IBAN, t.CP.Type
	}
	return r
}
