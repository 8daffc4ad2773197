package export

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom"
)

var _ freenahi.InqomService = (*Pusher)(nil)

// MapAccount maps one of the user's accounts to an Inqom dossier and
// registers the account's IBAN there. The registration comes first: when
// Inqom refuses it or cannot be reached, nothing is created and the error
// says why, so no transaction waits for a dossier it can never reach.
// Linking the same account and dossier again returns the existing mapping
// (and resumes it after an unlink); linking an account that already sends
// to another dossier needs req.Additional, since its transactions then go
// to both.
func (p *Pusher) MapAccount(ctx context.Context, req freenahi.InqomMappingInput) (*freenahi.InqomMapping, error) {
	p.init()
	if req.DossierID <= 0 {
		return nil, freenahi.FieldErrorf("dossier_id", "must be a positive Inqom dossier id")
	}
	a, err := p.Ledger.FindAccountByID(ctx, req.UserID, req.AccountID)
	if err != nil {
		return nil, err
	}
	iban := inqom.NormalizeIBAN(req.IBAN)
	if iban == "" {
		iban = inqom.NormalizeIBAN(a.IBAN)
	}
	if iban == "" {
		return nil, freenahi.FieldErrorf("iban", "account %d (%s) has no IBAN; give its French IBAN", a.ID, a.Name)
	}
	// Inqom routes a CFONB statement by the RIB inside the IBAN: it must be French.
	if _, err := cfonbAccountFor(a, iban); err != nil {
		return nil, fmt.Errorf("account %d (%s): %w", a.ID, a.Name, err)
	}
	if err := p.checkOtherDossiers(ctx, req, a); err != nil {
		return nil, err
	}
	m := &freenahi.InqomMapping{UserID: req.UserID, AccountID: a.ID, DossierID: req.DossierID, IBAN: iban,
		BankName: req.BankName, CFONBControl: req.CFONBControl == nil || *req.CFONBControl, StartDate: req.StartDate}
	if m.BankName == "" {
		m.BankName = p.bankName(ctx, a)
	}
	// Registering again is harmless (Inqom says it has the IBAN), and it
	// repairs a dossier that lost the account, such as a restarted sandbox.
	imp, err := p.Importer(ctx, m.UserID)
	if err != nil {
		return nil, err
	}
	id, err := p.registerIBAN(ctx, imp, m)
	if err != nil {
		return nil, err
	}
	if _, err := p.Ledger.CreateInqomMapping(ctx, m); err != nil {
		return nil, err
	}
	if err := p.Ledger.RecordInqomRegistration(ctx, m.ID, id, nil); err != nil {
		return nil, err
	}
	p.Wake()
	return m, nil
}

// checkOtherDossiers refuses, unless req.Additional confirms it, to link an
// account that already sends to another dossier: the same transactions
// would then be in two sets of books.
func (p *Pusher) checkOtherDossiers(ctx context.Context, req freenahi.InqomMappingInput, a *freenahi.Account) error {
	if req.Additional {
		return nil
	}
	ms, err := p.Ledger.FindInqomMappings(ctx, req.UserID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.AccountID == a.ID && m.DossierID != req.DossierID {
			return freenahi.FieldErrorf("additional", "account %d (%s) already sends its transactions to Inqom dossier %d; linking it to dossier %d too sends every transaction to both. Confirm to link it to a second dossier, or unlink it from dossier %d first",
				a.ID, a.Name, m.DossierID, req.DossierID, m.DossierID)
		}
	}
	return nil
}

// UnlinkInqomMapping stops sending one of the user's mappings; see
// freenahi.InqomService.
func (p *Pusher) UnlinkInqomMapping(ctx context.Context, userID, id int64) (*freenahi.InqomMapping, error) {
	return p.Ledger.UnlinkInqomMapping(ctx, userID, id)
}

// bankName is the name of the bank of a's connection, for Inqom's BankName.
func (p *Pusher) bankName(ctx context.Context, a *freenahi.Account) string {
	if c, err := p.Ledger.FindConnectionByID(ctx, a.UserID, a.ConnectionID); err == nil && c.BankName != "" {
		return c.BankName
	}
	return "Bank"
}

// FindInqomMappings lists the user's mappings with their ledger summaries.
func (p *Pusher) FindInqomMappings(ctx context.Context, userID int64) ([]*freenahi.InqomMappingStatus, error) {
	if userID <= 0 {
		// The ledger reads 0 as every user: never through this service.
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "User not found.")
	}
	ms, err := p.Ledger.FindInqomMappings(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]*freenahi.InqomMappingStatus, 0, len(ms))
	for _, m := range ms {
		st, err := p.Ledger.FindInqomMappingStatus(ctx, userID, m.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// FindInqomMappingByID returns one of the user's mappings with its summary.
func (p *Pusher) FindInqomMappingByID(ctx context.Context, userID, id int64) (*freenahi.InqomMappingStatus, error) {
	return p.Ledger.FindInqomMappingStatus(ctx, userID, id)
}

// FindExportBatches lists a mapping's batches, newest first.
func (p *Pusher) FindExportBatches(ctx context.Context, userID, mappingID int64, limit int) ([]*freenahi.ExportBatch, error) {
	return p.Ledger.FindExportBatches(ctx, userID, mappingID, limit)
}

// FindExportBatchFile returns one of the user's batches with its exact file.
func (p *Pusher) FindExportBatchFile(ctx context.Context, userID, batchID int64) (*freenahi.ExportBatch, error) {
	return p.Ledger.FindExportBatchFile(ctx, userID, batchID)
}

// ResolveExportBatch records a person's decision about a failed or review
// batch, then wakes the pusher so a retry or the next batch goes at once.
func (p *Pusher) ResolveExportBatch(ctx context.Context, userID, batchID int64, r freenahi.BatchResolution) (*freenahi.ExportBatch, error) {
	b, err := p.Ledger.ResolveExportBatch(ctx, userID, batchID, r)
	if err == nil {
		p.Wake()
	}
	return b, err
}
