// Package webhook receives Powens webhooks at /webhook/{event}/: it
// authenticates each delivery (HMAC signature, else the Powens user's bearer
// token), stores its raw body in the inbox and acknowledges it only once the
// inbox row is committed. Processing happens later, from the inbox (ingest).
package webhook

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/metrics"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// Config configures the receiver.
type Config struct {
	// Secret is the HMAC secret of the Powens auth provider; when empty,
	// deliveries are authenticated by the Powens user's bearer token.
	Secret string
	// MaxAge bounds how far BI-Signature-Date may be from now (default
	// 72 h). Powens documents no window, and its flusher may send a delivery
	// again at its next run: deliveries are idempotent (their key is kept),
	// so the window only has to stop replays of very old signed bodies.
	MaxAge time.Duration
	// AllowedIPs, when set, is an extra filter on the source address.
	AllowedIPs []netip.Prefix
	// MaxBodyBytes bounds a body after decompression (default 64 MiB).
	MaxBodyBytes int64
	// MaxConcurrentReads bounds the bodies read at once before they are
	// authenticated (default 8), small ones and large ones apart (see
	// acquireRead): memory is bounded by MaxConcurrentReads × MemoryBodyBytes,
	// the spool by MaxConcurrentReads × MaxBodyBytes. At most MaxQueued deliveries (default 64)
	// wait for a place, each at most QueueWait (default 5 s); past either,
	// a delivery is refused with 503 and Retry-After.
	MaxConcurrentReads int
	MaxQueued          int
	QueueWait          time.Duration
	// MemoryBodyBytes: a body up to this size is read in memory, a larger
	// one into a temporary file in SpoolDir (default 1 MiB, os.TempDir()).
	MemoryBodyBytes int64
	SpoolDir        string
	// MaxInflateRatio bounds how many times a gzip body may inflate past its
	// first 256 KiB (default 200).
	MaxInflateRatio int
	// MaxUnmatched, MaxUnmatchedBytes and MaxUnmatchedPerSource bound the
	// events kept for Powens users we do not know when they could not be
	// authenticated (bearer mode): in all (default 1,000 events, 64 MiB) and
	// from one client address (default 100 events). Past them, such a
	// delivery is refused with 503: Powens retries, a flood stops growing.
	MaxUnmatched          int64
	MaxUnmatchedBytes     int64
	MaxUnmatchedPerSource int64
}

// DefaultMaxAge is the default accepted distance of BI-Signature-Date from now.
const DefaultMaxAge = 72 * time.Hour

// Users finds the Powens user a bearer token must belong to.
type Users interface {
	FindPowensUserByPowensID(ctx context.Context, powensUserID int64) (*freenahi.PowensUser, error)
}

// Receiver is the webhook endpoint. Set its fields, then Register it.
type Receiver struct {
	Config  Config
	Users   Users
	Inbox   freenahi.InboxService
	Metrics *metrics.Metrics
	Logger  *slog.Logger
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// EventReceived is called after an event is stored, to wake the worker.
	EventReceived func()
	Now           func() time.Time
	// RefusalFlushEvery is how often refused deliveries are written at most
	// (default 10 s; tests set a negative value to write each at once).
	RefusalFlushEvery time.Duration

	refusals   refusalLog
	reads      chan struct{} // places to read a small body before authentication
	largeReads chan struct{} // places to read a large (or undeclared) one
	waiting    atomic.Int64  // deliveries waiting for one
}

// eventName is what a Powens event name looks like in a path; it bounds the
// metric labels and inbox values a sender can make up.
var eventName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,47}$`)

// Register serves /webhook/{event}/ with and without the trailing slash:
// the Freenahi setup guide registers the slash form, other guides not.
func (s *Receiver) Register(mux *http.ServeMux) {
	if s.Config.MaxAge == 0 {
		s.Config.MaxAge = DefaultMaxAge
	}
	if s.Config.MaxBodyBytes == 0 {
		s.Config.MaxBodyBytes = 64 << 20
	}
	if s.Config.MaxConcurrentReads <= 0 {
		s.Config.MaxConcurrentReads = 8
	}
	if s.Config.QueueWait <= 0 {
		s.Config.QueueWait = 5 * time.Second
	}
	if s.Config.MaxQueued <= 0 {
		s.Config.MaxQueued = 64
	}
	if s.Config.MemoryBodyBytes <= 0 {
		s.Config.MemoryBodyBytes = 1 << 20
	}
	if s.Config.MaxInflateRatio <= 0 {
		s.Config.MaxInflateRatio = 200
	}
	s.reads = make(chan struct{}, s.Config.MaxConcurrentReads)
	s.largeReads = make(chan struct{}, s.Config.MaxConcurrentReads)
	if s.Config.MaxUnmatched <= 0 {
		s.Config.MaxUnmatched = 1_000
	}
	if s.Config.MaxUnmatchedBytes <= 0 {
		s.Config.MaxUnmatchedBytes = 64 << 20
	}
	if s.Config.MaxUnmatchedPerSource <= 0 {
		s.Config.MaxUnmatchedPerSource = 100
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Metrics == nil {
		s.Metrics = metrics.New(nil)
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	s.refusals.flushEvery = s.RefusalFlushEvery
	if s.refusals.flushEvery == 0 {
		s.refusals.flushEvery = 10 * time.Second
	}
	mux.HandleFunc("POST /webhook/{event}/", s.handleWebhook)
	mux.HandleFunc("POST /webhook/{event}", s.handleWebhook)
}

// webhookRejection is why a delivery was refused; nothing is stored for it.
// Its answer goes to Powens or to whoever called, not to a person: English.
type webhookRejection struct {
	code   string // the domain code, which gives the status
	reason string // metric label
	detail string
}

// handleWebhook authenticates a Powens delivery, stores it raw in the inbox
// and acknowledges it only once the inbox row is committed. Processing happens
// later, from the inbox, so Powens never waits for it.
func (s *Receiver) handleWebhook(w http.ResponseWriter, r *http.Request) {
	// Every event Powens sends is acknowledged: a refusal makes Powens retry,
	// then give up on the webhook. Those freenahi stores nothing of are kept
	// and marked ignored by the worker.
	event := strings.ToLower(r.PathValue("event"))
	if !eventName.MatchString(event) {
		s.rejectWebhook(w, r, "malformed", &webhookRejection{freenahi.ENOTFOUND, "unknown_event",
			"The webhook path must be /webhook/<event>/ with a Powens event name such as connection_synced."})
		return
	}
	e, done, rej := s.receiveBody(w, r, event)
	if rej != nil {
		s.rejectWebhook(w, r, event, rej)
		return
	}
	defer done()
	file := e.BodyFile
	defer func() {
		if file != nil { // not handed to ReceiveEvent
			file.Close()
		}
	}()
	env, bodyHash, err := decodeEnvelope(e)
	if errors.Is(err, errSpool) {
		s.rejectWebhook(w, r, event, spoolReadFailed)
		return
	} else if err != nil {
		s.rejectWebhook(w, r, event, &webhookRejection{freenahi.EINVALID, "invalid_json", "The body is not a JSON object: " + err.Error()})
		return
	}
	e.PowensUserID = env.PowensUserID(event)
	if e.Auth == "" && e.PowensUserID == nil && !freenahi.Processed(event) {
		// An event that names no user (PAYMENT_STATE_UPDATED) cannot be
		// checked against a user token, and carries nothing freenahi keeps:
		// acknowledged so that Powens does not retry, and not stored.
		s.Metrics.WebhookReceived(metricLabel(event), false)
		respond.JSON(w, r, http.StatusAccepted, map[string]any{"status": "ignored"})
		return
	}
	if e.Auth == "" {
		if rej := s.verifyBearer(r, e); rej != nil {
			s.rejectWebhook(w, r, event, rej)
			return
		}
	}
	if e.DeliveryKey, err = deliveryKey(e, env, bodyHash); err != nil {
		s.rejectWebhook(w, r, event, spoolReadFailed)
		return
	}
	file = nil // ReceiveEvent closes it, whatever happens
	duplicate, err := s.Inbox.ReceiveEvent(r.Context(), e)
	if err != nil {
		// Not stored: a non-2xx makes Powens deliver again later.
		s.Metrics.WebhookRejected(metricLabel(event), "store_failed")
		respond.Error(w, r, err)
		return
	}
	s.Metrics.WebhookReceived(metricLabel(event), duplicate)
	if !duplicate && s.EventReceived != nil {
		s.EventReceived()
	}
	resp := map[string]any{"status": "accepted", "event_id": e.ID, "inbox_status": e.Status}
	if duplicate {
		resp = map[string]any{"status": "duplicate"}
	}
	respond.JSON(w, r, http.StatusOK, resp)
}

func (s *Receiver) rejectWebhook(w http.ResponseWriter, r *http.Request, event string, rej *webhookRejection) {
	if rej.code == freenahi.EUNAVAILABLE {
		w.Header().Set("Retry-After", "5")
	}
	s.Metrics.WebhookRejected(metricLabel(event), rej.reason)
	s.noteRefusal(metricLabel(event), rej.reason, rej.detail)
	request.Logger(r.Context(), s.Logger).Warn("webhook rejected", "event", event, "reason", rej.reason, "detail", rej.detail)
	respond.Error(w, r, &freenahi.Error{Code: rej.code, Message: rej.detail})
}

// verifyBearer authenticates a delivery by the Powens user token Powens sends
// when no HMAC secret is configured, comparing in constant time with the
// token stored for that Powens user. For a Powens user not linked yet, the
// event is kept unmatched with the token's hash, checked when it is linked.
func (s *Receiver) verifyBearer(r *http.Request, e *freenahi.InboxEvent) *webhookRejection {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") // its form was checked by checkHeaders
	if e.PowensUserID == nil {
		return &webhookRejection{freenahi.EINVALID, "no_user", "The body names no Powens user to authenticate the token against."}
	}
	e.Auth = freenahi.AuthBearer
	pu, err := s.Users.FindPowensUserByPowensID(r.Context(), *e.PowensUserID)
	switch {
	case err == nil:
		if subtle.ConstantTimeCompare([]byte(token), []byte(pu.Token)) != 1 {
			return &webhookRejection{freenahi.EUNAUTHORIZED, "bad_token", "The bearer token is not the one of this Powens user."}
		}
		return nil
	case freenahi.ErrorCode(err) == freenahi.ENOTFOUND:
		if rej := s.checkUnmatchedRoom(r.Context(), e); rej != nil {
			return rej
		}
		h := sha256.Sum256([]byte(token))
		e.TokenHash = h[:]
		return nil
	default:
		return &webhookRejection{freenahi.EUNAVAILABLE, "store_failed", "The token could not be checked; try again."}
	}
}

// checkUnmatchedRoom refuses an unauthenticated event for an unknown Powens
// user when the unmatched events are at one of their bounds. The count is
// read, then the event stored: concurrent deliveries (at most
// MaxConcurrentReads) may overshoot a bound by that many.
func (s *Receiver) checkUnmatchedRoom(ctx context.Context, e *freenahi.InboxEvent) *webhookRejection {
	u, err := s.Inbox.UnmatchedUsage(ctx, e.Source)
	if err != nil {
		return &webhookRejection{freenahi.EUNAVAILABLE, "store_failed", "The token could not be checked; try again."}
	}
	c := s.Config
	if u.Count >= c.MaxUnmatched || u.Bytes+e.BodySize > c.MaxUnmatchedBytes || u.FromSource >= c.MaxUnmatchedPerSource {
		return &webhookRejection{freenahi.EUNAVAILABLE, "unmatched_full", fmt.Sprintf(
			"Too many events wait for unknown Powens users (%d events, %d bytes, %d from this address; at most %d, %d and %d); link them with `freenahi user link-powens`.",
			u.Count, u.Bytes, u.FromSource, c.MaxUnmatched, c.MaxUnmatchedBytes, c.MaxUnmatchedPerSource)}
	}
	return nil
}

// deliveryKey makes receipt idempotent: Powens' id_webhook_data (else the
// body's hash), scoped to the Powens user, because id_webhook_data is only
// known to be unique per user. A delivery stored without being authenticated
// (bearer mode, Powens user not linked yet) is scoped to its token as well,
// so that it can never take the key of the genuine delivery and have it
// answered "duplicate" (issue 10, item 2).
func deliveryKey(e *freenahi.InboxEvent, env *powens.Envelope, bodyHash func() ([sha256.Size]byte, error)) (string, error) {
	var key string
	if e.PowensUserID != nil {
		key = "p" + strconv.FormatInt(*e.PowensUserID, 10) + "/"
	}
	if e.TokenHash != nil {
		key += "t" + hex.EncodeToString(e.TokenHash[:8]) + "/"
	}
	if env.IDWebhookData != nil {
		return key + "wd:" + strconv.FormatInt(*env.IDWebhookData, 10), nil
	}
	sum, err := bodyHash()
	if err != nil {
		return "", err
	}
	return key + "sha256:" + hex.EncodeToString(sum[:]), nil
}

// decodeEnvelope reads the routing fields of a body in memory, or streams
// one left in its spool file (never read whole into memory), and returns
// how to get the body's SHA-256, which deliveryKey asks for only when the
// body has no id_webhook_data: a spooled body is then hashed from its file
// again. Hashing it on the way, as the envelope scan did, cost a second
// SHA-256 pass besides the signature's, about 12 ms a 21 MB body, for
// nothing: Powens sends id_webhook_data with every event.
func decodeEnvelope(e *freenahi.InboxEvent) (*powens.Envelope, func() ([sha256.Size]byte, error), error) {
	if e.BodyFile == nil {
		env, err := powens.DecodeEnvelope(e.Body)
		return env, func() ([sha256.Size]byte, error) { return sha256.Sum256(e.Body), nil }, err
	}
	in := &spoolReader{r: io.NewSectionReader(e.BodyFile, 0, e.BodySize)}
	env, err := powens.DecodeEnvelopeFrom(in)
	if in.err != nil {
		return nil, nil, errors.Join(errSpool, in.err)
	}
	return env, func() ([sha256.Size]byte, error) {
		var sum [sha256.Size]byte
		h := sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(e.BodyFile, 0, e.BodySize)); err != nil {
			return sum, errors.Join(errSpool, err)
		}
		h.Sum(sum[:0])
		return sum, nil
	}, err
}

// spoolReadFailed refuses a delivery whose spooled body could not be read
// back: the server's fault, so Powens is asked to deliver again.
var spoolReadFailed = &webhookRejection{freenahi.EUNAVAILABLE, "spool_failed", "The body could not be read back; retry later."}

// spoolReader keeps the first error reading the spool, which is the
// server's fault, not the body's.
type spoolReader struct {
	r   io.Reader
	err error
}

func (s *spoolReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

// checkSourceIP applies POWENS_WHITELISTED_IPS when set.
func (s *Receiver) checkSourceIP(r *http.Request) *webhookRejection {
	if len(s.Config.AllowedIPs) == 0 {
		return nil
	}
	ip, ok := request.ClientIP(r, s.TrustedProxies)
	if ok {
		for _, p := range s.Config.AllowedIPs {
			if p.Contains(ip) {
				return nil
			}
		}
	}
	return &webhookRejection{freenahi.EFORBIDDEN, "ip_not_allowed", "The source address is not in POWENS_WHITELISTED_IPS."}
}

// documentedEvents are the events Powens documents; metrics name them and
// count any other as "other", so a sender cannot grow the label set.
var documentedEvents = []string{"user_created", "user_deleted", "user_synced", "connection_synced", "connection_deleted",
	"accounts_fetched", "account_synced", "account_categorized", "account_disabled", "account_enabled", "account_found",
	"account_ownerships_found", "transaction_attachments_found", "subscription_found", "subscription_synced",
	"payment_state_updated"}

func metricLabel(event string) string {
	if slices.Contains(documentedEvents, event) || event == "malformed" {
		return event
	}
	return "other"
}
