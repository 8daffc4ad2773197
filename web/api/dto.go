package api

import (
	"cmp"
	"time"

	"github.com/freenahi/freenahi"
)

// The API's JSON shapes. Amounts are exact decimal strings beside their
// currency code; instants are RFC 3339 UTC; dates are YYYY-MM-DD.

func amountPtr(minor *int64, c freenahi.Currency) *string {
	if minor == nil {
		return nil
	}
	s := freenahi.FormatMinor(*minor, c.Exponent)
	return &s
}

func datePtr(d freenahi.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func timeUTC(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func strPtrOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// errorStr is a kept error's English message; the API speaks English.
func errorStr(e *freenahi.Error) *string {
	if e == nil {
		return nil
	}
	return strPtrOrNil(e.Message)
}

func decimalStr(d *freenahi.Decimal) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

type accountJSON struct {
	ID           int64   `json:"id"`
	PowensID     int64   `json:"powens_id"`
	ConnectionID int64   `json:"connection_id"`
	ParentID     *int64  `json:"parent_id"`
	Type         string  `json:"type"`
	Group        string  `json:"group"`
	Usage        *string `json:"usage"`
	Name         string  `json:"name"`
	OriginalName string  `json:"original_name"`
	IBAN         *string `json:"iban"`
	BIC          *string `json:"bic"`
	Number       *string `json:"number"`
	CompanyName  *string `json:"company_name"`
	Balance      *string `json:"balance"`
	Coming       *string `json:"coming"`
	Currency     string  `json:"currency"`
	Disabled     bool    `json:"disabled"`
	DisabledAt   *string `json:"disabled_at"`
	Deleted      bool    `json:"deleted"`
	DeletedAt    *string `json:"deleted_at"`
	Bookmarked   bool    `json:"bookmarked"`
	Error        *string `json:"error"`
	OpeningDate  *string `json:"opening_date"`
	LastUpdate   *string `json:"last_update"`
	Manual       bool    `json:"manual"`
	// The person's choices and where the account is held.
	DisplayName string  `json:"display_name"`
	PowensName  string  `json:"powens_name"`
	Renamed     bool    `json:"renamed"`
	Hidden      bool    `json:"hidden"`
	Archived    bool    `json:"archived"`
	ChosenGroup *string `json:"chosen_group"`
	Bank        string  `json:"bank"`
	// Access is "owner", or "read" or "full" on an account shared with
	// the caller by SharedBy (its owner's e-mail).
	Access   string  `json:"access"`
	SharedBy *string `json:"shared_by"`
}

func toAccountJSON(a *freenahi.Account) accountJSON {
	j := accountJSON{
		ID: a.ID, PowensID: a.PowensID, ConnectionID: a.ConnectionID, ParentID: a.ParentID, Type: a.Type,
		Group: string(a.Group()), Usage: strPtrOrNil(a.Usage), Name: a.Name, OriginalName: a.OriginalName,
		IBAN: strPtrOrNil(a.IBAN), BIC: strPtrOrNil(a.BIC), Number: strPtrOrNil(a.Number),
		CompanyName: strPtrOrNil(a.CompanyName), Balance: amountPtr(a.BalanceMinor, a.Currency),
		Coming: amountPtr(a.ComingMinor, a.Currency), Currency: a.Currency.Code,
		Disabled: a.Disabled != nil, DisabledAt: timeUTC(a.Disabled), Deleted: a.Deleted != nil,
		DeletedAt: timeUTC(a.Deleted), Bookmarked: a.Bookmarked, Error: strPtrOrNil(a.Error),
		OpeningDate: datePtr(a.OpeningDate), LastUpdate: timeUTC(a.LastUpdate), Manual: a.Manual,
		DisplayName: a.Title(), PowensName: a.Name, Renamed: a.DisplayName != "", Hidden: a.Hidden, Archived: a.Archived,
		ChosenGroup: strPtrOrNil(string(a.ChosenGroup)), Bank: a.BankName, Access: "owner",
	}
	if a.Shared != nil {
		j.SharedBy, j.Access = &a.Shared.OwnerEmail, string(a.Shared.Access)
	}
	return j
}

type totalJSON struct {
	Group    string `json:"group"`
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Accounts int    `json:"accounts"`
}

type counterpartyJSON struct {
	Label                 *string `json:"label"`
	AccountScheme         *string `json:"account_scheme"`
	AccountIdentification *string `json:"account_identification"`
	Type                  *string `json:"type"`
}

type transactionJSON struct {
	ID                 int64             `json:"id"`
	PowensID           int64             `json:"powens_id"`
	AccountID          int64             `json:"account_id"`
	Date               string            `json:"date"`
	RDate              *string           `json:"rdate"`
	VDate              *string           `json:"vdate"`
	ApplicationDate    *string           `json:"application_date"`
	DateTime           *string           `json:"datetime"`
	Amount             *string           `json:"amount"`
	AmountOrigin       string            `json:"amount_origin"`
	Currency           string            `json:"currency"`
	GrossAmount        *string           `json:"gross_amount"`
	OriginalAmount     *string           `json:"original_amount"`
	OriginalCurrency   *string           `json:"original_currency"`
	Commission         *string           `json:"commission"`
	CommissionCurrency *string           `json:"commission_currency"`
	Type               string            `json:"type"`
	Label              string            `json:"label"`
	Wording            *string           `json:"wording"`
	OriginalWording    string            `json:"original_wording"`
	SimplifiedWording  string            `json:"simplified_wording"`
	Coming             bool              `json:"coming"`
	Active             bool              `json:"active"`
	Deleted            bool              `json:"deleted"`
	DeletedAt          *string           `json:"deleted_at"`
	Card               *string           `json:"card"`
	Counterparty       *counterpartyJSON `json:"counterparty"`
	LastUpdate         *string           `json:"last_update"`
	Payee              string            `json:"payee"`
	CategoryID         *int64            `json:"category_id"`
	Category           *string           `json:"category"`
	CategorySource     *string           `json:"category_source"`
	Tags               []string          `json:"tags"`
	Transfer           bool              `json:"transfer"`
	Note               string            `json:"note"`
	TransferPairID     *int64            `json:"transfer_pair_id"`
	// Splits are the parts of a split transaction, on the answers about
	// one transaction (its page, its edit).
	Splits []splitOutJSON `json:"splits,omitempty"`
}

func toTransactionJSON(t *freenahi.Transaction) transactionJSON {
	j := transactionJSON{
		ID: t.ID, PowensID: t.PowensID, AccountID: t.AccountID, Date: t.Date.String(), RDate: datePtr(t.RDate),
		VDate: datePtr(t.VDate), ApplicationDate: datePtr(t.ApplicationDate), DateTime: timeUTC(t.DateTime),
		AmountOrigin: cmp.Or(string(t.AmountOrigin), "value"), Currency: t.Currency.Code,
		GrossAmount: amountPtr(t.GrossValueMinor, t.Currency), Type: t.Type, Label: t.Label(),
		Wording: strPtrOrNil(t.Wording), OriginalWording: t.OriginalWording, SimplifiedWording: t.SimplifiedWording,
		Coming: t.Coming, Active: t.Active, Deleted: t.Deleted != nil, DeletedAt: timeUTC(t.Deleted),
		Card: strPtrOrNil(t.Card), LastUpdate: timeUTC(t.LastUpdate),
		Payee: t.Payee, CategoryID: t.CategoryID, CategorySource: strPtrOrNil(t.CategorySource), Tags: t.Tags,
		Transfer: t.Transfer, Note: t.Note, TransferPairID: t.TransferPair,
	}
	if j.Tags == nil {
		j.Tags = []string{}
	}
	for _, sp := range t.Splits {
		j.Splits = append(j.Splits, splitOutJSON{CategoryID: sp.CategoryID, Amount: freenahi.FormatMinor(sp.AmountMinor, t.Currency.Exponent)})
	}
	if t.AmountKnown() {
		a := freenahi.FormatMinor(t.ValueMinor, t.Currency.Exponent)
		j.Amount = &a
	}
	if oc := t.OriginalCurrency; oc != nil {
		j.OriginalAmount, j.OriginalCurrency = amountPtr(t.OriginalValueMinor, *oc), &oc.Code
	}
	if cc := t.CommissionCurrency; cc != nil {
		j.Commission, j.CommissionCurrency = amountPtr(t.CommissionMinor, *cc), &cc.Code
	}
	if cp := t.Counterparty; cp != nil {
		j.Counterparty = &counterpartyJSON{Label: strPtrOrNil(cp.Label), AccountScheme: strPtrOrNil(cp.AccountScheme),
			AccountIdentification: strPtrOrNil(cp.AccountIdentification), Type: strPtrOrNil(cp.Type)}
	}
	return j
}

type sourceJSON struct {
	PowensID     int64   `json:"powens_id"`
	Name         string  `json:"name"`
	State        *string `json:"state"`
	LastUpdate   *string `json:"last_update"`
	AccessExpire *string `json:"access_expire"`
	Disabled     bool    `json:"disabled"`
}

type connectionJSON struct {
	ID               int64        `json:"id"`
	PowensID         int64        `json:"powens_id"`
	Bank             string       `json:"bank"`
	ConnectorUUID    *string      `json:"connector_uuid"`
	State            *string      `json:"state"`
	StateKind        string       `json:"state_kind"`
	ErrorMessage     *string      `json:"error_message"`
	LastUpdate       *string      `json:"last_update"`
	NextTry          *string      `json:"next_try"`
	ConsentExpiresAt *string      `json:"consent_expires_at"`
	Active           bool         `json:"active"`
	Deleted          bool         `json:"deleted"`
	Sources          []sourceJSON `json:"sources"`
}

func toConnectionJSON(c *freenahi.Connection) connectionJSON {
	j := connectionJSON{
		ID: c.ID, PowensID: c.PowensID, Bank: c.BankName, ConnectorUUID: strPtrOrNil(c.ConnectorUUID),
		State: strPtrOrNil(string(c.State)), StateKind: string(c.State.Kind()), ErrorMessage: strPtrOrNil(c.ErrorMessage),
		LastUpdate: timeUTC(c.LastUpdate), NextTry: timeUTC(c.NextTry), ConsentExpiresAt: timeUTC(c.ConsentExpiry()),
		Active: c.Active, Deleted: c.Deleted != nil, Sources: []sourceJSON{},
	}
	for _, s := range c.Sources {
		j.Sources = append(j.Sources, sourceJSON{PowensID: s.PowensID, Name: s.Name, State: strPtrOrNil(string(s.State)),
			LastUpdate: timeUTC(s.LastUpdate), AccessExpire: timeUTC(s.AccessExpire), Disabled: s.Disabled != nil})
	}
	return j
}

type investmentJSON struct {
	ID                int64   `json:"id"`
	PowensID          int64   `json:"powens_id"`
	AccountID         int64   `json:"account_id"`
	Label             string  `json:"label"`
	Code              *string `json:"code"`
	CodeType          *string `json:"code_type"`
	StockSymbol       *string `json:"stock_symbol"`
	Quantity          *string `json:"quantity"`
	UnitPrice         *string `json:"unit_price"`
	UnitValue         *string `json:"unit_value"`
	Valuation         *string `json:"valuation"`
	Diff              *string `json:"diff"`
	DiffPercent       *string `json:"diff_percent"`
	PortfolioShare    *string `json:"portfolio_share"`
	Currency          string  `json:"currency"`
	OriginalCurrency  *string `json:"original_currency"`
	OriginalValuation *string `json:"original_valuation"`
	VDate             *string `json:"vdate"`
	LastUpdate        *string `json:"last_update"`
}

func toInvestmentJSON(in *freenahi.Investment) investmentJSON {
	j := investmentJSON{
		ID: in.ID, PowensID: in.PowensID, AccountID: in.AccountID, Label: in.Label, Code: strPtrOrNil(in.Code),
		CodeType: strPtrOrNil(in.CodeType), StockSymbol: strPtrOrNil(in.StockSymbol), Quantity: decimalStr(in.Quantity),
		UnitPrice: decimalStr(in.UnitPrice), UnitValue: decimalStr(in.UnitValue), Valuation: decimalStr(in.Valuation),
		Diff: decimalStr(in.Diff), DiffPercent: decimalStr(in.DiffPercent), PortfolioShare: decimalStr(in.PortfolioShare),
		Currency: in.Currency.Code, OriginalValuation: decimalStr(in.OriginalValuation), VDate: datePtr(in.VDate),
		LastUpdate: timeUTC(in.LastUpdate),
	}
	if in.OriginalCurrency != nil {
		j.OriginalCurrency = &in.OriginalCurrency.Code
	}
	return j
}

type loanJSON struct {
	AccountID          int64   `json:"account_id"`
	Type               string  `json:"type"`
	Currency           string  `json:"currency"`
	TotalAmount        *string `json:"total_amount"`
	AvailableAmount    *string `json:"available_amount"`
	UsedAmount         *string `json:"used_amount"`
	SubscriptionDate   *string `json:"subscription_date"`
	MaturityDate       *string `json:"maturity_date"`
	StartRepaymentDate *string `json:"start_repayment_date"`
	NextPaymentAmount  *string `json:"next_payment_amount"`
	NextPaymentDate    *string `json:"next_payment_date"`
	LastPaymentAmount  *string `json:"last_payment_amount"`
	LastPaymentDate    *string `json:"last_payment_date"`
	Rate               *string `json:"rate"`
	NbPaymentsLeft     *int64  `json:"nb_payments_left"`
	NbPaymentsDone     *int64  `json:"nb_payments_done"`
	NbPaymentsTotal    *int64  `json:"nb_payments_total"`
	DurationMonths     *int64  `json:"duration_months"`
	AccountLabel       *string `json:"account_label"`
	InsuranceLabel     *string `json:"insurance_label"`
	InsuranceAmount    *string `json:"insurance_amount"`
	InsuranceRate      *string `json:"insurance_rate"`
	Deferred           *bool   `json:"deferred"`
}

func toLoanJSON(l *freenahi.Loan) loanJSON {
	return loanJSON{
		AccountID: l.AccountID, Type: l.Type, Currency: l.Currency.Code,
		TotalAmount: amountPtr(l.TotalAmountMinor, l.Currency), AvailableAmount: amountPtr(l.AvailableAmountMinor, l.Currency),
		UsedAmount: amountPtr(l.UsedAmountMinor, l.Currency), SubscriptionDate: datePtr(l.SubscriptionDate),
		MaturityDate: datePtr(l.MaturityDate), StartRepaymentDate: datePtr(l.StartRepaymentDate),
		NextPaymentAmount: amountPtr(l.NextPaymentAmountMinor, l.Currency), NextPaymentDate: datePtr(l.NextPaymentDate),
		LastPaymentAmount: amountPtr(l.LastPaymentAmountMinor, l.Currency), LastPaymentDate: datePtr(l.LastPaymentDate),
		Rate: decimalStr(l.Rate), NbPaymentsLeft: l.NbPaymentsLeft, NbPaymentsDone: l.NbPaymentsDone,
		NbPaymentsTotal: l.NbPaymentsTotal, DurationMonths: l.DurationMonths, AccountLabel: strPtrOrNil(l.AccountLabel),
		InsuranceLabel: strPtrOrNil(l.InsuranceLabel), InsuranceAmount: amountPtr(l.InsuranceAmountMinor, l.Currency),
		InsuranceRate: decimalStr(l.InsuranceRate), Deferred: l.Deferred,
	}
}
