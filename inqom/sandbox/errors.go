package sandbox

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// apiError is an error of the banking endpoints, written in the shape of
// the ABP framework Inqom's /api/app/ routes suggest (reference §4.3):
// {"error": {"code", "message", "details", "data", "validationErrors"}}.
// Real Inqom bodies are undocumented; this shape makes clients tolerant.
type apiError struct {
	status     int
	code       string
	message    string
	details    string
	data       map[string]any
	validation []validationError
}

// validationError is one ABP validation failure.
type validationError struct {
	Message string   `json:"message"`
	Members []string `json:"members"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

// errInvalid is a 400 validation failure on one member, worded like ABP's.
func errInvalid(member, format string, args ...any) *apiError {
	msg := fmt.Sprintf(format, args...)
	return &apiError{
		status: http.StatusBadRequest, message: "Your request is not valid!",
		details:    "The following errors were detected during validation.\n - " + msg + "\n",
		validation: []validationError{{Message: msg, Members: []string{member}}},
	}
}

// errBanking is a business refusal with a code under "Banking:".
func errBanking(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: "Banking:" + code, message: fmt.Sprintf(format, args...)}
}

// writeError writes e and logs it; the log line carries no secret because
// messages never quote a credential.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	s.log.Info("inqom sandbox refused", slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", e.status), slog.String("code", e.code), slog.String("message", e.message))
	body := map[string]any{
		"code": nullable(e.code), "message": e.message, "details": nullable(e.details),
		"data": e.data, "validationErrors": e.validation,
	}
	if e.data == nil {
		body["data"] = map[string]any{}
	}
	w.Header().Set("_AbpErrorFormat", "true")
	writeJSON(w, e.status, map[string]any{"error": body})
}

// writeJSON writes v with status; encoding our own values cannot fail.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// nullable renders "" as JSON null, as .NET serialises a null string.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// oauthError writes an error of the token endpoint (RFC 6749 §5.2), as
// IdentityServer does: a JSON object with error and error_description.
func (s *Server) oauthError(w http.ResponseWriter, status int, code, description string) {
	s.log.Info("inqom sandbox refused a token request", slog.Int("status", status), slog.String("error", code))
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="identity"`)
	}
	body := map[string]string{"error": code}
	if description != "" {
		body["error_description"] = description
	}
	writeJSON(w, status, body)
}

// bearerChallenge answers 401 on a banking endpoint the way ASP.NET's JWT
// bearer handler does: an empty body and the reason in WWW-Authenticate.
func (s *Server) bearerChallenge(w http.ResponseWriter, r *http.Request, description string) {
	s.log.Info("inqom sandbox refused a bearer token", slog.String("path", r.URL.Path), slog.String("reason", description))
	v := "Bearer"
	if description != "" {
		v += `, error="invalid_token", error_description="` + strings.ReplaceAll(description, `"`, `'`) + `"`
	}
	w.Header().Set("WWW-Authenticate", v)
	w.WriteHeader(http.StatusUnauthorized)
}
