package notify_test

import (
	"context"
	"crypto/tls"
	"net"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/notify"
)

func TestSMTP_SendsOverEachTransport(t *testing.T) {
	body := "Votre consentement expire dans 3 jours.\nUne ligne très longue " + strings.Repeat("é", 120) + "\n\nhttps://money.example/connections"
	for _, mode := range []string{"starttls", "tls", "plain"} {
		t.Run(mode, func(t *testing.T) {
			ms := startMailServer(t, mode)
			scheme := "smtp"
			if mode == "tls" {
				scheme = "smtps"
			}
			m, err := notify.ParseSMTPURL(scheme+"://freenahi:s3cret@"+ms.addr, "alerts@money.example")
			if err != nil {
				t.Fatal(err)
			}
			m.TLS = &tls.Config{RootCAs: ms.pool}
			err = m.Send(context.Background(), notify.Mail{To: "ana@example.com", Subject: "Votre consentement pour Crédit Agricole expire bientôt", Body: body})
			if err != nil {
				t.Fatal(err)
			}
			got := ms.mails()
			if len(got) != 1 || got[0].from != "alerts@money.example" || got[0].to != "ana@example.com" {
				t.Fatalf("received %+v", got)
			}
			if ms.tls[0] != (mode != "plain") {
				t.Fatalf("TLS used: %v, mode %s", ms.tls[0], mode)
			}
			for _, line := range strings.Split(string(got[0].raw), "\r\n") {
				if len(line) > 78 {
					t.Fatalf("line of %d bytes (RFC 5322 limit 78): %q", len(line), line)
				}
			}
			mail := decode(t, got[0].raw)
			if mail.Subject != "Votre consentement pour Crédit Agricole expire bientôt" || strings.TrimSuffix(mail.Body, "\n") != body || mail.Date.IsZero() {
				t.Fatalf("decoded subject %q, date %v, body %q", mail.Subject, mail.Date, mail.Body)
			}
		})
	}
}

func TestSMTP_Refusals(t *testing.T) {
	ms := startMailServer(t, "starttls")
	ms.refuse["gone@example.com"] = true
	send := func(url, to string) error {
		m, err := notify.ParseSMTPURL(url, "alerts@money.example")
		if err != nil {
			t.Fatal(err)
		}
		m.TLS = &tls.Config{RootCAs: ms.pool}
		return m.Send(context.Background(), notify.Mail{To: to, Subject: "s", Body: "b"})
	}
	if err := send("smtp://freenahi:wrong@"+ms.addr, "ana@example.com"); err == nil || !strings.Contains(err.Error(), "authentication") {
		t.Fatalf("wrong password: %v", err)
	}
	if err := send("smtp://freenahi:s3cret@"+ms.addr, "gone@example.com"); err == nil || !strings.Contains(err.Error(), "recipient") {
		t.Fatalf("refused recipient: %v", err)
	}
	// A certificate the client does not trust stops the mail before any credential.
	m, _ := notify.ParseSMTPURL("smtp://freenahi:s3cret@"+ms.addr, "alerts@money.example")
	if err := m.Send(context.Background(), notify.Mail{To: "ana@example.com", Subject: "s", Body: "b"}); err == nil || !strings.Contains(err.Error(), "starttls") {
		t.Fatalf("untrusted certificate: %v", err)
	}
	if len(ms.mails()) != 0 {
		t.Fatalf("mails accepted: %d", len(ms.mails()))
	}
	// Nothing listening.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if err := send("smtp://"+addr, "ana@example.com"); err == nil {
		t.Fatal("sent to a closed port")
	}
}

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		url, from        string
		host, port, user string
		implicitTLS      bool
		err              string
	}{
		{url: "smtp://mail.example.com", from: "a@b.fr", host: "mail.example.com", port: "587"},
		{url: "smtps://u%40x:p%3Ass@mail.example.com", from: "a@b.fr", host: "mail.example.com", port: "465", user: "u@x", implicitTLS: true},
		{url: "smtp://mail.example.com:2525", from: "freenahi <a@b.fr>", host: "mail.example.com", port: "2525"},
		{url: "http://mail.example.com", from: "a@b.fr", err: "scheme"},
		{url: "smtp://", from: "a@b.fr", err: "host"},
		{url: "smtp://u:topsecret@mail.example.com", from: "", err: "FREENAHI_SMTP_FROM"},
		{url: "smtp://u:topsecret@mail.example.com", from: "not an address", err: "FREENAHI_SMTP_FROM"},
	}
	for _, tt := range tests {
		m, err := notify.ParseSMTPURL(tt.url, tt.from)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "topsecret") {
				t.Errorf("%s: error %v, want one about %s without the password", tt.url, err, tt.err)
			}
			continue
		}
		if err != nil || m.Host != tt.host || m.Port != tt.port || m.Username != tt.user || m.ImplicitTLS != tt.implicitTLS || m.From != "a@b.fr" {
			t.Errorf("%s: %+v %v", tt.url, m, err)
		}
	}
}
