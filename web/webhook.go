package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
)

// registerWebhookRoutes serves /webhook/{event}/ with and without the trailing
// slash: the Freenahi setup guide registers the slash form, other guides not.
func (s *Server) registerWebhookRoutes() {
	s.mux.HandleFunc("POST /webhook/{event}/", s.handleWebhook)
	s.mux.HandleFunc("POST /webhook/{event}", s.handleWebhook)
}

// webhookRejection is why a delivery was refused; nothing is stored for it.
type webhookRejection struct {
	status int
	reason string // metric label
	detail string
}

// handleWebhook authenticates a Powens delivery, stores it raw in the inbox
// and acknowledges it only once the inbox row is committed. Processing happens
// later, from the inbox, so Powens never waits for it.
func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request) {
	event := r.PathValue("event")
	if !slices.Contains(freenahi.WebhookEvents, event) {
		s.rejectWebhook(w, r, "unknown", &webhookRejection{http.StatusNotFound, "unknown_event",
			"Unknown webhook event " + strconv.Quote(event) + "; freenahi receives: " + strings.Join(freenahi.WebhookEvents, ", ")})
		return
	}
	if rej := s.checkSourceIP(r); rej != nil {
		s.rejectWebhook(w, r, event, rej)
		return
	}
	raw, body, rej := s.readWebhookBody(w, r)
	if rej != nil {
		s.rejectWebhook(w, r, event, rej)
		return
	}
	e := &freenahi.InboxEvent{Event: event, Body: body}
	if s.Webhook.Secret != "" {
		if rej := s.verifySignature(r, raw, body); rej != nil {
			s.rejectWebhook(w, r, event, rej)
			return
		}
		e.Auth = freenahi.AuthHMAC
	}
	env, err := powens.DecodeEnvelope(body)
	if err != nil {
		s.rejectWebhook(w, r, event, &webhookRejection{http.StatusBadRequest, "invalid_json", "The body is not a JSON object: " + err.Error()})
		return
	}
	e.PowensUserID = env.PowensUserID(event)
	if e.Auth == "" {
		if rej := s.verifyBearer(r, e); rej != nil {
			s.rejectWebhook(w, r, event, rej)
			return
		}
	}
	if env.IDWebhookData != nil {
		e.DeliveryKey = "wd:" + strconv.FormatInt(*env.IDWebhookData, 10)
	} else {
		sum := sha256.Sum256(body)
		e.DeliveryKey = "sha256:" + hex.EncodeToString(sum[:])
	}
	duplicate, err := s.Inbox.ReceiveEvent(r.Context(), e)
	if err != nil {
		// Not stored: a non-2xx makes Powens deliver again later.
		s.Metrics.WebhookRejected(event, "store_failed")
		s.Error(w, r, err)
		return
	}
	s.Metrics.WebhookReceived(event, duplicate)
	if !duplicate && s.EventReceived != nil {
		s.EventReceived()
	}
	resp := map[string]any{"status": "accepted", "event_id": e.ID, "inbox_status": e.Status}
	if duplicate {
		resp = map[string]any{"status": "duplicate"}
	}
	s.writeJSON(w, r, http.StatusOK, resp)
}

func (s *Server) rejectWebhook(w http.ResponseWriter, r *http.Request, event string, rej *webhookRejection) {
	s.Metrics.WebhookRejected(event, rej.reason)
	loggerFrom(r.Context(), s.Logger).Warn("webhook rejected", "event", event, "reason", rej.reason, "detail", rej.detail)
	code := map[int]string{400: freenahi.EINVALID, 401: freenahi.EUNAUTHORIZED, 403: freenahi.EFORBIDDEN,
		404: freenahi.ENOTFOUND, 413: freenahi.ETOOLARGE, 415: freenahi.EINVALID, 503: freenahi.EUNAVAILABLE}[rej.status]
	writeProblem(w, r, rej.status, code, rej.detail, "")
}

// readWebhookBody returns the body as received (raw) and decompressed (body),
// enforcing the size limit on both so a gzip bomb cannot exhaust memory.
func (s *Server) readWebhookBody(w http.ResponseWriter, r *http.Request) (raw, body []byte, rej *webhookRejection) {
	limit := s.Webhook.MaxBodyBytes
	tooLarge := &webhookRejection{http.StatusRequestEntityTooLarge, "too_large",
		"The body is larger than " + strconv.FormatInt(limit, 10) + " bytes (FREENAHI_WEBHOOK_MAX_BYTES)."}
	if r.ContentLength > limit {
		return nil, nil, tooLarge
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, nil, tooLarge
	} else if err != nil {
		return nil, nil, &webhookRejection{http.StatusBadRequest, "read_failed", "The body could not be read: " + err.Error()}
	}
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return raw, raw, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, nil, &webhookRejection{http.StatusBadRequest, "bad_gzip", "The body is not valid gzip: " + err.Error()}
		}
		body, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil {
			return nil, nil, &webhookRejection{http.StatusBadRequest, "bad_gzip", "The body is not valid gzip: " + err.Error()}
		}
		if int64(len(body)) > limit {
			return nil, nil, tooLarge
		}
		return raw, body, nil
	default:
		return nil, nil, &webhookRejection{http.StatusUnsupportedMediaType, "bad_encoding",
			"Content-Encoding " + strconv.Quote(enc) + " is not supported (gzip is)."}
	}
}

// verifySignature checks BI-Signature over METHOD.PATH.DATE.PAYLOAD. Whether
// Powens signs the compressed or the decompressed body is not documented, so a
// gzip delivery is accepted if either matches.
func (s *Server) verifySignature(r *http.Request, raw, body []byte) *webhookRejection {
	date, sig := r.Header.Get(powens.HeaderSignatureDate), r.Header.Get(powens.HeaderSignature)
	now := s.Now()
	err := powens.VerifySignature(s.Webhook.Secret, r.Method, r.URL.Path, date, sig, raw, now, s.Webhook.MaxAge)
	if errors.Is(err, powens.ErrSignatureInvalid) && !bytes.Equal(raw, body) {
		err = powens.VerifySignature(s.Webhook.Secret, r.Method, r.URL.Path, date, sig, body, now, s.Webhook.MaxAge)
	}
	if err != nil {
		return &webhookRejection{http.StatusUnauthorized, "bad_signature", "Webhook signature refused: " + err.Error() + "."}
	}
	return nil
}

// verifyBearer authenticates a delivery by the Powens user token Powens sends
// when no HMAC secret is configured, comparing in constant time with the
// token stored for that Powens user. For a Powens user not linked yet, the
// event is kept unmatched with the token's hash, checked when it is linked.
func (s *Server) verifyBearer(r *http.Request, e *freenahi.InboxEvent) *webhookRejection {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return &webhookRejection{http.StatusUnauthorized, "missing_auth",
			"Missing Authorization: Bearer <Powens user token> (or configure POWENS_WEBHOOK_SECRET for signed webhooks)."}
	}
	if e.PowensUserID == nil {
		return &webhookRejection{http.StatusBadRequest, "no_user", "The body names no Powens user to authenticate the token against."}
	}
	e.Auth = freenahi.AuthBearer
	pu, err := s.Users.FindPowensUserByPowensID(r.Context(), *e.PowensUserID)
	switch {
	case err == nil:
		if subtle.ConstantTimeCompare([]byte(token), []byte(pu.Token)) != 1 {
			return &webhookRejection{http.StatusUnauthorized, "bad_token", "The bearer token is not the one of this Powens user."}
		}
		return nil
	case freenahi.ErrorCode(err) == freenahi.ENOTFOUND:
		st, err := s.Inbox.InboxStats(r.Context())
		if err == nil && st.Depth[freenahi.StatusUnmatched] >= s.Webhook.MaxUnmatched {
			return &webhookRejection{http.StatusServiceUnavailable, "unmatched_full",
				"Too many events wait for unknown Powens users; link them with `freenahi user link-powens`."}
		}
		h := sha256.Sum256([]byte(token))
		e.TokenHash = h[:]
		return nil
	default:
		return &webhookRejection{http.StatusServiceUnavailable, "store_failed", "The token could not be checked; try again."}
	}
}

// checkSourceIP applies POWENS_WHITELISTED_IPS when set.
func (s *Server) checkSourceIP(r *http.Request) *webhookRejection {
	if len(s.Webhook.AllowedIPs) == 0 {
		return nil
	}
	ip, ok := s.clientIP(r)
	if ok {
		for _, p := range s.Webhook.AllowedIPs {
			if p.Contains(ip) {
				return nil
			}
		}
	}
	return &webhookRejection{http.StatusForbidden, "ip_not_allowed", "The source address is not in POWENS_WHITELISTED_IPS."}
}

// clientIP is the peer address, or, behind a trusted proxy, the right-most
// X-Forwarded-For entry that is not itself a trusted proxy.
func (s *Server) clientIP(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	ip = ip.Unmap()
	if !inPrefixes(ip, s.TrustedProxies) {
		return ip, true
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return netip.Addr{}, false
		}
		if hop = hop.Unmap(); !inPrefixes(hop, s.TrustedProxies) {
			return hop, true
		}
	}
	return ip, true
}

func inPrefixes(ip netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
