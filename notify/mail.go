package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// SMTP sends mail through an SMTP server: smtp://[user:password@]host[:587]
// speaks STARTTLS (required, except to a loopback address, where it is used
// when offered), smtps://[user:password@]host[:465] speaks TLS from the
// first byte. Credentials are only ever sent over TLS (or to loopback).
type SMTP struct {
	// Host and Port of the server; ImplicitTLS for smtps://.
	Host        string
	Port        string
	ImplicitTLS bool
	Username    string
	Password    string
	// From is the sender's address (FREENAHI_SMTP_FROM).
	From string
	// TLS overrides the TLS configuration (tests trust their own CA).
	TLS *tls.Config
	// Timeout bounds one message, connection included (default 30 s).
	Timeout time.Duration
}

// ParseSMTPURL reads FREENAHI_SMTP_URL and the sender's address; the
// error says what is wrong without repeating the password.
func ParseSMTPURL(raw, from string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("is not a URL (smtp://user:password@host:587 or smtps://user:password@host:465)")
	}
	m := &SMTP{Host: u.Hostname(), Port: u.Port()}
	switch u.Scheme {
	case "smtp":
		if m.Port == "" {
			m.Port = "587"
		}
	case "smtps":
		m.ImplicitTLS = true
		if m.Port == "" {
			m.Port = "465"
		}
	default:
		return nil, fmt.Errorf("scheme %q is not smtp:// (STARTTLS) or smtps:// (TLS)", u.Scheme)
	}
	if m.Host == "" {
		return nil, errors.New("has no host")
	}
	if u.User != nil {
		m.Username = u.User.Username()
		m.Password, _ = u.User.Password()
	}
	a, err := mail.ParseAddress(from)
	if err != nil || from == "" {
		return nil, fmt.Errorf("needs a sender address in FREENAHI_SMTP_FROM (got %q)", from)
	}
	m.From = a.Address
	return m, nil
}

func (m *SMTP) loopback() bool {
	if m.Host == "localhost" {
		return true
	}
	ip := net.ParseIP(m.Host)
	return ip != nil && ip.IsLoopback()
}

func (m *SMTP) tlsConfig() *tls.Config {
	if m.TLS != nil {
		c := m.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = m.Host
		}
		return c
	}
	return &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
}

// Send delivers one message.
func (m *SMTP) Send(ctx context.Context, msg Mail) error {
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(m.Host, m.Port)
	var conn net.Conn
	var err error
	d := &net.Dialer{}
	if m.ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: m.tlsConfig()}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("connect to %s: %w", addr, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, m.Host)
	if err != nil {
		return fmt.Errorf("smtp greeting of %s: %w", addr, err)
	}
	defer c.Close()
	if err := c.Hello("freenahi"); err != nil {
		return fmt.Errorf("smtp hello: %w", err)
	}
	if !m.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tlsConfig()); err != nil {
				return fmt.Errorf("smtp starttls: %w", err)
			}
		} else if !m.loopback() {
			return fmt.Errorf("%s does not offer STARTTLS: refusing to send mail in clear text (use smtps:// for TLS)", addr)
		}
	}
	if m.Username != "" {
		// PlainAuth refuses to send credentials without TLS except to localhost.
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, m.Host)); err != nil {
			return fmt.Errorf("smtp authentication as %s: %w", m.Username, err)
		}
	}
	if err := c.Mail(m.From); err != nil {
		return fmt.Errorf("smtp sender %s: %w", m.From, err)
	}
	if err := c.Rcpt(msg.To); err != nil {
		return fmt.Errorf("smtp recipient %s: %w", msg.To, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if _, err := w.Write(m.compose(msg, time.Now())); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp data refused: %w", err)
	}
	return c.Quit()
}

// compose writes the message: UTF-8 plain text, quoted-printable, the
// subject encoded as RFC 2047 words.
func (m *SMTP) compose(msg Mail, now time.Time) []byte {
	var b bytes.Buffer
	id := make([]byte, 12)
	rand.Read(id)
	fmt.Fprintf(&b, "From: freenahi <%s>\r\n", m.From)
	fmt.Fprintf(&b, "To: <%s>\r\n", msg.To)
	// Encoded words are at most 75 bytes; one per folded line keeps every
	// line under RFC 5322's 78.
	fmt.Fprintf(&b, "Subject:%s\r\n", strings.ReplaceAll(" "+mime.QEncoding.Encode("utf-8", msg.Subject), " =?", "\r\n =?"))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	domain := m.From[strings.LastIndexByte(m.From, '@')+1:]
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id), domain)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\nAuto-Submitted: auto-generated\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}
