package inqom

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
)

// Account is a bank account to register in an Inqom dossier.
type Account struct {
	// IBAN is sent without spaces and in upper case, the form Inqom stores,
	// so that registering it twice is recognised as such.
	IBAN     string
	BankName string
	// CFONBControl turns on Inqom's consistency control of imported
	// statements (IsCfonbControlActive).
	CFONBControl bool
}

// accountBody is the JSON body, with the field names of the API Banking page.
type accountBody struct {
	Iban                 string
	BankName             string
	IsCfonbControlActive bool
}

// RegisteredAccount is Inqom's answer to a registration. Inqom documents no
// response body: ID is extracted when the answer has one, Body is kept raw.
type RegisteredAccount struct {
	DossierID int64
	IBAN      string // as sent
	// ID is Inqom's id of the bank account, as text, or "" if none was found.
	ID     string
	Status int
	// Body is the raw answer (at most MaxResponseBytes).
	Body []byte
	// PossibleDuplicate reports that an earlier attempt of this call may
	// have been applied as well.
	PossibleDuplicate bool
}

// RegisterAccount registers a bank account in dossier dossierID
// (POST /api/app/banking/enterprises/{dossierId}/manual/ebics/accounts).
// An IBAN already registered there gives an error for which
// errors.Is(err, ErrAlreadyRegistered) holds; callers that only need the
// account to exist treat it as success.
func (c *Client) RegisterAccount(ctx context.Context, dossierID int64, acct Account) (*RegisteredAccount, error) {
	iban := NormalizeIBAN(acct.IBAN)
	if dossierID <= 0 {
		return nil, freenahi.FieldErrorf("dossier_id", "The Inqom dossier id must be a positive number.")
	}
	if iban == "" {
		return nil, freenahi.FieldErrorf("iban", "An IBAN is required to register an account in Inqom.")
	}
	body, err := json.Marshal(accountBody{Iban: iban, BankName: acct.BankName, IsCfonbControlActive: acct.CFONBControl})
	if err != nil {
		return nil, err
	}
	id := strconv.FormatInt(dossierID, 10)
	res, err := c.do(ctx, &call{
		op: OpRegister, what: "register account " + iban + " in dossier " + id, banking: true,
		url:         c.bankingURL("/api/app/banking/enterprises/" + id + "/manual/ebics/accounts"),
		contentType: "application/json", body: body,
	})
	if err != nil {
		return nil, err
	}
	return &RegisteredAccount{
		DossierID: dossierID, IBAN: iban, ID: c.keptID(extractID(res.body, 2)), Status: res.status,
		Body: c.kept(res.body), PossibleDuplicate: res.possibleDuplicate,
	}, nil
}

// keptID is an account id read from an answer; when the client hides
// answers, only what looks like an id (at most 64 hexadecimal digits and
// dashes: a number, a GUID) is kept, so an answer cannot pass as one.
func (c *Client) keptID(id string) string {
	if !c.cfg.HideAnswers {
		return id
	}
	if len(id) > 64 || strings.TrimLeft(id, "0123456789abcdefABCDEF-") != "" {
		return ""
	}
	return id
}

// NormalizeIBAN removes spaces and upper-cases, turning the paper form
// "fr76 3000 …" into "FR763000…".
func NormalizeIBAN(iban string) string {
	return strings.ToUpper(strings.Join(strings.Fields(iban), ""))
}

// extractID finds an id in an answer of unknown shape: a bare number or
// string, or an "id"-like member at the top level or, depth levels down,
// under "result", "data", "value" or "account", in any letter case.
func extractID(body []byte, depth int) string {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return ""
	}
	if b[0] != '{' {
		return scalar(b)
	}
	m := objectFields(b)
	for _, k := range []string{"id", "accountid", "bankaccountid", "externalid"} {
		if s := scalar(m[k]); s != "" {
			return s
		}
	}
	for _, k := range []string{"result", "data", "value", "account"} {
		if inner, ok := m[k]; ok && depth > 0 && bytes.HasPrefix(bytes.TrimSpace(inner), []byte("{")) {
			if s := extractID(inner, depth-1); s != "" {
				return s
			}
		}
	}
	return ""
}

// scalar returns a JSON string or number as text, "" for anything else.
func scalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}
