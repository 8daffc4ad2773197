package ingest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// The map functions convert Powens payload objects to domain objects. Every
// amount goes through exact decimal conversion; an amount that does not fit its
// currency fails the event with the JSON path of the field instead of being
// rounded, and the raw event stays in the inbox for a replay.

func str(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

// minor converts a required amount.
func minor(path string, n powens.Number, c freenahi.Currency) (int64, error) {
	d, err := n.Decimal()
	if err != nil {
		return 0, invalid(path, "%v", err)
	}
	m, err := d.Minor(c.Exponent)
	if err != nil {
		return 0, invalid(path, "%v", err)
	}
	return m, nil
}

// optMinor converts an optional amount; null stays nil.
func optMinor(path string, n powens.Number, c freenahi.Currency) (*int64, error) {
	if !n.Valid() {
		return nil, nil
	}
	m, err := minor(path, n, c)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// optDecimal converts an optional exact decimal (quantities, rates).
func optDecimal(path string, n powens.Number) (*freenahi.Decimal, error) {
	if !n.Valid() {
		return nil, nil
	}
	d, err := n.Decimal()
	if err != nil {
		return nil, invalid(path, "%v", err)
	}
	return &d, nil
}

func mapConnection(pc *powens.Connection) *freenahi.Connection {
	c := &freenahi.Connection{
		PowensID:      pc.ID,
		ConnectorID:   pc.IDConnector,
		ConnectorUUID: pc.ConnectorUUID,
		State:         freenahi.ConnectionState(pc.StateString()),
		ErrorMessage:  str(pc.ErrorMessage),
		LastUpdate:    pc.LastUpdate.Ptr(),
		Created:       pc.Created.Ptr(),
		Active:        pc.Active == nil || *pc.Active,
		Expire:        pc.Expire.Ptr(),
		NextTry:       pc.NextTry.Ptr(),
	}
	if pc.Connector != nil {
		c.BankName = pc.Connector.Name
		if c.ConnectorUUID == "" {
			c.ConnectorUUID = pc.Connector.UUID
		}
		if c.ConnectorID == nil && pc.Connector.ID != 0 {
			id := pc.Connector.ID
			c.ConnectorID = &id
		}
	}
	for _, s := range pc.Sources {
		c.Sources = append(c.Sources, freenahi.ConnectionSource{
			PowensID:          s.ID,
			Name:              s.Name,
			ConnectorSourceID: s.IDConnectorSource,
			State:             freenahi.ConnectionState(str(s.State)),
			LastUpdate:        s.LastUpdate.Ptr(),
			Created:           s.Created.Ptr(),
			Disabled:          s.Disabled.Ptr(),
			AccessExpire:      s.AccessExpire.Ptr(),
			Expire:            s.Expire.Ptr(),
			NextTry:           s.NextTry.Ptr(),
		})
	}
	return c
}

// mapAccount maps an account whose currency accountCurrency decided.
func mapAccount(path string, pa *powens.Account, cur freenahi.Currency, connectionID, powensConnectionID int64) (*freenahi.Account, error) {
	a := &freenahi.Account{
		ConnectionID:       connectionID,
		PowensID:           pa.ID,
		PowensConnectionID: powensConnectionID,
		PowensParentID:     pa.IDParent,
		PowensSourceID:     pa.IDSource,
		Type:               string(pa.Type),
		Usage:              str(pa.Usage),
		IBAN:               strings.ReplaceAll(strings.ToUpper(str(pa.IBAN)), " ", ""),
		BIC:                str(pa.BIC),
		Number:             str(pa.Number),
		Name:               strings.TrimSpace(pa.Name),
		OriginalName:       strings.TrimSpace(pa.OriginalName),
		CompanyName:        str(pa.CompanyName),
		Currency:           cur,
		Display:            pa.Display == nil || *pa.Display,
		Bookmarked:         bool(pa.Bookmarked),
		Error:              str(pa.Error),
		OpeningDate:        pa.OpeningDate.Date,
		Disabled:           pa.Disabled.Ptr(),
		Deleted:            pa.Deleted.Ptr(),
		LastUpdate:         pa.LastUpdate.Ptr(),
	}
	if a.Type == "" {
		a.Type = "unknown"
	}
	var err error
	if a.BalanceMinor, err = optMinor(path+".balance", pa.Balance, cur); err != nil {
		return nil, err
	}
	if a.ComingMinor, err = optMinor(path+".coming", pa.Coming, cur); err != nil {
		return nil, err
	}
	return a, nil
}

// mapTransaction maps the i-th transaction of an account; its JSON path
// (for errors) is built only when there is an error.
func mapTransaction(account string, i int, pt *powens.Transaction, a *freenahi.Account) (t *freenahi.Transaction, err error) {
	defer func() {
		if err != nil {
			err = prefixField(fmt.Sprintf("%s.transactions[%d]", account, i), err)
		}
	}()
	const path = ""
	if err := checkID(path+".id", pt.ID); err != nil {
		return nil, err
	}
	if pt.Date.IsZero() {
		return nil, invalid(path+".date", "is missing")
	}
	t = &freenahi.Transaction{
		AccountID:         a.ID,
		PowensID:          pt.ID,
		Date:              pt.Date.Date,
		RDate:             pt.RDate.Date,
		VDate:             pt.VDate.Date,
		ApplicationDate:   pt.ApplicationDate.Date,
		DateTime:          pt.Datetime.Ptr(),
		RDateTime:         pt.RDatetime.Ptr(),
		VDateTime:         pt.VDatetime.Ptr(),
		Currency:          a.Currency,
		Type:              pt.Type,
		OriginalWording:   pt.OriginalWording,
		SimplifiedWording: pt.SimplifiedWording,
		Wording:           str(pt.Wording),
		Coming:            pt.Coming,
		Active:            pt.Active == nil || *pt.Active,
		Card:              str(pt.Card),
		Webid:             str(pt.Webid),
		Deleted:           pt.Deleted.Ptr(),
		LastUpdate:        pt.LastUpdate.Ptr(),
	}
	if t.Type == "" {
		t.Type = "unknown"
	}
	value, err := optMinor(path+".value", pt.Value, a.Currency)
	if err != nil {
		return nil, err
	}
	if t.GrossValueMinor, err = optMinor(path+".gross_value", pt.GrossValue, a.Currency); err != nil {
		return nil, err
	}
	if pt.OriginalCurrency != nil && pt.OriginalCurrency.ID != "" {
		oc := pt.OriginalCurrency.Domain()
		t.OriginalCurrency = &oc
		if t.OriginalValueMinor, err = optMinor(path+".original_value", pt.OriginalValue, oc); err != nil {
			return nil, err
		}
		if t.OriginalGrossValueMinor, err = optMinor(path+".original_gross_value", pt.OriginalGrossValue, oc); err != nil {
			return nil, err
		}
	}
	if pt.Commission.Valid() {
		cc := a.Currency
		if pt.CommissionCurrency != nil && pt.CommissionCurrency.ID != "" {
			cc = pt.CommissionCurrency.Domain()
		}
		t.CommissionCurrency = &cc
		if t.CommissionMinor, err = optMinor(path+".commission", pt.Commission, cc); err != nil {
			return nil, err
		}
	}
	// Payment platforms send value null with gross_value and commission.
	inAccountCurrency := t.CommissionCurrency == nil || t.CommissionCurrency.Code == a.Currency.Code
	t.ValueMinor, t.AmountOrigin = freenahi.DeriveAmount(value, t.GrossValueMinor, t.CommissionMinor, inAccountCurrency)
	if cp := pt.Counterparty; cp != nil && (cp.Label != nil || cp.AccountIdentification != nil) {
		t.Counterparty = &freenahi.Counterparty{Label: str(cp.Label), AccountScheme: str(cp.AccountSchemeName),
			AccountIdentification: str(cp.AccountIdentification), Type: str(cp.Type)}
	}
	return t, nil
}

func mapInvestment(path string, pi *powens.Investment, a *freenahi.Account) (*freenahi.Investment, error) {
	if err := checkID(path+".id", pi.ID); err != nil {
		return nil, err
	}
	in := &freenahi.Investment{
		AccountID:   a.ID,
		PowensID:    pi.ID,
		Label:       strings.TrimSpace(pi.Label),
		Code:        str(pi.Code),
		CodeType:    str(pi.CodeType),
		StockSymbol: str(pi.StockSymbol),
		Currency:    a.Currency,
		VDate:       pi.VDate.Date,
		LastUpdate:  pi.LastUpdate.Ptr(),
	}
	if !pi.Deleted.IsZero() {
		t := pi.Deleted.Time()
		in.Deleted = &t
	}
	if pi.OriginalCurrency != nil && pi.OriginalCurrency.ID != "" {
		oc := pi.OriginalCurrency.Domain()
		in.OriginalCurrency = &oc
	}
	for _, f := range []struct {
		dst  **freenahi.Decimal
		n    powens.Number
		name string
	}{
		{&in.Quantity, pi.Quantity, "quantity"}, {&in.UnitPrice, pi.UnitPrice, "unitprice"},
		{&in.UnitValue, pi.UnitValue, "unitvalue"}, {&in.Valuation, pi.Valuation, "valuation"},
		{&in.Diff, pi.Diff, "diff"}, {&in.DiffPercent, pi.DiffPercent, "diff_percent"},
		{&in.PortfolioShare, pi.PortfolioShare, "portfolio_share"},
		{&in.OriginalValuation, pi.OriginalValuation, "original_valuation"},
	} {
		d, err := optDecimal(path+"."+f.name, f.n)
		if err != nil {
			return nil, err
		}
		*f.dst = d
	}
	return in, nil
}

func mapLoan(path string, pl *powens.Loan, a *freenahi.Account) (*freenahi.Loan, error) {
	l := &freenahi.Loan{
		AccountID:          a.ID,
		Currency:           a.Currency,
		Type:               str(pl.Type),
		SubscriptionDate:   pl.SubscriptionDate.Date,
		MaturityDate:       pl.MaturityDate.Date,
		StartRepaymentDate: pl.StartRepaymentDate.Date,
		NextPaymentDate:    pl.NextPaymentDate.Date,
		LastPaymentDate:    pl.LastPaymentDate.Date,
		NbPaymentsLeft:     pl.NbPaymentsLeft,
		NbPaymentsDone:     pl.NbPaymentsDone,
		NbPaymentsTotal:    pl.NbPaymentsTotal,
		DurationMonths:     pl.Duration,
		AccountLabel:       str(pl.AccountLabel),
		InsuranceLabel:     str(pl.InsuranceLabel),
		Deferred:           pl.Deferred,
	}
	if l.Type == "" {
		l.Type = "loan"
	}
	for _, f := range []struct {
		dst  **int64
		n    powens.Number
		name string
	}{
		{&l.TotalAmountMinor, pl.TotalAmount, "total_amount"}, {&l.AvailableAmountMinor, pl.AvailableAmount, "available_amount"},
		{&l.UsedAmountMinor, pl.UsedAmount, "used_amount"}, {&l.NextPaymentAmountMinor, pl.NextPaymentAmount, "next_payment_amount"},
		{&l.LastPaymentAmountMinor, pl.LastPaymentAmount, "last_payment_amount"}, {&l.InsuranceAmountMinor, pl.InsuranceAmount, "insurance_amount"},
	} {
		m, err := optMinor(path+"."+f.name, f.n, a.Currency)
		if err != nil {
			return nil, err
		}
		*f.dst = m
	}
	var err error
	if l.Rate, err = optDecimal(path+".rate", pl.Rate); err != nil {
		return nil, err
	}
	if l.InsuranceRate, err = optDecimal(path+".insurance_rate", pl.InsuranceRate); err != nil {
		return nil, err
	}
	return l, nil
}

// snapshotTime is when a balance was observed: the account's own last update,
// else the connection's, else the receipt of the event.
func snapshotTime(a *freenahi.Account, c *freenahi.Connection, received time.Time) time.Time {
	switch {
	case a.LastUpdate != nil:
		return *a.LastUpdate
	case c != nil && c.LastUpdate != nil:
		return *c.LastUpdate
	}
	return received
}

// prefixField puts prefix before the field named by a field error, e.g.
// ".value" becomes "connection.accounts[0].transactions[3].value".
func prefixField(prefix string, err error) error {
	var fe *freenahi.Error
	if errors.As(err, &fe) && fe.Field != "" {
		field := prefix + fe.Field
		return &freenahi.Error{Code: fe.Code, Field: field, Message: field + strings.TrimPrefix(fe.Message, fe.Field)}
	}
	return err
}
