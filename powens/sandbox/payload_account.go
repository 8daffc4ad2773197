package sandbox

// Bank accounts, loans, transactions and investments as Powens documents
// them (powens-api.md §5; powens-openapi/bank-accounts.yml,
// bank-transactions.yml). Field order follows the documentation's tables.

// accountJSON is Powens' BankAccount object. In webhooks it also carries
// the transactions and investments of the sync.
type accountJSON struct {
	ID           int64        `json:"id"`
	IDConnection int64        `json:"id_connection"`
	IDUser       int64        `json:"id_user"`
	IDSource     int64        `json:"id_source"`
	IDParent     *int64       `json:"id_parent"`
	Number       *string      `json:"number"`
	OriginalName string       `json:"original_name"`
	Name         string       `json:"name"`
	Balance      decimal      `json:"balance"`
	Coming       decimal      `json:"coming"`
	Currency     currencyJSON `json:"currency"`
	IBAN         *string      `json:"iban"`
	BIC          *string      `json:"bic,omitempty"` // seen in real payloads, not in the reference
	Type         string       `json:"type"`
	IDType       int64        `json:"id_type"`
	Usage        string       `json:"usage"`
	Display      bool         `json:"display"`
	Bookmarked   boolFlag     `json:"bookmarked"`
	Disabled     datetime     `json:"disabled"`
	Deleted      datetime     `json:"deleted"`
	LastUpdate   datetime     `json:"last_update"`
	OpeningDate  day          `json:"opening_date"` // seen in real payloads
	Loan         *loanJSON    `json:"loan,omitempty"`
	// Webhooks only: what the sync brought.
	Transactions []transactionJSON `json:"transactions,omitzero"`
	Investments  []investmentJSON  `json:"investments,omitzero"`
}

// currencyJSON is Powens' Currency object.
type currencyJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Symbol    string `json:"symbol"`
	Precision int    `json:"precision"`
}

// currencies are the currencies the test banks use.
var currencies = map[string]currencyJSON{
	"EUR": {ID: "EUR", Name: "Euro", Symbol: "€", Precision: 2},
	"USD": {ID: "USD", Name: "US Dollar", Symbol: "$", Precision: 2},
}

// loanJSON is Powens' Loan object, inside a loan account.
type loanJSON struct {
	TotalAmount        decimal `json:"total_amount"`
	AvailableAmount    decimal `json:"available_amount"`
	UsedAmount         decimal `json:"used_amount"`
	SubscriptionDate   day     `json:"subscription_date"`
	MaturityDate       day     `json:"maturity_date"`
	StartRepaymentDate day     `json:"start_repayment_date"`
	Deferred           bool    `json:"deferred"`
	NextPaymentAmount  decimal `json:"next_payment_amount"`
	NextPaymentDate    day     `json:"next_payment_date"`
	Rate               decimal `json:"rate"`
	NbPaymentsLeft     int     `json:"nb_payments_left"`
	NbPaymentsDone     int     `json:"nb_payments_done"`
	NbPaymentsTotal    int     `json:"nb_payments_total"`
	LastPaymentAmount  decimal `json:"last_payment_amount"`
	LastPaymentDate    day     `json:"last_payment_date"`
	AccountLabel       string  `json:"account_label"`
	InsuranceLabel     string  `json:"insurance_label"`
	InsuranceAmount    decimal `json:"insurance_amount"`
	InsuranceRate      decimal `json:"insurance_rate"`
	Duration           int     `json:"duration"`
	Type               string  `json:"type"`
}

// transactionJSON is Powens' Transaction object.
type transactionJSON struct {
	ID                 int64             `json:"id"`
	IDAccount          int64             `json:"id_account"`
	ApplicationDate    day               `json:"application_date"`
	Date               day               `json:"date"`
	Datetime           utcDatetime       `json:"datetime"`
	RDate              day               `json:"rdate"`
	RDatetime          utcDatetime       `json:"rdatetime"`
	VDate              day               `json:"vdate"`
	VDatetime          utcDatetime       `json:"vdatetime"`
	Value              decimal           `json:"value"`
	GrossValue         decimal           `json:"gross_value"`
	OriginalValue      decimal           `json:"original_value"`
	OriginalGrossValue decimal           `json:"original_gross_value"`
	OriginalCurrency   *currencyJSON     `json:"original_currency"`
	Commission         decimal           `json:"commission"`
	CommissionCurrency *currencyJSON     `json:"commission_currency"`
	Type               string            `json:"type"`
	OriginalWording    string            `json:"original_wording"`
	SimplifiedWording  string            `json:"simplified_wording"`
	Wording            string            `json:"wording"`
	Coming             bool              `json:"coming"`
	Active             bool              `json:"active"`
	Card               *string           `json:"card"`
	Counterparty       *counterpartyJSON `json:"counterparty"`
	DateScraped        datetime          `json:"date_scraped"`
	Deleted            datetime          `json:"deleted"`
	LastUpdate         datetime          `json:"last_update"`
}

// counterpartyJSON is the other party of a transaction.
type counterpartyJSON struct {
	Label                 *string `json:"label"`
	AccountSchemeName     *string `json:"account_scheme_name"`
	AccountIdentification *string `json:"account_identification"`
	Type                  *string `json:"type"`
}

// investmentJSON is Powens' Investment object.
type investmentJSON struct {
	ID                int64         `json:"id"`
	IDAccount         int64         `json:"id_account"`
	Label             string        `json:"label"`
	Code              *string       `json:"code"`
	CodeType          string        `json:"code_type,omitempty"` // ISIN or AMF: absent without a code
	StockSymbol       *string       `json:"stock_symbol"`
	Source            string        `json:"source"`
	Quantity          decimal       `json:"quantity"`
	UnitPrice         decimal       `json:"unitprice"`
	UnitValue         decimal       `json:"unitvalue"`
	Valuation         decimal       `json:"valuation"`
	Diff              decimal       `json:"diff"`
	DiffPercent       decimal       `json:"diff_percent"`
	PrevDiff          decimal       `json:"prev_diff"`
	PrevDiffPercent   decimal       `json:"prev_diff_percent"`
	VDate             day           `json:"vdate"`
	PortfolioShare    decimal       `json:"portfolio_share"`
	Calculated        []string      `json:"calculated"`
	Deleted           day           `json:"deleted"`
	LastUpdate        datetime      `json:"last_update"`
	OriginalCurrency  *currencyJSON `json:"original_currency"`
	OriginalValuation decimal       `json:"original_valuation"`
	OriginalUnitValue decimal       `json:"original_unitvalue"`
	OriginalUnitPrice decimal       `json:"original_unitprice"`
	OriginalDiff      decimal       `json:"original_diff"`
}
