package sandbox

import (
	"slices"
	"strconv"
	"strings"
)

// UUIDs of the sandbox's connectors, for tests and demos that pick one.
const (
	// TestBankUUID is "Connecteur de test" (id 40): a directaccess source
	// (credentials, scripted by the login) and an openapi one (webauth).
	TestBankUUID = "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4040"
	// ProBankUUID is "Banque Démo Pro" (id 41), whose website list field
	// picks the private or the professional accounts.
	ProBankUUID = "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4041"
	// WealthBankUUID is "Assurance Vie Démo" (id 42): a life insurance and
	// a retirement plan, with investments.
	WealthBankUUID = "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4042"
	// LegacyBankUUID is "Banque Historique" (id 43), which answers in the
	// older shapes Powens still sends: form fields without required,
	// bookmarked as 0/1, account types livret_a, ldds and csl, webhooks
	// without id_webhook_data, DELETE of a connection answering 200 {}.
	LegacyBankUUID = "3a2c0f1e-7b4d-4c1a-9e59-0c7d1f0a4043"
)

// bank is one test connector: what /connectors shows, and the accounts its
// sources discover.
type bank struct {
	ID            int64
	UUID, Name    string
	Slug, Color   string
	Capabilities  []string
	Sources       []connectorSource
	Fields        []field
	Slots         []slot
	AuthMechanism string
	// Legacy makes the bank answer in older shapes Powens still sends:
	// fields without required, bookmarked as 0/1, webhooks without
	// id_webhook_data, DELETE of a connection answering 200 {}.
	Legacy bool
}

// slot is an account a bank discovers; Kind selects its data generator.
type slot struct {
	Kind    string // checking, card, savings, loan, pea, lifeinsurance, per
	Type    string // Powens account type
	Name    string
	Source  string // source name that discovers it
	Parent  int    // slot index of the parent account, or -1
	Usage   string // PRIV or ORGA
	Website string // "" for any, else only for that website value
}

func credentialFields(source string) []field {
	return []field{
		{Name: "login", Label: "Identifiant", Type: "text", Required: true,
			Description:    ptr("Identifiants de test\u00a0: demo, 2fa, decoupled, wrongpass, sca, webauth, action, expired, down, ratelimit, slow, big, gross, olderror, partial, reissue, err-down… (liste sur la page d’accueil du bac à sable)."),
			AuthMechanisms: []string{"credentials"}, ConnectorSources: []string{source}},
		{Name: "password", Label: "Mot de passe", Type: "password", Required: true,
			AuthMechanisms: []string{"credentials"}, ConnectorSources: []string{source}},
	}
}

func source(id, connector int64, name, mechanism string, priority int) connectorSource {
	return connectorSource{ID: id, IDConnector: connector, Name: name, AuthMechanism: mechanism,
		AvailableAuthMechanisms: []string{mechanism}, Priority: priority}
}

// testBanks returns the sandbox's connectors, built fresh so no state is shared between servers.
func testBanks() []*bank {
	return []*bank{
		{
			ID: 40, UUID: TestBankUUID, Name: "Connecteur de test", Slug: "TEST",
			Color: "2a6fdb", Capabilities: []string{"bank", "bankwealth"}, AuthMechanism: "credentials",
			Sources: []connectorSource{
				source(1, 40, "directaccess", "credentials", 1),
				source(2, 40, "openapi", "webauth", 2),
			},
			Fields: credentialFields("directaccess"),
			Slots: []slot{
				{Kind: "checking", Type: "checking", Name: "Compte chèques", Source: "directaccess", Parent: -1, Usage: "PRIV"},
				{Kind: "card", Type: "card", Name: "Carte Visa Premier", Source: "directaccess", Parent: 0, Usage: "PRIV"},
				// Powens' own docs name a livret_a type, but its OpenAPI enum stops at savings.
				{Kind: "savings", Type: "savings", Name: "Livret A", Source: "directaccess", Parent: -1, Usage: "PRIV"},
				{Kind: "loan", Type: "loan", Name: "Prêt immobilier", Source: "directaccess", Parent: -1, Usage: "PRIV"},
				{Kind: "pea", Type: "pea", Name: "PEA", Source: "openapi", Parent: -1, Usage: "PRIV"},
				{Kind: "lifeinsurance", Type: "lifeinsurance", Name: "Assurance vie Horizon", Source: "openapi", Parent: -1, Usage: "PRIV"},
			},
		},
		{
			ID: 41, UUID: ProBankUUID, Name: "Banque Démo Pro", Slug: "BDP",
			Color: "0b8a5f", Capabilities: []string{"bank"}, AuthMechanism: "credentials",
			Sources: []connectorSource{source(3, 41, "directaccess", "credentials", 1)},
			Fields: append([]field{{
				Name: "website", Label: "Type de compte", Type: "list", Required: true,
				Values:         []fieldValue{{Label: "Particuliers", Value: "par"}, {Label: "Professionnels", Value: "pro"}},
				AuthMechanisms: []string{"credentials"}, ConnectorSources: []string{"directaccess"},
			}}, credentialFields("directaccess")...),
			Slots: []slot{
				{Kind: "checking", Type: "checking", Name: "Compte courant", Source: "directaccess", Parent: -1, Usage: "PRIV", Website: "par"},
				{Kind: "savings", Type: "savings", Name: "Livret A", Source: "directaccess", Parent: -1, Usage: "PRIV", Website: "par"},
				{Kind: "checking", Type: "checking", Name: "Compte courant professionnel", Source: "directaccess", Parent: -1, Usage: "ORGA", Website: "pro"},
				{Kind: "card", Type: "card", Name: "Carte Business", Source: "directaccess", Parent: 2, Usage: "ORGA", Website: "pro"},
			},
		},
		{
			ID: 42, UUID: WealthBankUUID, Name: "Assurance Vie Démo", Slug: "AVD",
			Color: "8a3ffc", Capabilities: []string{"bankwealth"}, AuthMechanism: "credentials",
			Sources: []connectorSource{source(4, 42, "directaccess", "credentials", 1)},
			Fields:  credentialFields("directaccess"),
			Slots: []slot{
				{Kind: "lifeinsurance", Type: "lifeinsurance", Name: "Contrat Multisupport", Source: "directaccess", Parent: -1, Usage: "PRIV"},
				{Kind: "per", Type: "per", Name: "PER Individuel", Source: "directaccess", Parent: -1, Usage: "PRIV"},
			},
		},
		{
			ID: 43, UUID: LegacyBankUUID, Name: "Banque Historique", Slug: "BHI",
			Color: "9c5b1f", Capabilities: []string{"bank"}, AuthMechanism: "credentials", Legacy: true,
			Sources: []connectorSource{source(5, 43, "directaccess", "credentials", 1)},
			Fields:  olderFields(credentialFields("directaccess")),
			Slots: []slot{
				{Kind: "checking", Type: "checking", Name: "Compte de dépôt", Source: "directaccess", Parent: -1, Usage: "PRIV"},
				{Kind: "savings", Type: "livret_a", Name: "Livret A", Source: "directaccess", Parent: -1, Usage: "PRIV"},
				{Kind: "savings", Type: "ldds", Name: "Livret de développement durable", Source: "directaccess", Parent: -1, Usage: "PRIV"},
				{Kind: "savings", Type: "csl", Name: "Compte sur livret", Source: "directaccess", Parent: -1, Usage: "PRIV"},
			},
		},
	}
}

// olderFields marks a form as older answers wrote it: without required.
func olderFields(fields []field) []field {
	for i := range fields {
		fields[i].noRequired = true
	}
	return fields
}

// findBank resolves a connector by numeric id or uuid.
func (s *Server) findBank(ref string) *bank {
	ref = strings.TrimSpace(ref)
	for _, b := range s.banks {
		if strconv.FormatInt(b.ID, 10) == ref || strings.EqualFold(b.UUID, ref) {
			return b
		}
	}
	return nil
}

func (s *Server) bankByID(id int64) *bank { return s.findBank(strconv.FormatInt(id, 10)) }

// source returns the connector source named name, or nil.
func (b *bank) source(name string) *connectorSource {
	for i := range b.Sources {
		if b.Sources[i].Name == name {
			return &b.Sources[i]
		}
	}
	return nil
}

// firstCredentialsSource is what a creation without a source gets: the
// lowest-priority credentials source, so one source and partial coverage.
func (b *bank) firstCredentialsSource() *connectorSource {
	var best *connectorSource
	for i := range b.Sources {
		src := &b.Sources[i]
		if src.AuthMechanism == "credentials" && (best == nil || src.Priority < best.Priority) {
			best = src
		}
	}
	return best
}

// fieldsFor returns the fields of one source (all fields when source is "").
func (b *bank) fieldsFor(source string) []field {
	var out []field
	for _, f := range b.Fields {
		if source == "" || len(f.ConnectorSources) == 0 || slices.Contains(f.ConnectorSources, source) {
			out = append(out, f)
		}
	}
	return out
}

// json returns the Powens Connector object with the requested expansions.
func (b *bank) json(exp map[string]bool) *connectorJSON {
	c := &connectorJSON{
		ID: b.ID, UUID: b.UUID, Name: b.Name, Code: ptr("99999"), Color: ptr(b.Color),
		Slug: ptr(b.Slug), MonthsToFetch: ptr(3), AuthMechanism: ptr(b.AuthMechanism),
		AvailableAuthMechanisms: []string{b.AuthMechanism}, Capabilities: b.Capabilities,
		AccountUsages: []string{"PRIV", "ORGA"}, Products: b.products(),
	}
	if exp["sources"] {
		c.Sources = b.Sources
	}
	if exp["fields"] {
		c.Fields = b.Fields
	}
	if exp["urls"] {
		c.URLs = []string{"https://www.example.com/" + strings.ToLower(b.Slug)}
	}
	return c
}

// products names Powens' products (bank, wealth…) behind the bank's capabilities.
func (b *bank) products() []string {
	var out []string
	if slices.Contains(b.Capabilities, "bank") {
		out = append(out, "bank")
	}
	if slices.Contains(b.Capabilities, "bankwealth") {
		out = append(out, "wealth")
	}
	return out
}

// slotsFor lists the slots a source discovers for a connection's website.
func (b *bank) slotsFor(source, website string) []int {
	var out []int
	for i, sl := range b.Slots {
		if sl.Source == source && (sl.Website == "" || website == "" && sl.Website == "par" || sl.Website == website) {
			out = append(out, i)
		}
	}
	return out
}
