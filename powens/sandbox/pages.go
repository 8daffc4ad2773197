package sandbox

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

type templates struct{ t *template.Template }

func parseTemplates() (*templates, error) {
	t, err := template.ParseFS(templateFS, "templates/*.html")
	return &templates{t}, err
}

// loginDoc documents one scripted login on the bank and webview pages.
type loginDoc struct{ Login, What string }

// loginDocs is DESIGN §7's table, shown to whoever tries the demo.
var loginDocs = []loginDoc{
	{"demo (or anything else)", "Connected; accounts found, disabled until you activate them."},
	{"2fa", "Asks for a 6-digit code: 123456 succeeds, any other code is refused (wrongpass)."},
	{"decoupled", "Waits for approval in the banking app; resuming validates after about 2 seconds."},
	{"wrongpass", "Refused: wrong password; nothing is created."},
	{"sca", "Connected; the next sync needs strong authentication (SCARequired) until you reconnect."},
	{"webauth", "Connected; the next sync needs a bank redirect (webauthRequired), repaired on the bank page."},
	{"action", "Blocked: the bank asks you to do something on its site (actionNeeded, with its message)."},
	{"expired", "Blocked: password expired (passwordExpired); posting a new password repairs it."},
	{"down", "Bank site unavailable (websiteUnavailable); retried automatically, a later sync succeeds."},
	{"ratelimit", "The bank limits syncs (rateLimiting); retried automatically, a later sync succeeds."},
	{"slow", "Answers after 20 seconds."},
	{"big", "Connected with a long history: 50,000 transactions over several accounts."},
	{"gross", "Connected; the checking account is a payment platform's: amounts as gross value and commission (value null), one unknown."},
	{"olderror", "Like action, answered the older way: state null, the problem in the error field."},
	{"partial", "Connected; pushes of the accounts alone, then one partial history after the full one."},
	{"reissue", "Connected; the next two syncs show a booked transaction again under a new id (old id deleted, then gone)."},
	{"err-passwordexpired", "Refused at once: 400 passwordExpired; nothing is created."},
	{"err-action", "Refused at once: 400 actionNeeded with the bank's message."},
	{"err-down", "Refused at once: 503 websiteUnavailable."},
	{"err-bug", "Refused at once: 500 bug."},
	{"err-ratelimit", "Refused at once: 429 rateLimiting, retry after 60 seconds."},
	{"(any, while a decoupled one waits)", "Refused: 400 badRequest; resume the waiting connection of this bank instead."},
}

// page is the data of every HTML page.
type page struct {
	Lang, Title, Domain, Color, Session, Error, Action, Text string
	BankName, Source, State, Message                         string
	ConnectorID                                              int64
	Logins                                                   []loginDoc
	Banks                                                    []*bank
	Fields                                                   []field
	Accounts                                                 []pageAccount
	Connections                                              []pageConnection
	NeedsPassword, NeedsOTP                                  bool
}

type pageAccount struct {
	ID                  int64
	Name, Type, Balance string
	Disabled            bool
}

type pageConnection struct {
	ID              int64
	BankName, State string
	Accounts        []pageAccount
}

// render executes a template into a buffer first, so a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	if p.Lang == "" {
		p.Lang = "en"
	}
	if p.Color == "" {
		p.Color = "2a6fdb"
	}
	p.Domain = s.cfg.Domain
	var buf bytes.Buffer
	if err := s.tmpl.t.ExecuteTemplate(&buf, name, p); err != nil {
		s.log.Error("sandbox template", slog.String("template", name), slog.Any("error", err))
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// session is a browser flow in progress: the bank page or a webview.
type session struct {
	Kind         string // "bank" or "webview"
	UserID       int64
	Expires      time.Time
	RedirectURI  string
	State        string
	Lang, Flow   string
	ConnectorID  int64
	Source       string
	ConnectionID int64
	Anonymous    bool // connect without code: the callback returns one
	Values       map[string]string
}

const maxSessions = 1000

// newSession stores a session under a random id; expired ones are purged
// and the count is bounded so abandoned flows cannot grow memory.
func (s *Server) newSession(sess *session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for id, x := range s.sessions {
		if now.After(x.Expires) || len(s.sessions) >= maxSessions {
			delete(s.sessions, id)
		}
	}
	sess.Expires = now.Add(temporaryLifetime)
	id := randomString(18, false)
	s.sessions[id] = sess
	return id
}

func (s *Server) getSession(id, kind string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[id]
	if sess == nil || sess.Kind != kind || time.Now().After(sess.Expires) {
		return nil
	}
	return sess
}

func (s *Server) endSession(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// redirectTo sends the browser to uri with params added to its query.
func redirectTo(w http.ResponseWriter, r *http.Request, uri string, params url.Values) {
	for k, v := range params {
		if len(v) == 0 || v[0] == "" {
			delete(params, k)
		}
	}
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	http.Redirect(w, r, uri+sep+params.Encode(), http.StatusSeeOther)
}
