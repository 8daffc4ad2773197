package outbox_test

import (
	"fmt"
	"net/smtp"
	"strings"
	"testing"

	"github.com/freenahi/freenahi/notify/outbox"
)

// TestOutbox: mail sent with the standard library's SMTP client arrives
// decoded, is shown to its recipient only, newest first, and at most Keep
// messages are kept.
func TestOutbox(t *testing.T) {
	box, err := outbox.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	addr := strings.TrimPrefix(box.URL(), "smtp://")
	send := func(to, subject, body string) {
		msg := "Subject: =?utf-8?q?" + subject + "?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + body + "\r\n"
		if err := smtp.SendMail(addr, nil, "from@example.com", []string{to}, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	send("ana@example.com", "Cr=C3=A9dit_Agricole", "Solde bas =E2=82=AC")
	send("bob@example.com", "Bob", "b")
	send("ana@example.com", "Second", "2")
	got := box.Mails("ANA@example.com")
	if len(got) != 2 || got[0].Subject != "Second" || got[1].Subject != "Crédit Agricole" || got[1].Body != "Solde bas €\n" ||
		got[1].From != "from@example.com" || got[1].To != "ana@example.com" {
		t.Fatalf("ana's mails %+v", got)
	}
	for i := range outbox.Keep {
		send("many@example.com", fmt.Sprint(i), "x")
	}
	if n := len(box.Mails("many@example.com")) + len(box.Mails("ana@example.com")); n != outbox.Keep {
		t.Fatalf("%d mails kept, want %d", n, outbox.Keep)
	}
}
