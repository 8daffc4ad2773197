package webhook

import (
	"compress/gzip"
	"context"
	"crypto/hmac"
	"errors"
	"hash"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/web/request"
)

// A delivery is read before it can be authenticated (the signature covers the
// body; a bearer token is checked against the Powens user the body names), so
// everything here is hostile: the body streams through the signature MACs into
// a spool that keeps only small bodies in memory, and is refused as soon as it
// is larger, or inflates more, than allowed.

// received is a delivery's body, read and decompressed, before authentication.
type received struct {
	body    spool
	rawMAC  hash.Hash // over the bytes as sent (HMAC mode only)
	bodyMAC hash.Hash // over the decompressed bytes, when it differs
}

func (d *received) Close() { d.body.Close() }

// signatureMatches reports whether want signs the body as sent or, for a
// gzip delivery, as decompressed: Powens does not document which it signs.
func (d *received) signatureMatches(want []byte) bool {
	if hmac.Equal(d.rawMAC.Sum(nil), want) {
		return true
	}
	return d.bodyMAC != nil && hmac.Equal(d.bodyMAC.Sum(nil), want)
}

// receiveBody refuses what can be refused before reading, reads the body
// under the bounds, and checks its signature in HMAC mode. The event it
// returns has its source, (HMAC) authentication and body: in memory (Body)
// when it is small, else left in its spool file (BodyFile), never read
// whole into memory (issue 15, item 5). done releases the places and the
// file it holds, once the event is stored or refused.
func (s *Receiver) receiveBody(w http.ResponseWriter, r *http.Request, event string) (e *freenahi.InboxEvent, done func(), rej *webhookRejection) {
	if rej := s.checkSourceIP(r); rej != nil {
		return nil, nil, rej
	}
	signature, rej := s.checkHeaders(r)
	if rej != nil {
		return nil, nil, rej
	}
	release, rej := s.acquireRead(r.Context(), r.ContentLength)
	if rej != nil {
		return nil, nil, rej
	}
	d, rej := s.readBody(w, r)
	if rej != nil {
		release()
		return nil, nil, rej
	}
	release = func(first func()) func() { return func() { d.Close(); first() } }(release)
	e = &freenahi.InboxEvent{Event: event}
	if ip, ok := request.ClientIP(r, s.TrustedProxies); ok {
		e.Source = ip.String()
	}
	if s.Config.Secret != "" {
		if !d.signatureMatches(signature) {
			release()
			return nil, nil, &webhookRejection{freenahi.EUNAUTHORIZED, "bad_signature",
				"Webhook signature refused: " + powens.ErrSignatureInvalid.Error() + "."}
		}
		e.Auth = freenahi.AuthHMAC
	}
	e.BodySize = d.body.Size()
	if f := d.body.detach(); f != nil {
		e.BodyFile = f // the caller closes it unless it hands it to ReceiveEvent
		return e, release, nil
	}
	e.Body = d.body.mem
	return e, release, nil
}

// checkHeaders refuses, before a byte of the body is read, what the headers
// alone show to be wrong. In HMAC mode it returns the decoded signature.
func (s *Receiver) checkHeaders(r *http.Request) ([]byte, *webhookRejection) {
	if r.ContentLength > s.Config.MaxBodyBytes {
		return nil, s.tooLarge()
	}
	switch enc := contentEncoding(r); enc {
	case "", "identity", "gzip", "x-gzip":
	default:
		return nil, &webhookRejection{freenahi.EUNSUPPORTED, "bad_encoding",
			"Content-Encoding " + strconv.Quote(enc) + " is not supported (gzip is)."}
	}
	if s.Config.Secret == "" {
		if !wellFormedBearer(r.Header.Get("Authorization")) {
			return nil, &webhookRejection{freenahi.EUNAUTHORIZED, "missing_auth",
				"Missing Authorization: Bearer <Powens user token> (or configure POWENS_WEBHOOK_SECRET for signed webhooks)."}
		}
		return nil, nil
	}
	sig, err := powens.CheckSignatureHeaders(r.Header.Get(powens.HeaderSignatureDate), r.Header.Get(powens.HeaderSignature),
		s.Now(), s.Config.MaxAge)
	if err != nil {
		return nil, &webhookRejection{freenahi.EUNAUTHORIZED, "bad_signature", "Webhook signature refused: " + err.Error() + "."}
	}
	return sig, nil
}

// maxTokenLength bounds a bearer token; Powens user tokens are about 200 characters.
const maxTokenLength = 1024

// wellFormedBearer: "Bearer " then 1 to maxTokenLength visible ASCII characters.
func wellFormedBearer(header string) bool {
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || token == "" || len(token) > maxTokenLength {
		return false
	}
	for i := 0; i < len(token); i++ {
		if token[i] <= ' ' || token[i] > '~' {
			return false
		}
	}
	return true
}

func contentEncoding(r *http.Request) string {
	return strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
}

func (s *Receiver) tooLarge() *webhookRejection {
	return &webhookRejection{freenahi.ETOOLARGE, "too_large",
		"The body is larger than " + strconv.FormatInt(s.Config.MaxBodyBytes, 10) + " bytes (FREENAHI_WEBHOOK_MAX_BYTES)."}
}

// acquireRead takes one of the MaxConcurrentReads places to read a body,
// waiting at most QueueWait: past that, the sender is told to come back
// (Powens retries) rather than queued without bound.
//
// Bodies declared small (Content-Length up to MemoryBodyBytes; the server
// stops a body at its declared length) and the others have places of their
// own, so that a flood of large bodies, slow to send, never holds up the
// small deliveries Powens sends most.
func (s *Receiver) acquireRead(ctx context.Context, declared int64) (release func(), rej *webhookRejection) {
	// Waiting costs a goroutine and a connection each: bound their number too.
	if s.waiting.Add(1) > int64(s.Config.MaxQueued) {
		s.waiting.Add(-1)
		return nil, busy
	}
	defer s.waiting.Add(-1)
	slots := s.largeReads
	if declared >= 0 && declared <= s.Config.MemoryBodyBytes {
		slots = s.reads
	}
	return acquire(ctx, slots, s.Config.QueueWait)
}

var busy = &webhookRejection{freenahi.EUNAVAILABLE, "busy", "Too many deliveries are being read at once; retry later."}

func acquire(ctx context.Context, slots chan struct{}, wait time.Duration) (func(), *webhookRejection) {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, busy
}

// readBody streams the body through the size and inflation limits (and, in
// HMAC mode, the signature MACs) into a spool.
func (s *Receiver) readBody(w http.ResponseWriter, r *http.Request) (*received, *webhookRejection) {
	d := &received{body: spool{dir: s.Config.SpoolDir, memLimit: s.Config.MemoryBodyBytes}}
	limit := s.Config.MaxBodyBytes
	// The deadline is the connection's, in wall time, not the receiver's clock.
	in := &paceReader{r: http.MaxBytesReader(w, r.Body, limit), rc: http.NewResponseController(w), start: time.Now()}
	in.extend(0)
	var src io.Reader = in
	if s.Config.Secret != "" {
		date := r.Header.Get(powens.HeaderSignatureDate)
		d.rawMAC = powens.NewSignatureMAC(s.Config.Secret, r.Method, r.URL.Path, date)
		src = io.TeeReader(src, d.rawMAC)
		if enc := contentEncoding(r); enc == "gzip" || enc == "x-gzip" {
			d.bodyMAC = powens.NewSignatureMAC(s.Config.Secret, r.Method, r.URL.Path, date)
		}
	}
	var inflated *ratioReader
	if enc := contentEncoding(r); enc == "gzip" || enc == "x-gzip" {
		zr, err := gzip.NewReader(src)
		if err != nil {
			d.Close()
			return nil, s.readFailed(err, "bad_gzip", "The body is not valid gzip: ")
		}
		inflated = &ratioReader{r: zr, in: in, ratio: int64(s.Config.MaxInflateRatio)}
		src = inflated
		if d.bodyMAC != nil {
			src = io.TeeReader(src, d.bodyMAC)
		}
	}
	n, err := io.Copy(&d.body, io.LimitReader(src, limit+1))
	switch {
	case err == nil && n > limit:
		err = &http.MaxBytesError{Limit: limit}
	case err == nil && inflated != nil:
		// The gzip stream ended; anything after it is not part of the body.
		err = drainTrailer(in)
	}
	if err != nil {
		d.Close()
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return nil, s.tooLarge()
		case errors.Is(err, errInflation):
			return nil, &webhookRejection{freenahi.ETOOLARGE, "gzip_ratio", "The gzip body inflates more than " +
				strconv.Itoa(s.Config.MaxInflateRatio) + " times its size (FREENAHI_WEBHOOK_MAX_INFLATE_RATIO)."}
		case errors.Is(err, errSpool):
			return nil, &webhookRejection{freenahi.EUNAVAILABLE, "spool_failed", "The body could not be set aside; retry later."}
		case inflated != nil:
			return nil, s.readFailed(err, "bad_gzip", "The body is not valid gzip: ")
		default:
			return nil, s.readFailed(err, "read_failed", "The body could not be read: ")
		}
	}
	return d, nil
}

func (s *Receiver) readFailed(err error, reason, prefix string) *webhookRejection {
	return &webhookRejection{freenahi.EINVALID, reason, prefix + err.Error()}
}

// drainTrailer reads what follows a gzip stream, up to a little, so that a
// body with trailing junk is refused rather than silently cut.
func drainTrailer(r io.Reader) error {
	n, err := io.Copy(io.Discard, io.LimitReader(r, 1))
	if err != nil {
		return err
	}
	if n > 0 {
		return errors.New("data after the end of the gzip stream")
	}
	return nil
}

var errInflation = errors.New("inflation ratio exceeded")

// inflateSlack is what a gzip body may inflate to before its ratio is
// checked: the header and first blocks of a genuine body can inflate far
// more than the whole.
const inflateSlack = 256 << 10

// ratioReader refuses a decompressed stream that grows more than ratio times
// the compressed bytes read so far (past inflateSlack): a gzip bomb costs CPU in proportion to what
// its sender sent, not to what it claims to be.
type ratioReader struct {
	r     io.Reader
	in    *paceReader
	ratio int64
	n     int64
}

func (r *ratioReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n += int64(n)
	if r.n > inflateSlack && r.n > r.ratio*r.in.n {
		return n, errInflation
	}
	return n, err
}

// Pace of a body before authentication: a sender must keep up at least
// minPace bytes a second after the first paceGrace, or its connection is cut,
// so that slow senders cannot hold the read places for long.
const (
	paceGrace = 10 * time.Second
	minPace   = 128 << 10
)

// paceReader counts the bytes read and moves the connection's read deadline
// forward as they arrive.
type paceReader struct {
	r     io.Reader
	rc    *http.ResponseController
	start time.Time
	n     int64
	next  int64 // extend the deadline again past this many bytes
}

func (p *paceReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n >= p.next {
		p.extend(p.n)
	}
	return n, err
}

func (p *paceReader) extend(n int64) {
	deadline := p.start.Add(paceGrace + time.Duration(n/minPace)*time.Second)
	_ = p.rc.SetReadDeadline(deadline) // unsupported by a test recorder: no pace then
	p.next = n + minPace
}

var errSpool = errors.New("spool")

// spool keeps up to memLimit bytes in memory and the rest in an unnamed
// temporary file, removed as soon as it is created, so a crash leaves nothing.
type spool struct {
	dir      string
	memLimit int64
	mem      []byte
	f        *os.File
	n        int64
}

func (s *spool) Write(p []byte) (int, error) {
	if s.f == nil && s.n+int64(len(p)) <= s.memLimit {
		s.mem = append(s.mem, p...)
		s.n += int64(len(p))
		return len(p), nil
	}
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, "freenahi-webhook-*")
		if err != nil {
			return 0, errors.Join(errSpool, err)
		}
		os.Remove(f.Name())
		s.f = f
		if _, err := f.Write(s.mem); err != nil {
			return 0, errors.Join(errSpool, err)
		}
		s.mem = nil
	}
	n, err := s.f.Write(p)
	s.n += int64(n)
	if err != nil {
		err = errors.Join(errSpool, err)
	}
	return n, err
}

// Size is the number of bytes written.
func (s *spool) Size() int64 { return s.n }

// detach returns the spool's file, if it has one, which its caller closes
// from then on.
func (s *spool) detach() *os.File {
	f := s.f
	s.f = nil
	return f
}

func (s *spool) Close() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.mem = nil
}
