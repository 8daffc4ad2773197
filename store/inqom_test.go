package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

func TestStore_InqomCredentials(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t, store.SQLite)
	s, err := store.Open(ctx, url, store.Options{Secrets: storetest.Key(t), Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.CreateUser(ctx, "ana@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindInqomCredentials(ctx, u.ID); freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
		t.Fatalf("no credentials: err=%v, want not found", err)
	}
	want := &freenahi.InqomCredentials{UserID: u.ID, Username: "compta@example.com", Password: "pa55-word-in-clear",
		ClientID: "cid", ClientSecret: "secret-in-clear", Environment: "staging"}
	if err := s.SaveInqomCredentials(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindInqomCredentials(ctx, u.ID)
	if err != nil || got.Password != want.Password || got.ClientSecret != want.ClientSecret || got.Environment != "staging" {
		t.Fatalf("FindInqomCredentials=%+v %v", got, err)
	}
	// At rest, neither secret is readable.
	raw, err := sql.Open("sqlite", url[len("sqlite:"):])
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var pw, cs []byte
	if err := raw.QueryRow(`SELECT password_sealed, client_secret_sealed FROM inqom_credentials`).Scan(&pw, &cs); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(pw, []byte("pa55")) || bytes.Contains(cs, []byte("secret-in-clear")) {
		t.Fatal("an Inqom secret is stored in clear")
	}
	// A sealed password copied into another user's row does not open.
	v, _ := s.CreateUser(ctx, "bob@example.com", "")
	if _, err := raw.Exec(`INSERT INTO inqom_credentials SELECT $1, username, password_sealed, client_id, client_secret_sealed,
		environment, auth_url, banking_url, updated_at FROM inqom_credentials WHERE user_id = $2`, v.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindInqomCredentials(ctx, v.ID); err == nil {
		t.Fatal("a sealed secret opened in another user's row")
	}
}

func TestStore_InqomMappingLease(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		m := mustMapping(t, s)
		if ok, err := s.ClaimInqomMapping(ctx, m.ID, "a-1", time.Minute); !ok || err != nil {
			t.Fatalf("first claim: %v %v", ok, err)
		}
		if ok, _ := s.ClaimInqomMapping(ctx, m.ID, "b-1", time.Minute); ok {
			t.Fatal("a live lease was claimed by another owner")
		}
		if ok, _ := s.ClaimInqomMapping(ctx, m.ID, "a-2", time.Minute); ok {
			t.Fatal("a live lease was claimed again by the same process")
		}
		now = now.Add(2 * time.Minute) // the holder died: its lease ends
		if ok, _ := s.ClaimInqomMapping(ctx, m.ID, "b-1", time.Minute); !ok {
			t.Fatal("an expired lease could not be taken over")
		}
		if err := s.ReleaseInqomMapping(ctx, m.ID, "a-1"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.ClaimInqomMapping(ctx, m.ID, "c-1", time.Minute); ok {
			t.Fatal("a stale owner released the new owner's lease")
		}
		if err := s.ReleaseInqomMapping(ctx, m.ID, "b-1"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.ClaimInqomMapping(ctx, m.ID, "c-1", time.Minute); !ok {
			t.Fatal("a released mapping could not be claimed")
		}
		// Deleting the user takes the mapping and its ledger along.
		if err := s.DeleteUser(ctx, m.UserID); err != nil {
			t.Fatal(err)
		}
		if ms, err := s.FindInqomMappings(ctx, 0); err != nil || len(ms) != 0 {
			t.Fatalf("after the user's deletion: %d mappings, %v", len(ms), err)
		}
	})
}

// mustMapping creates a user, an account and a mapping to dossier 7.
func mustMapping(t *testing.T, s *store.Store) *freenahi.InqomMapping {
	t.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "ana@example.com", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkPowensUser(ctx, freenahi.PowensUser{UserID: u.ID, PowensUserID: 9, Token: "t"}); err != nil {
		t.Fatal(err)
	}
	pu := int64(9)
	e := &freenahi.InboxEvent{Event: freenahi.EventConnectionSynced, DeliveryKey: "k", PowensUserID: &pu, Auth: freenahi.AuthHMAC, Body: []byte("{}")}
	if _, err := s.ReceiveEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimEvent(ctx, time.Minute)
	if err != nil || claimed == nil {
		t.Fatal(err)
	}
	a := &freenahi.Account{PowensID: 2, Currency: freenahi.Currency{Code: "EUR", Exponent: 2}, IBAN: "FR7630006000011234567890189"}
	err = s.ProcessEvent(ctx, claimed, func(ctx context.Context, w freenahi.SyncWriter) error {
		c := &freenahi.Connection{PowensID: 1}
		if err := w.UpsertConnection(ctx, c); err != nil {
			return err
		}
		a.ConnectionID, a.PowensConnectionID = c.ID, 1
		return w.UpsertAccount(ctx, a)
	})
	if err != nil {
		t.Fatal(err)
	}
	m := &freenahi.InqomMapping{UserID: u.ID, AccountID: a.ID, DossierID: 7, IBAN: a.IBAN, CFONBControl: true}
	if created, err := s.CreateInqomMapping(ctx, m); err != nil || !created {
		t.Fatalf("create mapping: %v %v", created, err)
	}
	again := &freenahi.InqomMapping{UserID: u.ID, AccountID: a.ID, DossierID: 7, IBAN: "other", BankName: "x"}
	if created, err := s.CreateInqomMapping(ctx, again); err != nil || created || again.ID != m.ID || again.IBAN != m.IBAN {
		t.Fatalf("mapping twice: created=%v %v %+v, want the first one back", created, err, again)
	}
	return m
}
