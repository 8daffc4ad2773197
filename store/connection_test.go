package store_test

import (
	"testing"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
)

func TestConnectionService(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store, clk *clock) {
		ana := MustSeedBank(t, s, MustCreateUser(t, s, "ana@example.com", 1))
		bob := MustSeedBank(t, s, MustCreateUser(t, s, "bob@example.com", 2))
		// A second connection of ana's, then the first one deleted: listed last.
		second := &freenahi.Connection{PowensID: 5, BankName: "Autre Banque", State: freenahi.StateSCARequired, Active: true}
		MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
			if err := w.UpsertConnection(ctx, second); err != nil {
				return err
			}
			return w.MarkConnectionDeleted(ctx, ana.conn.PowensID, clk.now)
		})

		t.Run("FindConnections", func(t *testing.T) {
			conns, err := s.FindConnections(ctx, ana.user.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(conns) != 2 || conns[0].ID != second.ID || conns[1].ID != ana.conn.ID || conns[1].Deleted == nil {
				t.Fatalf("FindConnections: %d connections, want the live one first, then the deleted one", len(conns))
			}
			c := conns[1]
			if c.UserID != ana.user.ID || c.PowensID != 1 || c.BankName != "Banque Test" || *c.ConnectorID != 40 || !c.Active ||
				c.State != freenahi.StateOK || !c.UpdatedAt.Equal(t0) {
				t.Fatalf("connection read back as %+v", c)
			}
			if len(c.Sources) != 2 || c.Sources[0].Name != "openapi" || c.Sources[1].Name != "directaccess" ||
				c.Sources[1].Disabled == nil || c.Sources[0].Disabled != nil {
				t.Fatalf("sources read back as %+v", c.Sources)
			}
			// The disabled source's consent does not count.
			if exp := c.ConsentExpiry(); exp == nil || !exp.Equal(t0.Add(90*24*time.Hour)) {
				t.Fatalf("ConsentExpiry=%v", exp)
			}
			if conns[0].State != freenahi.StateSCARequired || len(conns[0].Sources) != 0 {
				t.Fatalf("second connection read back as %+v", conns[0])
			}
		})
		t.Run("UpdateKeepsWhatAnEventOmits", func(t *testing.T) {
			// An event that does not expand the connector nor give dates,
			// with a source's state changed.
			MustSync(t, s, ana.user, func(w freenahi.SyncWriter) error {
				return w.UpsertConnection(ctx, &freenahi.Connection{PowensID: 5, State: freenahi.StateOK, Active: true,
					Sources: []freenahi.ConnectionSource{{PowensID: 6, Name: "openapi", State: freenahi.StateWebauthRequired}}})
			})
			c, err := s.FindConnectionByID(ctx, ana.user.ID, second.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.BankName != "Autre Banque" || c.State != freenahi.StateOK || len(c.Sources) != 1 ||
				c.Sources[0].State != freenahi.StateWebauthRequired {
				t.Fatalf("after a sparse event: %+v", c)
			}
		})
		t.Run("OwnerScoping", func(t *testing.T) {
			_, err := s.FindConnectionByID(ctx, ana.user.ID, bob.conn.ID)
			wantCode(t, err, freenahi.ENOTFOUND, "ana reading bob's connection")
			_, err = s.FindConnectionByID(ctx, ana.user.ID, 1<<40)
			wantCode(t, err, freenahi.ENOTFOUND, "an unknown connection")
			conns, err := s.FindConnections(ctx, bob.user.ID)
			if err != nil || len(conns) != 1 || conns[0].Deleted != nil || len(conns[0].Sources) != 2 {
				t.Fatalf("bob's connections after ana's changes: %d, %v", len(conns), err)
			}
			if conns, err := s.FindConnections(ctx, MustCreateUser(t, s, "carol@example.com", 0).ID); err != nil || len(conns) != 0 {
				t.Fatalf("a user without connections: %d, %v", len(conns), err)
			}
		})
	})
}
