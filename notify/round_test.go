package notify_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/notify"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
	"github.com/freenahi/freenahi/web/locale"
)

var ctx = context.Background()

var paris, _ = time.LoadLocation("Europe/Paris")

// world is a person with connections in every state worth telling,
// written through the sync path like ingestion does.
type world struct {
	s       *store.Store
	user    *freenahi.User
	sca     *freenahi.Connection
	consent *freenahi.Connection
	down    *freenahi.Connection
	account *freenahi.Account
	debit   *freenahi.Transaction
}

func minor(v int64) *int64 { return &v }

// newWorld: Monday 7 December 2026, 09:00 in Paris.
func newWorld(t *testing.T, s *store.Store, email string, powensUser int64, now time.Time) *world {
	t.Helper()
	u, err := s.CreateUser(ctx, email, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: powensUser, Token: "tok"}); err != nil {
		t.Fatal(err)
	}
	w := &world{s: s, user: u}
	twoDaysAgo, hourAgo := now.Add(-49*time.Hour), now.Add(-time.Hour)
	expire := now.Add(3*24*time.Hour - time.Hour)
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: fmt.Sprintf("world:%d", powensUser),
		PowensUserID: &powensUser, Auth: freenahi.AuthHMAC, Body: []byte("{}")}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimEvent(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	err = s.ProcessEvent(ctx, claimed, func(ctx context.Context, sw freenahi.SyncWriter) error {
		w.sca = &freenahi.Connection{PowensID: powensUser*10 + 1, BankName: "Crédit Agricole", State: freenahi.StateSCARequired, Active: true, LastUpdate: &hourAgo}
		w.consent = &freenahi.Connection{PowensID: powensUser*10 + 2, BankName: "Boursorama", Active: true, LastUpdate: &hourAgo,
			Sources: []freenahi.ConnectionSource{{PowensID: powensUser*10 + 3, Name: "openapi", AccessExpire: &expire}}}
		w.down = &freenahi.Connection{PowensID: powensUser*10 + 4, BankName: "La Banque Postale", State: freenahi.StateWebsiteUnavailable, Active: true, LastUpdate: &twoDaysAgo}
		for _, c := range []*freenahi.Connection{w.sca, w.consent, w.down} {
			if err := sw.UpsertConnection(ctx, c); err != nil {
				return err
			}
		}
		w.account = &freenahi.Account{ConnectionID: w.consent.ID, PowensID: powensUser*10 + 5, PowensConnectionID: w.consent.PowensID,
			Type: "checking", Name: "Compte joint", Currency: freenahi.Currency{Code: "EUR", Exponent: 2}, BalanceMinor: minor(4250), Display: true}
		if err := sw.UpsertAccount(ctx, w.account); err != nil {
			return err
		}
		today := freenahi.DateOf(now.In(paris))
		w.debit = &freenahi.Transaction{PowensID: powensUser*100 + 1, AccountID: w.account.ID, Date: today.AddDays(-1), ValueMinor: -75000,
			Currency: w.account.Currency, OriginalWording: "LOYER DECEMBRE", Active: true}
		small := &freenahi.Transaction{PowensID: powensUser*100 + 2, AccountID: w.account.ID, Date: today, ValueMinor: -2000,
			Currency: w.account.Currency, OriginalWording: "BOULANGERIE", Active: true}
		old := &freenahi.Transaction{PowensID: powensUser*100 + 3, AccountID: w.account.ID, Date: today.AddDays(-20), ValueMinor: -90000,
			Currency: w.account.Currency, OriginalWording: "OLD", Active: true}
		return sw.UpsertTransactions(ctx, []*freenahi.Transaction{w.debit, small, old})
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func newService(s *store.Store, mailer notify.Mailer, now *time.Time) *notify.Service {
	return &notify.Service{Store: s, Mailer: mailer, BaseURL: "https://money.example/",
		Locale: func(lang string) notify.Localizer { return locale.New(lang, paris) },
		Now:    func() time.Time { return *now }}
}

func mailer(t *testing.T, ms *mailServer) *notify.SMTP {
	m, err := notify.ParseSMTPURL("smtp://freenahi:s3cret@"+ms.addr, "alerts@money.example")
	if err != nil {
		t.Fatal(err)
	}
	m.TLS = &tls.Config{RootCAs: ms.pool}
	return m
}

func subjects(t *testing.T, ms *mailServer, from int) []string {
	var out []string
	for _, r := range ms.mails()[from:] {
		out = append(out, decode(t, r.raw).Subject)
	}
	sort.Strings(out)
	return out
}

func TestRound_EachConditionArrivesOnceADay(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, paris) // a Monday
		s.Now = func() time.Time { return now }
		w := newWorld(t, s, "ana@example.com", 7, now)
		low, large := freenahi.MustParseDecimal("100"), freenahi.MustParseDecimal("500")
		if err := s.SaveNotificationPrefs(ctx, &freenahi.NotificationPrefs{UserID: w.user.ID, Language: "fr", Email: true,
			LowBalance: &low, LargeDebit: &large}); err != nil {
			t.Fatal(err)
		}
		ms := startMailServer(t, "starttls")
		svc := newService(s, mailer(t, ms), &now)
		if err := svc.Round(ctx); err != nil {
			t.Fatal(err)
		}
		// Hand-written: what a French reader gets on that Monday.
		want := []string{
			"La Banque Postale n’a pas été mise à jour depuis plus d’un jour",
			"Crédit Agricole a besoin de vous",
			"Solde bas sur Compte joint",
			"Un débit de 750,00\u00a0€",
			"Votre consentement pour Boursorama expire bientôt",
			"Votre semaine, 7 déc. 2026",
		}
		sort.Strings(want)
		if got := subjects(t, ms, 0); !slices.Equal(got, want) {
			t.Fatalf("subjects:\n got %q\nwant %q", got, want)
		}
		bodies := map[string]string{}
		for _, r := range ms.mails() {
			m := decode(t, r.raw)
			bodies[m.Subject] = m.Body
			if r.to != "ana@example.com" {
				t.Errorf("sent to %s", r.to)
			}
		}
		for subject, want := range map[string][]string{
			"Crédit Agricole a besoin de vous":                  {"authentification forte", fmt.Sprintf("https://money.example/connections/%d/repair", w.sca.ID)},
			"Votre consentement pour Boursorama expire bientôt": {"expire dans 3 jours (10 déc. 2026 08:00 CET)", "https://money.example/connections"},
			"Un débit de 750,00\u00a0€":                         {"«\u00a0LOYER DECEMBRE\u00a0»", "Compte joint", "6 déc. 2026", fmt.Sprintf("https://money.example/accounts/%d", w.account.ID)},
			"Solde bas sur Compte joint":                        {"42,50\u00a0€", "100,00\u00a0€"},
			"Votre semaine, 7 déc. 2026":                        {"1 compte actif, soldes\u00a0:", "  42,50\u00a0€", "2 opérations depuis le 30 nov. 2026.", "1 connexion bancaire a besoin de vous"},
		} {
			for _, part := range want {
				if !strings.Contains(bodies[subject], part) {
					t.Errorf("%q lacks %q:\n%s", subject, part, bodies[subject])
				}
			}
		}
		// Again the same day: nothing new. The history holds the six, all sent.
		now = now.Add(3 * time.Hour)
		if err := svc.Round(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(ms.mails()); n != 6 {
			t.Fatalf("%d mails after a second round the same day", n)
		}
		hist, err := s.FindNotifications(ctx, w.user.ID, 50)
		if err != nil || len(hist) != 6 {
			t.Fatalf("history: %v %d", err, len(hist))
		}
		for _, n := range hist {
			if n.Email != freenahi.DeliverySent || n.Webhook != freenahi.DeliveryOff || n.Attempts != 1 {
				t.Errorf("%s: email %s webhook %s attempts %d", n.DedupKey, n.Email, n.Webhook, n.Attempts)
			}
		}
		// The next day the lasting conditions are told again; the debit, the
		// consent and the week are not.
		now = now.Add(24 * time.Hour)
		if err := svc.Round(ctx); err != nil {
			t.Fatal(err)
		}
		want = []string{"Crédit Agricole a besoin de vous", "La Banque Postale n’a pas été mise à jour depuis plus d’un jour", "Solde bas sur Compte joint"}
		if got := subjects(t, ms, 6); !slices.Equal(got, want) {
			t.Fatalf("next day:\n got %q\nwant %q", got, want)
		}
	})
}

func TestRound_EnglishPluralsAndKindsOff(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, paris)
	s.Now = func() time.Time { return now }
	w := newWorld(t, s, "bob@example.com", 8, now)
	if err := s.SaveNotificationPrefs(ctx, &freenahi.NotificationPrefs{UserID: w.user.ID, Language: "en", Email: true,
		Off: []freenahi.NotificationKind{freenahi.NotifyConnectionAction, freenahi.NotifySyncFailing, freenahi.NotifyConsentExpiring}}); err != nil {
		t.Fatal(err)
	}
	ms := startMailServer(t, "starttls")
	if err := newService(s, mailer(t, ms), &now).Round(ctx); err != nil {
		t.Fatal(err)
	}
	got := ms.mails()
	if len(got) != 1 {
		t.Fatalf("%d mails, want only the weekly summary", len(got))
	}
	m := decode(t, got[0].raw)
	for _, line := range []string{"1 active account, balances:", "  €42.50", "2 transactions since 30 Nov 2026.", "1 bank connection needs you: open the link.", "https://money.example/accounts"} {
		if !hasLine(m.Body, line) {
			t.Errorf("summary lacks the line %q:\n%s", line, m.Body)
		}
	}
}

func TestRound_FailedMailIsRetriedThenGivenUp(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, paris) // a Tuesday: no summary
	s.Now = func() time.Time { return now }
	w := newWorld(t, s, "gone@example.com", 9, now)
	ms := startMailServer(t, "starttls")
	ms.refuse["gone@example.com"] = true
	svc := newService(s, mailer(t, ms), &now)
	svc.MaxAttempts = 3
	for i := 1; i <= 4; i++ {
		now = now.Add(time.Minute)
		if err := svc.Round(ctx); err != nil {
			t.Fatal(err)
		}
		hist, _ := s.FindNotifications(ctx, w.user.ID, 10)
		for _, n := range hist {
			wantStatus, wantAttempts := freenahi.DeliveryPending, i
			if i >= 3 {
				wantStatus, wantAttempts = freenahi.DeliveryFailed, 3
			}
			if n.Email != wantStatus || n.Attempts != wantAttempts || !strings.Contains(n.LastError, "550") {
				t.Fatalf("round %d, %s: %s after %d attempts (%q)", i, n.DedupKey, n.Email, n.Attempts, n.LastError)
			}
		}
	}
}

func TestRound_Webhook(t *testing.T) {
	type post struct {
		header http.Header
		body   []byte
	}
	var mu sync.Mutex
	var posts []post
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, post{r.Header.Clone(), b})
		mu.Unlock()
	}))
	defer hook.Close()
	for _, format := range []string{freenahi.WebhookFormatJSON, freenahi.WebhookFormatNtfy} {
		t.Run(format, func(t *testing.T) {
			posts = nil
			s := storetest.MustOpen(t, store.SQLite)
			now := time.Date(2026, 12, 8, 9, 0, 0, 0, paris)
			s.Now = func() time.Time { return now }
			w := newWorld(t, s, "hook@example.com", 10, now)
			if err := s.SaveNotificationPrefs(ctx, &freenahi.NotificationPrefs{UserID: w.user.ID, Language: "fr", WebhookURL: hook.URL + "/alerts?token=T",
				WebhookFormat: format, Off: []freenahi.NotificationKind{freenahi.NotifySyncFailing, freenahi.NotifyConsentExpiring}}); err != nil {
				t.Fatal(err)
			}
			if err := newService(s, nil, &now).Round(ctx); err != nil {
				t.Fatal(err)
			}
			if len(posts) != 1 {
				t.Fatalf("%d posts", len(posts))
			}
			p := posts[0]
			link := fmt.Sprintf("https://money.example/connections/%d/repair", w.sca.ID)
			if format == freenahi.WebhookFormatJSON {
				var got map[string]any
				if err := json.Unmarshal(p.body, &got); err != nil || p.header.Get("Content-Type") != "application/json" {
					t.Fatalf("%v %s", err, p.body)
				}
				if got["title"] != "Crédit Agricole a besoin de vous" || got["priority"] != 5.0 || got["type"] != "info" ||
					got["click"] != link || !strings.HasSuffix(got["message"].(string), "\n"+link) || got["message"] != got["body"] {
					t.Fatalf("JSON %s", p.body)
				}
			} else {
				title, err := new(mime.WordDecoder).DecodeHeader(p.header.Get("Title"))
				if err != nil || title != "Crédit Agricole a besoin de vous" || p.header.Get("Click") != link ||
					!strings.Contains(string(p.body), "authentification forte") {
					t.Fatalf("ntfy: title %q (%v), click %q, body %s", title, err, p.header.Get("Click"), p.body)
				}
			}
			hist, _ := s.FindNotifications(ctx, w.user.ID, 10)
			if len(hist) != 1 || hist[0].Webhook != freenahi.DeliverySent || hist[0].Email != freenahi.DeliveryOff {
				t.Fatalf("history %+v", hist)
			}
		})
	}
}

// TestRun_OneInstanceAtATime: two instances share the database; the one
// without the lease raises and sends nothing.
func TestRun_OneInstanceAtATime(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, paris)
	s.Now = func() time.Time { return now }
	newWorld(t, s, "lease@example.com", 11, now)
	ms := startMailServer(t, "starttls")
	a, b := newService(s, mailer(t, ms), &now), newService(s, mailer(t, ms), &now)
	a.Holder, b.Holder = "a", "b"
	ran, err := a.Tick(ctx)
	if err != nil || !ran {
		t.Fatalf("a: %v %v", ran, err)
	}
	sent := len(ms.mails())
	if sent == 0 {
		t.Fatal("a sent nothing")
	}
	now = now.Add(time.Minute)
	if ran, err := b.Tick(ctx); err != nil || ran {
		t.Fatalf("b ran %v (%v) while a holds the lease", ran, err)
	}
	// a stops renewing: after three intervals b takes over, and finds
	// nothing new to send the same day.
	now = now.Add(3*notify.DefaultInterval + time.Second)
	if ran, err := b.Tick(ctx); err != nil || !ran || len(ms.mails()) != sent {
		t.Fatalf("b after a's lease: ran %v (%v), mails %d → %d", ran, err, sent, len(ms.mails()))
	}
}

// ledgerStore answers the Inqom ledger with fixed batches (the ledger's own
// states are tested in the store and export packages).
type ledgerStore struct {
	*store.Store
	userID  int64
	batches []*freenahi.ExportBatch
}

func (l ledgerStore) FindInqomMappings(ctx context.Context, userID int64) ([]*freenahi.InqomMapping, error) {
	if userID != l.userID {
		return nil, nil
	}
	return []*freenahi.InqomMapping{{ID: 3, UserID: userID, DossierID: 4242}}, nil
}

func (l ledgerStore) FindExportBatches(ctx context.Context, userID, mappingID int64, limit int) ([]*freenahi.ExportBatch, error) {
	return l.batches, nil
}

func TestRound_InqomFiles(t *testing.T) {
	s := storetest.MustOpen(t, store.SQLite)
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, paris)
	s.Now = func() time.Time { return now }
	w := newWorld(t, s, "books@example.com", 12, now)
	if err := s.SaveNotificationPrefs(ctx, &freenahi.NotificationPrefs{UserID: w.user.ID, Language: "en", Email: true,
		Off: []freenahi.NotificationKind{freenahi.NotifyConnectionAction, freenahi.NotifySyncFailing, freenahi.NotifyConsentExpiring}}); err != nil {
		t.Fatal(err)
	}
	ls := ledgerStore{Store: s, userID: w.user.ID, batches: []*freenahi.ExportBatch{
		{ID: 7, Status: freenahi.BatchFailed, Filename: "freenahi-m3-b00007.txt"},
		{ID: 8, Status: freenahi.BatchReview, Filename: "freenahi-m3-b00008.txt"},
		{ID: 9, Status: freenahi.BatchSent, Filename: "freenahi-m3-b00009.txt"},
		{ID: 10, Status: freenahi.BatchPending, Filename: "freenahi-m3-b00010.txt"},
	}}
	ms := startMailServer(t, "starttls")
	svc := newService(s, mailer(t, ms), &now)
	svc.Store = ls
	for range 2 { // told once, however many rounds
		if err := svc.Round(ctx); err != nil {
			t.Fatal(err)
		}
	}
	bodies := map[string]string{}
	for _, r := range ms.mails() {
		m := decode(t, r.raw)
		bodies[m.Subject] = m.Body
	}
	want := map[string][]string{
		"Inqom: the file freenahi-m3-b00007.txt needs a decision": {"Inqom refused the statement file freenahi-m3-b00007.txt for dossier 4242.", "https://money.example/inqom/batches/7/resolve"},
		"Inqom: the file freenahi-m3-b00008.txt needs a decision": {"cannot tell whether Inqom imported the statement file freenahi-m3-b00008.txt for dossier 4242", "https://money.example/inqom/batches/8/resolve"},
	}
	if len(bodies) != len(want) || len(ms.mails()) != len(want) {
		t.Fatalf("mails: %q", bodies)
	}
	for subject, parts := range want {
		for _, p := range parts {
			if !strings.Contains(bodies[subject], p) {
				t.Errorf("%q lacks %q:\n%s", subject, p, bodies[subject])
			}
		}
	}
}
