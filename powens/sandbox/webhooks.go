package sandbox

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Powens' webhooks guide: failed pushes are retried until accepted; the
// flusher stops after 10 consecutive failures or 2 timeouts of one webhook,
// and resends the unprocessed data at its next run. It documents no delays;
// Config.WebhookRetry and WebhookFlushInterval choose them.
const (
	maxPending       = 1000 // bounded queue: the oldest delivery is dropped beyond it
	maxConsecutive   = 10   // Powens' flusher stops after 10 consecutive failures
	maxTimeouts      = 2    // … or after 2 timeouts of the same webhook
	webhookUserAgent = "Budgea API/2.0 (freenahi sandbox)"
)

// delivery is one webhook POST, retried until a 2xx answer.
type delivery struct {
	ID           int64 // id_webhook_data
	Event        string
	UserID       int64
	ConnectionID int64
	URL, Token   string
	Body         []byte
	Attempts     int
	Timeouts     int // in the flusher's current run
	NextAt       time.Time
}

// flusher sends the pending deliveries in order, one at a time, like
// Powens' flusher: bounded retries with back-off, a pause after too many
// consecutive failures, and a later run that resends what is left.
type flusher struct {
	s    *Server
	kick chan struct{}
}

func newFlusher(s *Server) *flusher { return &flusher{s: s, kick: make(chan struct{}, 1)} }

func (f *flusher) wake() {
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

func (f *flusher) run() {
	s := f.s
	consecutive := 0
	for {
		s.mu.Lock()
		var head *delivery
		if len(s.st.Pending) > 0 {
			head = s.st.Pending[0]
		}
		s.mu.Unlock()
		due, open := f.waitFor(head)
		if !open {
			return
		}
		if !due {
			continue
		}
		err := f.send(head)
		s.mu.Lock()
		if len(s.st.Pending) == 0 || s.st.Pending[0] != head {
			s.mu.Unlock()
			continue
		}
		if err == nil {
			s.st.Pending = s.st.Pending[1:]
			consecutive = 0
			if c := s.st.Connections[head.ConnectionID]; c != nil && head.Event == "connection_synced" {
				c.LastPush = s.now()
			}
		} else {
			head.Attempts++
			consecutive++
			if isTimeout(err) {
				head.Timeouts++
			}
			backoff := s.cfg.WebhookRetry[min(head.Attempts, len(s.cfg.WebhookRetry))-1]
			head.NextAt = time.Now().Add(backoff)
			s.log.Warn("webhook delivery failed", slog.Int64("id_webhook_data", head.ID),
				slog.String("event", head.Event), slog.Int("attempts", head.Attempts), slog.Any("error", err))
			if consecutive >= maxConsecutive || head.Timeouts >= maxTimeouts {
				head.Timeouts = 0
				// The run stops here; the next one resends the unprocessed data.
				next := time.Now().Add(s.cfg.WebhookFlushInterval)
				for _, d := range s.st.Pending {
					if d.NextAt.Before(next) {
						d.NextAt = next
					}
				}
				consecutive = 0
			}
		}
		s.touch()
		s.mu.Unlock()
	}
}

// isTimeout reports a delivery that got no answer in time.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// waitFor waits until head is due (or, with no head, until a kick); a kick
// also ends the wait so a newly queued head is seen. due reports that head
// may be sent now; open is false once the server closes.
func (f *flusher) waitFor(head *delivery) (due, open bool) {
	var wait <-chan time.Time
	if head != nil {
		t := time.NewTimer(time.Until(head.NextAt))
		defer t.Stop()
		wait = t.C
	}
	select {
	case <-f.s.stop:
		return false, false
	case <-f.kick:
		return false, true
	case <-wait:
		return true, true
	}
}

// send POSTs one delivery; a dropped one (injected fault) counts as done.
func (f *flusher) send(d *delivery) error {
	s := f.s
	if s.faults.takeDrop() {
		s.log.Info("webhook dropped by fault", slog.Int64("id_webhook_data", d.ID))
		return nil
	}
	u, err := url.Parse(d.URL)
	if err != nil {
		return err
	}
	body := d.Body
	if s.cfg.WebhookGzip {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(d.Body)
		zw.Close()
		body = buf.Bytes()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.stop:
			cancel() // Close must not wait for a slow receiver
		case <-ctx.Done():
		}
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", webhookUserAgent)
	if s.cfg.WebhookGzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if d.Token != "" {
		req.Header.Set("Authorization", "Bearer "+d.Token)
	}
	if s.cfg.WebhookSecret != "" {
		// The signature covers the uncompressed JSON; the path is the receiver URL's path.
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		date := s.cfg.Now().UTC().Format(signatureDateLayout)
		req.Header.Set("BI-Signature-Date", date)
		req.Header.Set("BI-Signature", sign(s.cfg.WebhookSecret, http.MethodPost, path, date, d.Body))
	}
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("receiver answered %s", resp.Status)
	}
	return nil
}

// WebhooksPending reports how many webhook deliveries wait to be answered
// 2xx (a delivery dropped by a fault counts as answered), so that a test can
// wait until everything sent has arrived rather than sleep.
func (s *Server) WebhooksPending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.Pending)
}

func (s *Server) queueLocked(d *delivery) {
	if len(s.st.Pending) >= maxPending {
		s.log.Error("webhook queue full, dropping the oldest delivery", slog.Int64("id_webhook_data", s.st.Pending[0].ID))
		s.st.Pending = s.st.Pending[1:]
	}
	s.st.Pending = append(s.st.Pending, d)
	s.hooks.wake()
}

// releaseHeldLocked queues the held deliveries of a user that became permanent.
func (s *Server) releaseHeldLocked(userID int64) {
	kept := s.st.Held[:0]
	for _, d := range s.st.Held {
		if d.UserID != userID {
			kept = append(kept, d)
			continue
		}
		d.Token, d.NextAt = s.webhookTokenLocked(userID), time.Now()
		s.queueLocked(d)
	}
	s.st.Held = kept
}

// signatureDateLayout is BI-Signature-Date's form in Powens' documentation:
// UTC with microseconds, e.g. 2022-06-27T11:08:52.577831Z.
const signatureDateLayout = "2006-01-02T15:04:05.000000Z"

// sign computes BI-Signature as Powens documents it (webhooks guide, HMAC
// auth provider): Base64(HMAC-SHA256(secret, METHOD "." PATH "." DATE "." BODY)),
// written here apart from the client's verifier so each checks the other.
func sign(secret, method, path, date string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(method + "." + path + "." + date + "."))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
