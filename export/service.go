package export

import (
	"context"
	"fmt"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom"
)

var _ freenahi.InqomService = (*Pusher)(nil)

// MapAccount maps one of the user's accounts to an Inqom dossier and
// registers the account's IBAN there. Linking the same account and dossier
// again returns the existing mapping and registers it again, which Inqom
// takes as already done. The mapping is kept even
// when Inqom refuses the registration (the error says why), so that a
// later link or push retries it.
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
	m := &freenahi.InqomMapping{UserID: req.UserID, AccountID: a.ID, DossierID: req.DossierID, IBAN: iban,
		BankName: req.BankName, CFONBControl: req.CFONBControl == nil || *req.CFONBControl, StartDate: req.StartDate}
	if m.BankName == "" {
		m.BankName = p.bankName(ctx, a)
	}
	if _, err := p.Ledger.CreateInqomMapping(ctx, m); err != nil {
		return nil, err
	}
	// Registering again is harmless (Inqom says it has the IBAN), and it
	// repairs a dossier that lost the account, such as a restarted sandbox.
	imp, err := p.Importer(ctx, m.UserID)
	if err == nil {
		err = p.register(ctx, imp, m)
	}
	if err != nil {
		_ = p.Ledger.RecordInqomRegistration(ctx, m.ID, "", freenahi.ErrorToKeep(err))
		return m, err
	}
	p.Wake()
	return m, nil
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
