package notify_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	smtp "github.com/emersion/go-smtp"

	"github.com/freenahi/freenahi/notify/outbox"
)

// mailServer is a real SMTP server (go-smtp) on a loopback port: it wants
// AUTH PLAIN with the given credentials (only after TLS when it speaks
// TLS), refuses the recipients in refuse, and keeps what it accepted.
type mailServer struct {
	srv      *smtp.Server
	addr     string
	pool     *x509.CertPool // trusts the server's certificate
	user     string
	password string
	refuse   map[string]bool

	mu       sync.Mutex
	received []received
	tls      []bool // whether each session's DATA came over TLS
}

type received struct {
	from, to string
	raw      []byte
}

// startMailServer starts a server; mode is "plain", "starttls" or "tls" (implicit).
func startMailServer(t *testing.T, mode string) *mailServer {
	t.Helper()
	ms := &mailServer{user: "freenahi", password: "s3cret", refuse: map[string]bool{}}
	ms.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &testSession{ms: ms, c: c}, nil }))
	ms.srv.Domain = "mail.test"
	ms.srv.ErrorLog = log.New(io.Discard, "", 0)
	ms.srv.ReadTimeout, ms.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if mode != "plain" {
		cert, pool := selfSigned(t)
		ms.pool = pool
		cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
		if mode == "tls" {
			ln = tls.NewListener(ln, cfg)
		} else {
			ms.srv.TLSConfig = cfg
		}
	} else {
		ms.srv.AllowInsecureAuth = true
	}
	ms.addr = ln.Addr().String()
	go ms.srv.Serve(ln)
	t.Cleanup(func() { ms.srv.Close() })
	return ms
}

func (ms *mailServer) mails() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.received...)
}

type testSession struct {
	ms       *mailServer
	c        *smtp.Conn
	authed   bool
	from, to string
}

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *testSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.ms.user || password != s.ms.password {
			return errors.New("bad credentials")
		}
		s.authed = true
		return nil
	}), nil
}
func (s *testSession) Reset()        {}
func (s *testSession) Logout() error { return nil }
func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.ms.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.to = to
	return nil
}
func (s *testSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.c.TLSConnectionState()
	s.ms.mu.Lock()
	s.ms.received = append(s.ms.received, received{from: s.from, to: s.to, raw: raw})
	s.ms.tls = append(s.ms.tls, isTLS)
	s.ms.mu.Unlock()
	return nil
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// decode reads a received message with the standard library's mail reader.
func decode(t *testing.T, raw []byte) *outbox.Mail {
	t.Helper()
	m, err := outbox.Decode(raw)
	if err != nil {
		t.Fatalf("message does not parse: %v\n%s", err, raw)
	}
	return m
}

func hasLine(body, line string) bool {
	for _, l := range strings.Split(body, "\n") {
		if l == line {
			return true
		}
	}
	return false
}
