package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
)

// registerSyncRoutes adds the API endpoints that act through Powens and the
// webview callback page (POWENS_REDIRECT_URL should point at /webview/callback).
func (s *Server) registerSyncRoutes() {
	s.mux.HandleFunc("POST /api/v1/sync", s.requireToken(s.requireAggregator(s.handleSync)))
	s.mux.HandleFunc("POST /api/v1/connections/{id}/sync", s.requireToken(s.requireAggregator(s.handleConnectionSync)))
	s.mux.HandleFunc("GET /api/v1/webview/{flow}", s.requireToken(s.requireAggregator(s.handleWebviewLink)))
	s.mux.HandleFunc("GET /webview/callback", s.requireAggregator(s.handleWebviewCallback))
}

// handleSync pulls what changed at Powens for the token's user, now.
func (s *Server) handleSync(w http.ResponseWriter, r *http.Request) {
	n, err := s.Aggregator.Reconcile(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusAccepted, map[string]any{"status": "queued", "connections": n})
}

// handleConnectionSync asks Powens to sync one connection now, then pulls it.
func (s *Server) handleConnectionSync(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r.PathValue("id"), "Connection")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Aggregator.SyncConnection(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusAccepted, toConnectionJSON(c))
}

// handleWebviewLink returns a fresh Connect, Manage or Reconnect link.
func (s *Server) handleWebviewLink(w http.ResponseWriter, r *http.Request) {
	flow := r.PathValue("flow")
	p := newParams(r.URL.Query(), "connection_id")
	connID := p.int64("connection_id")
	if p.err != nil {
		s.Error(w, r, p.err)
		return
	}
	var id int64
	if connID != nil {
		id = *connID
	}
	user := userFrom(r.Context())
	link, err := s.Aggregator.WebviewURL(r.Context(), user.ID, flow, id, s.signState(user.ID, s.Now()))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]string{"url": link, "flow": flow})
}

// stateLifetime bounds how long a webview visit may take.
const stateLifetime = time.Hour

// signState binds a webview visit to a user: user id, expiry and a nonce,
// MAC'd with a key derived from the secrets key, so that the callback (which
// carries no credentials) knows whose visit it was and that we started it.
func (s *Server) signState(userID int64, now time.Time) string {
	b := make([]byte, 24, 24+sha256.Size)
	binary.BigEndian.PutUint64(b[0:8], uint64(userID))
	binary.BigEndian.PutUint64(b[8:16], uint64(now.Add(stateLifetime).Unix()))
	rand.Read(b[16:24])
	m := hmac.New(sha256.New, s.StateKey)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(m.Sum(b))
}

// openState returns the user of a state made by signState, if valid and fresh.
func (s *Server) openState(state string, now time.Time) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(state)
	if err != nil || len(b) != 24+sha256.Size || len(s.StateKey) == 0 {
		return 0, false
	}
	m := hmac.New(sha256.New, s.StateKey)
	m.Write(b[:24])
	if !hmac.Equal(m.Sum(nil), b[24:]) || now.Unix() > int64(binary.BigEndian.Uint64(b[8:16])) {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(b[0:8])), true
}

var callbackPage = template.Must(template.New("callback").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>freenahi — bank connection</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
.ok{color:#0a6b2c}.problem{color:#9b1c1c}</style></head><body>
<h1>Bank connection</h1>
{{if .Problem}}<p class="problem" role="alert">{{.Problem}}</p>
{{else}}<p class="ok">Done. {{if .Count}}Your accounts are being imported; they appear in freenahi within a minute.{{else}}Nothing to import.{{end}}</p>{{end}}
<p><a href="/">Back to freenahi</a></p>
</body></html>
`))

// handleWebviewCallback is where the webview sends the person back. The
// signed state says whose visit it was; connections it names are pulled at
// once and errors are shown in plain words.
func (s *Server) handleWebviewCallback(w http.ResponseWriter, r *http.Request) {
	data := struct {
		Problem string
		Count   int
	}{}
	br, err := aggregator.ParseBankReturn(r.URL.Query())
	var userID int64
	var ok bool
	if err == nil {
		userID, ok = s.openState(br.State, s.Now())
	}
	switch {
	case err != nil:
		w.WriteHeader(http.StatusBadRequest)
		data.Problem = "The link back from Powens is malformed (" + err.Error() + "). Start again from freenahi."
	case !ok:
		w.WriteHeader(http.StatusBadRequest)
		data.Problem = "This link is not one freenahi started, or it expired (after " + strconv.Itoa(int(stateLifetime.Minutes())) + " minutes). Start again from freenahi."
	default:
		res, err := s.Aggregator.HandleWebviewCallback(r.Context(), userID, br)
		switch {
		case err != nil:
			loggerFrom(r.Context(), s.Logger).Error("webview callback failed", "error", err)
			w.WriteHeader(http.StatusBadGateway)
			data.Problem = freenahi.ErrorMessage(err)
		case br.Problem != nil:
			data.Problem = br.Problem.Message
		default:
			data.Count = len(res.PowensConnectionIDs)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	callbackPage.Execute(w, data)
}
