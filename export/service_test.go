package export_test

import (
	"testing"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/store"
	"github.com/freenahi/freenahi/store/storetest"
)

// TestPusher_ServiceCodes checks the codes freenahi.InqomService documents,
// and that one user never reaches another's mappings and batches.
func TestPusher_ServiceCodes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		e := newInqomEnv(t, s)
		ana := MustFixture(t, s, "ana@example.com", 42, testIBAN)
		bob := MustFixture(t, s, "bob@example.com", 43, testIBAN)
		noIBAN := MustFixture(t, s, "noiban@example.com", 44, "")
		for _, f := range []*fixture{ana, bob, noIBAN} {
			e.saveCredentials(t, f.user.ID)
		}
		bobs := e.link(t, bob, true)
		// A second account of ana's with the IBAN of her first one.
		twin := &freenahi.Account{ConnectionID: ana.account.ConnectionID, PowensID: 4299, PowensConnectionID: 421,
			Type: "checking", IBAN: testIBAN, Currency: ana.account.Currency, BalanceMinor: minor(0)}
		ana.write(t, func(w freenahi.SyncWriter) error { return w.UpsertAccount(ctx, twin) })
		e.link(t, ana, true)

		code := func(t *testing.T, err error, want, what string) {
			t.Helper()
			if got := freenahi.ErrorCode(err); got != want {
				t.Fatalf("%s: err=%v, want code %q", what, err, want)
			}
		}
		link := func(f *fixture, accountID, dossier int64, iban string) error {
			_, err := e.pusher.MapAccount(ctx, freenahi.InqomMappingInput{UserID: f.user.ID, AccountID: accountID, DossierID: dossier, IBAN: iban})
			return err
		}
		code(t, link(ana, ana.account.ID, 0, ""), freenahi.EINVALID, "a dossier id of 0")
		code(t, link(ana, bob.account.ID, inqomDossier, ""), freenahi.ENOTFOUND, "ana linking bob's account")
		code(t, link(noIBAN, noIBAN.account.ID, inqomDossier, ""), freenahi.EINVALID, "an account without an IBAN")
		code(t, link(noIBAN, noIBAN.account.ID, inqomDossier, "DE89370400440532013000"), freenahi.EINVALID, "a German IBAN")
		code(t, link(ana, twin.ID, inqomDossier, ""), freenahi.ECONFLICT, "a second account with the same IBAN in the dossier")

		_, err := e.pusher.FindInqomMappings(ctx, 0)
		code(t, err, freenahi.ENOTFOUND, "the mappings of user 0")
		if ms, err := e.pusher.FindInqomMappings(ctx, ana.user.ID); err != nil || len(ms) != 1 || ms[0].UserID != ana.user.ID {
			t.Fatalf("ana's mappings: %d, %v", len(ms), err)
		}
		_, err = e.pusher.FindInqomMappingByID(ctx, ana.user.ID, bobs.ID)
		code(t, err, freenahi.ENOTFOUND, "ana reading bob's mapping")
		_, err = e.pusher.FindExportBatches(ctx, ana.user.ID, bobs.ID, 10)
		code(t, err, freenahi.ENOTFOUND, "ana listing bob's batches")
		_, err = e.pusher.FindExportBatchFile(ctx, ana.user.ID, 1<<40)
		code(t, err, freenahi.ENOTFOUND, "an unknown batch")
		_, err = e.pusher.ResolveExportBatch(ctx, ana.user.ID, 1<<40, freenahi.ResolveRetry)
		code(t, err, freenahi.ENOTFOUND, "resolving an unknown batch")
	})
}
