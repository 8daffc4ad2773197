package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// routes registers every endpoint. The API lives under /2.0/ like
// https://{domain}.biapi.pro/2.0/ and answers JSON, even for unknown routes;
// pages and controls live at the root, in a mux of their own so that the
// webview's /{lang}/{flow} pattern cannot clash with the API's catch-all.
func (s *Server) routes() {
	m, pages := http.NewServeMux(), http.NewServeMux()
	s.mux, s.pages = m, pages
	s.registerAuthRoutes(m)
	s.registerConnectorRoutes(m)
	s.registerConnectionRoutes(m)
	s.registerWebauthRoutes(m, pages)
	s.registerAccountRoutes(m)
	s.registerTransactionRoutes(m)
	s.registerWebviewRoutes(m, pages)
	s.registerControlRoutes(pages)
	m.HandleFunc("/2.0/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errNotFound("Unknown route."))
	})
}

// apiError is a Powens error answer: {"code","description","message","request_id"}.
type apiError struct {
	Status      int
	Code        string
	Description string
	Message     string // bank message, shown to the person
	RetryAfter  int    // seconds, sent as Retry-After when positive
}

func (e *apiError) Error() string { return e.Code + ": " + e.Description }

func errf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Description: fmt.Sprintf(format, args...)}
}

func errNotFound(desc string) *apiError { return errf(http.StatusNotFound, "notFound", "%s", desc) }

func errInvalid(format string, args ...any) *apiError {
	return errf(http.StatusBadRequest, "invalidValue", format, args...)
}

func errMissing(name string) *apiError {
	return errf(http.StatusBadRequest, "missingParameter", "Missing parameter %q.", name)
}

// fail writes err as a Powens error body.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err *apiError) {
	// An atomic counter: fail is called with and without s.mu held.
	id := "sbx-" + strconv.FormatInt(s.requests.Add(1), 10)
	body := map[string]any{"code": err.Code, "description": err.Description, "message": nil, "request_id": id}
	if err.Message != "" {
		body["message"] = err.Message
	}
	if err.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(err.RetryAfter))
	}
	if err.Status >= 500 {
		s.log.Error("sandbox error", slog.String("path", r.URL.Path), slog.String("code", err.Code))
	}
	writeJSON(w, err.Status, body)
}

// writeJSON renders v into a buffer first, so an encoding error becomes a clean 500.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		http.Error(w, `{"code":"bug","description":"encoding failed"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// readValues reads a JSON object or a form-encoded body as flat string
// values, as Powens accepts both; booleans and numbers keep their JSON text.
func readValues(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return nil, errInvalid("Invalid form body: %v", err)
		}
		for k, v := range r.PostForm {
			out[k] = v[0]
		}
		return out, nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, errf(http.StatusRequestEntityTooLarge, "invalidValue", "Body too large.")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return out, nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var raw map[string]any
	if err := d.Decode(&raw); err != nil {
		return nil, errInvalid("Body is not a JSON object: %v", err)
	}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case json.Number:
			out[k] = v.String()
		case bool:
			out[k] = strconv.FormatBool(v)
		case nil:
		default:
			// Arrays and objects (e.g. expand lists) are not flat values; keep their JSON.
			b, _ := json.Marshal(v)
			out[k] = string(b)
		}
	}
	return out, nil
}

// readBody is readValues answering the error itself; ok is false on failure.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (map[string]string, bool) {
	v, err := readValues(r)
	if err != nil {
		s.fail(w, r, err.(*apiError))
		return nil, false
	}
	return v, true
}

// flag reports a Powens boolean query flag: present without value ("?all"), or true/1.
func flag(r *http.Request, name string) bool {
	q := r.URL.Query()
	if !q.Has(name) {
		return false
	}
	switch strings.ToLower(q.Get(name)) {
	case "", "true", "1", "yes":
		return true
	}
	return false
}

// truthy reads a boolean body value.
func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes", "on":
		return true
	}
	return false
}

// expands parses expand=a,b[c],d into the set of top-level names.
func expands(r *http.Request) map[string]bool {
	out := map[string]bool{}
	for _, v := range r.URL.Query()["expand"] {
		depth, start := 0, 0
		for i := 0; i <= len(v); i++ {
			if i == len(v) || (v[i] == ',' && depth == 0) {
				name := v[start:i]
				if j := strings.IndexByte(name, '['); j >= 0 {
					name = name[:j]
				}
				if name = strings.TrimSpace(name); name != "" {
					out[name] = true
				}
				start = i + 1
				continue
			}
			switch v[i] {
			case '[':
				depth++
			case ']':
				depth--
			}
		}
	}
	return out
}

// pathID parses a numeric path value.
func pathID(r *http.Request, name string) (int64, *apiError) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound("Unknown " + name + ".")
	}
	return id, nil
}

// createErrors are the scripted logins whose creation Powens refuses with an
// HTTP error rather than a state (issue 9): nothing is created.
var createErrors = map[string]*apiError{
	"err-passwordexpired": {Status: http.StatusBadRequest, Code: "passwordExpired",
		Description: "The password has expired.", Message: "Votre mot de passe a expiré. Modifiez-le sur le site de votre banque."},
	"err-action": {Status: http.StatusBadRequest, Code: "actionNeeded",
		Description: "The bank requires an action from the user.", Message: actionMessage},
	"err-down": {Status: http.StatusServiceUnavailable, Code: "websiteUnavailable",
		Description: "The bank's website is unavailable."},
	"err-bug": {Status: http.StatusInternalServerError, Code: "bug",
		Description: "An internal error occurred while synchronizing the connection."},
	"err-ratelimit": {Status: http.StatusTooManyRequests, Code: "rateLimiting",
		Description: "The bank is limiting synchronizations; try again later.", RetryAfter: 60},
}

// errDecoupledPending refuses a creation while another connection of the
// same bank waits for a decoupled validation, as Powens does.
func errDecoupledPending(id int64) *apiError {
	return errf(http.StatusBadRequest, "badRequest",
		"Connection %d to this connector is waiting for a decoupled validation: resume it with the resume parameter instead of creating a new one.", id)
}

func errWrongpass() *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "wrongpass", Description: "Wrong credentials.",
		Message: "Identifiant ou mot de passe incorrect."}
}
