// Package outbox is the demo's mail server: an SMTP server on a loopback
// port that keeps the last messages it receives in memory, so that a person
// trying the demo sees the mails freenahi sent without configuring mail.
// freenahi sends to it over SMTP like to any server.
package outbox

import (
	"bytes"
	"errors"
	"io"
	"log"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"

	smtp "github.com/emersion/go-smtp"
)

// Keep bounds the messages kept; older ones are forgotten.
const Keep = 200

// Mail is one received message, decoded for reading.
type Mail struct {
	From, To, Subject string
	Date              time.Time
	Body              string
}

// Server receives mail. Start it, point FREENAHI_SMTP_URL at URL, Close it.
type Server struct {
	srv *smtp.Server
	ln  net.Listener

	mu    sync.Mutex
	mails []Mail
}

// Start listens on a free loopback port.
func Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "outbox.freenahi.local"
	s.srv.MaxMessageBytes = 1 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	go s.srv.Serve(ln)
	return s, nil
}

// URL is the FREENAHI_SMTP_URL that reaches the server.
func (s *Server) URL() string { return "smtp://" + s.ln.Addr().String() }

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Mails returns the messages received for the address, newest first.
func (s *Server) Mails(to string) []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Mail
	for _, m := range slices.Backward(s.mails) {
		if strings.EqualFold(m.To, to) {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) add(m Mail) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mails = append(s.mails, m)
	if len(s.mails) > Keep {
		s.mails = slices.Delete(s.mails, 0, len(s.mails)-Keep)
	}
}

type session struct {
	s        *Server
	from, to string
}

func (ss *session) Reset()        { ss.from, ss.to = "", "" }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.to != "" {
		return errors.New("one recipient per message")
	}
	ss.to = to
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := Decode(raw)
	if err != nil {
		return err
	}
	m.From, m.To = ss.from, ss.to
	ss.s.add(*m)
	return nil
}

// Decode reads a plain text message: its subject (RFC 2047 words decoded),
// date and body (quoted-printable decoded by net/mail's reader).
func Decode(raw []byte) (*Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return nil, err
	}
	date, _ := msg.Header.Date()
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body, err = io.ReadAll(qpReader(body))
		if err != nil {
			return nil, err
		}
	}
	return &Mail{Subject: subject, Date: date, Body: strings.ReplaceAll(string(body), "\r\n", "\n")}, nil
}

func qpReader(b []byte) io.Reader { return quotedprintable.NewReader(bytes.NewReader(b)) }
