package powens

import "encoding/json"

// User is a Powens user.
type User struct {
	ID       int64  `json:"id"`
	Signin   Time   `json:"signin"`
	Platform string `json:"platform,omitempty"`
}

// Connection is a Powens connection, with the expansions webhooks carry.
type Connection struct {
	ID            int64              `json:"id"`
	IDUser        *int64             `json:"id_user"`
	IDConnector   *int64             `json:"id_connector,omitempty"`
	ConnectorUUID string             `json:"connector_uuid,omitempty"`
	State         *string            `json:"state"`
	Error         *string            `json:"error,omitempty"`
	ErrorMessage  *string            `json:"error_message"`
	Fields        []Field            `json:"fields,omitempty"`
	LastUpdate    Time               `json:"last_update"`
	Created       Time               `json:"created"`
	Active        *bool              `json:"active,omitempty"`
	LastPush      Time               `json:"last_push"`
	Expire        Time               `json:"expire"`
	NextTry       Time               `json:"next_try"`
	Connector     *Connector         `json:"connector,omitempty"`
	Sources       []ConnectionSource `json:"sources,omitempty"`
	Accounts      []Account          `json:"accounts,omitempty"`
	AllAccounts   []Account          `json:"all_accounts,omitempty"`
}

// StateString returns the connection state, preferring the deprecated error
// field only when state is absent; "" means the last sync succeeded.
func (c *Connection) StateString() string {
	switch {
	case c.State != nil:
		return *c.State
	case c.Error != nil:
		return *c.Error
	}
	return ""
}

// ConnectionSource is one source of a connection.
type ConnectionSource struct {
	ID                int64   `json:"id"`
	IDConnection      int64   `json:"id_connection,omitempty"`
	IDConnectorSource *int64  `json:"id_connector_source,omitempty"`
	Name              string  `json:"name"`
	State             *string `json:"state"`
	LastUpdate        Time    `json:"last_update"`
	Created           Time    `json:"created"`
	Disabled          Time    `json:"disabled"`
	AccessExpire      Time    `json:"access_expire"`
	Expire            Time    `json:"expire"`
	NextTry           Time    `json:"next_try"`
}

// Connector is an institution Powens can connect to.
type Connector struct {
	ID                      int64             `json:"id"`
	UUID                    string            `json:"uuid"`
	Name                    string            `json:"name"`
	Hidden                  *bool             `json:"hidden,omitempty"`
	Charged                 bool              `json:"charged"`
	Code                    *string           `json:"code"`
	Beta                    bool              `json:"beta"`
	Color                   *string           `json:"color"`
	Slug                    *string           `json:"slug"`
	SyncPeriodicity         *Number           `json:"sync_periodicity,omitempty"`
	MonthsToFetch           *int              `json:"months_to_fetch"`
	AuthMechanism           *string           `json:"auth_mechanism"`
	AvailableAuthMechanisms []string          `json:"available_auth_mechanisms,omitempty"`
	Restricted              bool              `json:"restricted"`
	Capabilities            []string          `json:"capabilities"`
	AccountUsages           []string          `json:"account_usages,omitempty"`
	AccountTypes            []string          `json:"account_types,omitempty"`
	Products                []string          `json:"products,omitempty"`
	Sources                 []ConnectorSource `json:"sources,omitempty"`
	Fields                  []Field           `json:"fields,omitempty"`
	URLs                    []string          `json:"urls,omitempty"`
}

// ConnectorSource is a way (openapi, directaccess…) to reach a connector.
type ConnectorSource struct {
	ID                      int64    `json:"id"`
	IDConnector             int64    `json:"id_connector,omitempty"`
	Name                    string   `json:"name"`
	AuthMechanism           *string  `json:"auth_mechanism"`
	AvailableAuthMechanisms []string `json:"available_auth_mechanisms,omitempty"`
	Disabled                Time     `json:"disabled"`
	Priority                int      `json:"priority"`
	AccountUsages           []string `json:"account_usages,omitempty"`
}

// Field describes one input of a connector's credential form.
type Field struct {
	Name             string       `json:"name"`
	Label            string       `json:"label"`
	Description      *string      `json:"description,omitempty"`
	Type             string       `json:"type"`
	Required         bool         `json:"required"`
	Regex            *string      `json:"regex,omitempty"`
	Values           []FieldValue `json:"values,omitempty"`
	AuthMechanisms   []string     `json:"auth_mechanisms,omitempty"`
	ConnectorSources []string     `json:"connector_sources,omitempty"`
}

// FieldValue is one choice of a list field.
type FieldValue struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Account is a Powens bank account. In webhook payloads it carries the new
// transactions of the sync; Transactions stays raw so that large payloads are
// decoded one transaction at a time (see DecodeTransactions).
type Account struct {
	ID           int64           `json:"id"`
	IDConnection *int64          `json:"id_connection"`
	IDUser       *int64          `json:"id_user,omitempty"`
	IDSource     *int64          `json:"id_source,omitempty"`
	IDParent     *int64          `json:"id_parent"`
	Number       *string         `json:"number"`
	Webid        *string         `json:"webid,omitempty"`
	OriginalName string          `json:"original_name"`
	Name         string          `json:"name"`
	Balance      Number          `json:"balance"`
	Coming       Number          `json:"coming"`
	Currency     *Currency       `json:"currency"`
	IBAN         *string         `json:"iban"`
	BIC          *string         `json:"bic,omitempty"`
	Type         Name            `json:"type"`
	IDType       *int64          `json:"id_type,omitempty"`
	Usage        *string         `json:"usage"`
	Ownership    *string         `json:"ownership,omitempty"`
	CompanyName  *string         `json:"company_name,omitempty"`
	Display      *bool           `json:"display,omitempty"`
	Bookmarked   Flag            `json:"bookmarked"`
	Disabled     Time            `json:"disabled"`
	Deleted      Time            `json:"deleted"`
	LastUpdate   Time            `json:"last_update"`
	Error        *string         `json:"error,omitempty"`
	OpeningDate  Date            `json:"opening_date,omitempty"`
	Loan         *Loan           `json:"loan,omitempty"`
	Transactions json.RawMessage `json:"transactions,omitempty"`
	Investments  []Investment    `json:"investments,omitempty"`
}

// Transaction is a Powens bank transaction.
type Transaction struct {
	ID                 int64         `json:"id"`
	IDAccount          int64         `json:"id_account"`
	Webid              *string       `json:"webid,omitempty"`
	ApplicationDate    Date          `json:"application_date"`
	Date               Date          `json:"date"`
	Datetime           UTCTime       `json:"datetime"`
	RDate              Date          `json:"rdate"`
	RDatetime          UTCTime       `json:"rdatetime"`
	VDate              Date          `json:"vdate"`
	VDatetime          UTCTime       `json:"vdatetime"`
	Value              Number        `json:"value"`
	GrossValue         Number        `json:"gross_value"`
	OriginalValue      Number        `json:"original_value"`
	OriginalGrossValue Number        `json:"original_gross_value"`
	OriginalCurrency   *Currency     `json:"original_currency"`
	Commission         Number        `json:"commission"`
	CommissionCurrency *Currency     `json:"commission_currency"`
	Type               string        `json:"type"`
	OriginalWording    string        `json:"original_wording"`
	SimplifiedWording  string        `json:"simplified_wording"`
	Wording            *string       `json:"wording"`
	Coming             bool          `json:"coming"`
	Active             *bool         `json:"active"`
	Card               *string       `json:"card"`
	Comment            *string       `json:"comment,omitempty"`
	Counterparty       *Counterparty `json:"counterparty"`
	DateScraped        Time          `json:"date_scraped"`
	Deleted            Time          `json:"deleted"`
	LastUpdate         Time          `json:"last_update"`
}

// Counterparty is the other party of a transaction.
type Counterparty struct {
	Label                 *string `json:"label"`
	AccountSchemeName     *string `json:"account_scheme_name"`
	AccountIdentification *string `json:"account_identification"`
	Type                  *string `json:"type"`
}

// Investment is a position in an investment account.
type Investment struct {
	ID                int64     `json:"id"`
	IDAccount         int64     `json:"id_account"`
	Label             string    `json:"label"`
	Code              *string   `json:"code"`
	CodeType          *string   `json:"code_type,omitempty"` // ISIN or AMF, never null: absent without a code
	StockSymbol       *string   `json:"stock_symbol"`
	Source            *string   `json:"source,omitempty"`
	Description       *string   `json:"description,omitempty"`
	Quantity          Number    `json:"quantity"`
	UnitPrice         Number    `json:"unitprice"`
	UnitValue         Number    `json:"unitvalue"`
	Valuation         Number    `json:"valuation"`
	Diff              Number    `json:"diff"`
	DiffPercent       Number    `json:"diff_percent"`
	PrevDiff          Number    `json:"prev_diff,omitempty"`
	PrevDiffPercent   Number    `json:"prev_diff_percent,omitempty"`
	VDate             Date      `json:"vdate"`
	PrevVDate         Date      `json:"prev_vdate,omitzero"` // a date, never null: absent without a previous valuation
	PortfolioShare    Number    `json:"portfolio_share"`
	Calculated        []string  `json:"calculated,omitempty"`
	Deleted           Date      `json:"deleted"`
	LastUpdate        Time      `json:"last_update"`
	OriginalCurrency  *Currency `json:"original_currency"`
	OriginalValuation Number    `json:"original_valuation"`
	OriginalUnitValue Number    `json:"original_unitvalue"`
	OriginalUnitPrice Number    `json:"original_unitprice"`
	OriginalDiff      Number    `json:"original_diff"`
}

// Loan is the loan detail of a loan account.
type Loan struct {
	TotalAmount        Number  `json:"total_amount"`
	AvailableAmount    Number  `json:"available_amount"`
	UsedAmount         Number  `json:"used_amount"`
	SubscriptionDate   Date    `json:"subscription_date"`
	MaturityDate       Date    `json:"maturity_date"`
	StartRepaymentDate Date    `json:"start_repayment_date"`
	Deferred           *bool   `json:"deferred"`
	NextPaymentAmount  Number  `json:"next_payment_amount"`
	NextPaymentDate    Date    `json:"next_payment_date"`
	Rate               Number  `json:"rate"`
	NbPaymentsLeft     *int64  `json:"nb_payments_left"`
	NbPaymentsDone     *int64  `json:"nb_payments_done"`
	NbPaymentsTotal    *int64  `json:"nb_payments_total"`
	LastPaymentAmount  Number  `json:"last_payment_amount"`
	LastPaymentDate    Date    `json:"last_payment_date"`
	AccountLabel       *string `json:"account_label"`
	InsuranceLabel     *string `json:"insurance_label"`
	InsuranceAmount    Number  `json:"insurance_amount"`
	InsuranceRate      Number  `json:"insurance_rate"`
	Duration           *int64  `json:"duration"`
	Type               *string `json:"type"`
}
