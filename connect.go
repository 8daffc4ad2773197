package freenahi

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// The connection flow: a person adds a bank through freenahi's own screens,
// following Powens' custom-connection protocol. The aggregator drives Powens
// and answers with the types below, which say what the person must see or
// answer next; the web layer only renders them.

// Connector is an institution a person can connect through Powens.
type Connector struct {
	UUID string
	Name string
	// Capabilities are Powens' words: "bank", "bankwealth", "document"…
	Capabilities []string
	// Restricted connectors accept no new connection at the moment.
	Restricted bool
}

// ConnectorQuery filters the connector list.
type ConnectorQuery struct {
	// Name matches part of the connector's name, case and accents ignored.
	Name string
	// Capability is "bank" (bank accounts), "wealth" (investment products) or "" (all).
	Capability string
}

// Auth mechanisms of a connector or source: credentials typed in freenahi's
// form, or the bank's own page (webauth). Powens may add others.
const (
	MechanismCredentials = "credentials"
	MechanismWebauth     = "webauth"
)

// ConnectField is one input of a bank's sign-in form, as Powens describes it.
type ConnectField struct {
	Name        string
	Label       string
	Description string
	// Type is text, password, date, number or list; unknown types read as text.
	Type     string
	Required bool
	// Regex is Powens' pattern for the value (PCRE; checked when RE2 compiles it).
	Regex   string
	Choices []FieldChoice
}

// FieldChoice is one value of a list field.
type FieldChoice struct {
	Label string
	Value string
}

// Check returns nil when v is acceptable for the field, else an EINVALID
// error naming the field: required, list value, date and number shapes, regex.
func (f *ConnectField) Check(v string) error {
	if v == "" {
		if f.Required {
			return FieldErrorf(f.Name, "This field is required.")
		}
		return nil
	}
	switch f.Type {
	case "list":
		if !slices.ContainsFunc(f.Choices, func(c FieldChoice) bool { return c.Value == v }) {
			return FieldErrorf(f.Name, "Choose one of the listed values.")
		}
	case "date":
		if _, err := ParseDate(v); err != nil {
			return FieldErrorf(f.Name, "Enter a date (YYYY-MM-DD).")
		}
	case "number":
		if _, err := ParseDecimal(strings.Replace(v, ",", ".", 1)); err != nil {
			return FieldErrorf(f.Name, "Enter a number.")
		}
	}
	if f.Regex != "" {
		// A pattern Go's RE2 cannot compile is left to Powens, which checks
		// every value again anyway.
		if re, err := regexp.Compile(f.Regex); err == nil && !re.MatchString(v) {
			return FieldErrorf(f.Name, "This value does not have the expected format.")
		}
	}
	return nil
}

// CheckFields checks posted values against fields, whatever the browser
// checked. It returns the values to send (trimmed, empty ones left out) and
// the errors by field name.
func CheckFields(fields []ConnectField, posted map[string]string) (map[string]string, map[string]error) {
	values, errs := map[string]string{}, map[string]error{}
	for _, f := range fields {
		v := posted[f.Name]
		if f.Type != "password" {
			v = strings.TrimSpace(v)
		}
		if err := f.Check(v); err != nil {
			errs[f.Name] = err
		} else if v != "" {
			values[f.Name] = v
		}
	}
	return values, errs
}

// ConnectForm is the form step of the flow: the fields of one source of a
// connector, for a new connection or a source added to an existing one.
type ConnectForm struct {
	Connector Connector
	// Source is the connector source the form adds ("" when the connector has none listed).
	Source string
	// Mechanism is MechanismCredentials, MechanismWebauth, or a mechanism
	// Powens added later (which freenahi's form cannot serve).
	Mechanism string
	Fields    []ConnectField
	// PowensConnectionID is the connection a source is added to; 0 for a new one.
	PowensConnectionID int64
	// Added lists the connection's sources; Waiting, those not yet working
	// (a webauth source not authorized at the bank), which may be taken up again.
	Added, Waiting []string
	// Keep carries the Powens ids of accounts chosen before "add more accounts".
	Keep []int64
}

// ConnectCheck is the state step: where a connection stands at Powens and
// what the person can do about it.
type ConnectCheck struct {
	PowensConnectionID int64
	// LocalID is our id of the connection once ingested, else 0.
	LocalID int64
	Bank    string
	State   ConnectionState
	// Message is the bank's own words (error_message), untranslated.
	Message string
	// Fields are to be answered (additionalInformationNeeded) or are new
	// credentials (wrongpass, passwordExpired).
	Fields  []ConnectField
	NextTry *time.Time
	// WebauthSource is the source waiting for the bank's page, when one is.
	WebauthSource string
}

// Activation is the account step: the accounts a connection discovered,
// disabled until the person agrees to their synchronisation.
type Activation struct {
	PowensConnectionID int64
	Bank               string
	ConnectorUUID      string
	Accounts           []ActivationAccount
	// NextSource is the source "add more accounts" adds, when there is one.
	NextSource string
}

// ActivationAccount is one account of the activation step.
type ActivationAccount struct {
	PowensID int64
	Name     string
	Type     string
	// Number shows the last four characters of the IBAN or account number.
	Number  string
	Balance *Money
	// Enabled accounts already sync.
	Enabled bool
}

// Steps a person may go to after an operation of the connection flow (or
// another background operation).
const (
	StepForm        = "form"        // the connector's form again, with a problem
	StepState       = "state"       // the connection's state screen
	StepAccounts    = "accounts"    // account activation
	StepBank        = "bank"        // the bank's own page, at URL
	StepDone        = "done"        // accounts activated and pulled
	StepConnections = "connections" // the connections page, with a Notice
	StepInqom       = "inqom"       // the accounting page, with a Notice
)

// Problems a step may carry back to a screen.
const (
	ProblemWrongpass  = "wrongpass"   // the bank refused the credentials
	ProblemWrongcode  = "wrongcode"   // the bank refused a one-time code or answer
	ProblemNoneChosen = "none_chosen" // no account was ticked
	// ProblemPasswordExpired: the bank says the password must be changed
	// on its own website first.
	ProblemPasswordExpired = "password_expired"
)

// Next says where a person goes after an operation.
type Next struct {
	Step               string  `json:"step"`
	ConnectorUUID      string  `json:"connector,omitempty"`
	PowensConnectionID int64   `json:"connection,omitempty"`
	Source             string  `json:"source,omitempty"`
	Keep               []int64 `json:"keep,omitempty"`
	Problem            string  `json:"problem,omitempty"`
	// Notice names what to tell the person on arrival ("synced", "pushed"…).
	Notice string `json:"notice,omitempty"`
	// URL is the bank's page, for StepBank.
	URL string `json:"url,omitempty"`
}
