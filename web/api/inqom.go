package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// requireInqom answers 503 when the server has no Inqom exporter.
func (s *Handler) requireInqom(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Inqom == nil {
			respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "The Inqom export is not configured on this server."))
			return
		}
		h(w, r)
	}
}

func (s *Handler) handleInqomMappingIndex(w http.ResponseWriter, r *http.Request) {
	if p := request.NewParams(r.URL.Query()); p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	ms, err := s.Inqom.FindInqomMappings(r.Context(), request.User(r.Context()).ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Mappings []mappingJSON `json:"mappings"`
	}{Mappings: []mappingJSON{}}
	for _, m := range ms {
		out.Mappings = append(out.Mappings, toMappingJSON(m))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

// mappingInput is the body of POST /api/v1/inqom/mappings.
type mappingInput struct {
	AccountID    int64          `json:"account_id"`
	DossierID    int64          `json:"dossier_id"`
	IBAN         string         `json:"iban"`
	BankName     string         `json:"bank_name"`
	CFONBControl *bool          `json:"cfonb_control"`
	From         *freenahi.Date `json:"from"`
	Additional   bool           `json:"additional"`
}

// handleInqomMappingCreate maps an account to a dossier and registers it
// in Inqom; linking again is harmless and answers the same mapping.
func (s *Handler) handleInqomMappingCreate(w http.ResponseWriter, r *http.Request) {
	var in mappingInput
	if err := decodeBody(w, r, &in); err != nil {
		respond.Error(w, r, err)
		return
	}
	if in.AccountID <= 0 {
		respond.Error(w, r, freenahi.FieldErrorf("account_id", "is required"))
		return
	}
	req := freenahi.InqomMappingInput{UserID: request.User(r.Context()).ID, AccountID: in.AccountID, DossierID: in.DossierID,
		IBAN: in.IBAN, BankName: in.BankName, CFONBControl: in.CFONBControl, StartDate: dateOrZero(in.From), Additional: in.Additional}
	m, err := s.Inqom.MapAccount(r.Context(), req)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	st, err := s.Inqom.FindInqomMappingByID(r.Context(), req.UserID, m.ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toMappingJSON(st))
}

// decodeBody reads a JSON body of at most 64 KiB; unknown fields are
// refused, so a typo in a field name is not silently ignored.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return freenahi.Errorf(freenahi.ETOOLARGE, "The body is larger than 64 KiB.")
		}
		return freenahi.FieldErrorf("body", "is not the expected JSON: %v", err)
	}
	return nil
}

func (s *Handler) handleInqomMappingView(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = request.NewParams(r.URL.Query()).Err
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	st, err := s.Inqom.FindInqomMappingByID(r.Context(), request.User(r.Context()).ID, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toMappingJSON(st))
}

func (s *Handler) handleInqomBatchIndex(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	p := request.NewParams(r.URL.Query(), "limit")
	limit := p.Limit("limit")
	if err == nil {
		err = p.Err
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	bs, err := s.Inqom.FindExportBatches(r.Context(), request.User(r.Context()).ID, id, limit)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		MappingID int64       `json:"mapping_id"`
		Batches   []batchJSON `json:"batches"`
	}{MappingID: id, Batches: []batchJSON{}}
	for _, b := range bs {
		out.Batches = append(out.Batches, toBatchJSON(b))
	}
	respond.JSON(w, r, http.StatusOK, out)
}

// handleInqomBatchFile answers the exact bytes of a batch, as sent to Inqom.
func (s *Handler) handleInqomBatchFile(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = request.NewParams(r.URL.Query()).Err
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	b, err := s.Inqom.FindExportBatchFile(r.Context(), request.User(r.Context()).ID, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=us-ascii")
	w.Header().Set("Content-Disposition", `attachment; filename="`+b.Filename+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b.Content)))
	w.Header().Set("Digest", "sha-256="+b.SHA256)
	w.Write(b.Content)
}

func (s *Handler) handleInqomBatchResolve(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	var in struct {
		Action string `json:"action"`
	}
	if err == nil {
		err = decodeBody(w, r, &in)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	b, err := s.Inqom.ResolveExportBatch(r.Context(), request.User(r.Context()).ID, id, freenahi.BatchResolution(in.Action))
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, toBatchJSON(b))
}

// pushWait is how long POST /api/v1/inqom/push waits for the push before
// answering 202 while it goes on.
const pushWait = 20 * time.Second

// handleInqomPush exports what is waiting now and answers the mappings;
// what went wrong shows in their last_error and their batches. The push
// runs detached from the request: a client hanging up must not cut an
// import in flight, which would leave its outcome unknown. It answers 200
// when the push ended within pushWait, 202 while it goes on.
func (s *Handler) handleInqomPush(w http.ResponseWriter, r *http.Request) {
	if p := request.NewParams(r.URL.Query()); p.Err != nil {
		respond.Error(w, r, p.Err)
		return
	}
	user := request.User(r.Context())
	log := request.Logger(r.Context(), s.Logger)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Inqom.Push(context.WithoutCancel(r.Context()), user.ID); err != nil {
			log.Info("inqom push had problems", slog.Int64("user_id", user.ID), slog.String("detail", freenahi.ErrorMessage(err)))
		}
	}()
	status := http.StatusOK
	select {
	case <-done:
	case <-time.After(pushWait):
		status = http.StatusAccepted
	}
	ms, err := s.Inqom.FindInqomMappings(r.Context(), user.ID)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Mappings []mappingJSON `json:"mappings"`
	}{Mappings: []mappingJSON{}}
	for _, m := range ms {
		out.Mappings = append(out.Mappings, toMappingJSON(m))
	}
	respond.JSON(w, r, status, out)
}

type mappingJSON struct {
	ID             int64          `json:"id"`
	AccountID      int64          `json:"account_id"`
	DossierID      int64          `json:"dossier_id"`
	IBAN           string         `json:"iban"`
	BankName       string         `json:"bank_name"`
	CFONBControl   bool           `json:"cfonb_control"`
	From           *string        `json:"from"`
	RegisteredAt   *string        `json:"registered_at"`
	InqomAccountID *string        `json:"inqom_account_id"`
	LastError      *string        `json:"last_error"`
	Batches        map[string]int `json:"batches"`
	Exported       int64          `json:"exported"`
	Waiting        int64          `json:"waiting"`
	LastSentAt     *string        `json:"last_sent_at"`
	Currency       string         `json:"currency"`
	Changes        []changeJSON   `json:"changes"`
	CreatedAt      string         `json:"created_at"`
}

type changeJSON struct {
	BatchID        int64   `json:"batch_id"`
	TransactionID  int64   `json:"transaction_id"`
	PowensID       int64   `json:"powens_id"`
	ExportedDate   string  `json:"exported_date"`
	ExportedAmount string  `json:"exported_amount"`
	Date           string  `json:"date"`
	Amount         string  `json:"amount"`
	DeletedAt      *string `json:"deleted_at"`
}

func toMappingJSON(m *freenahi.InqomMappingStatus) mappingJSON {
	out := mappingJSON{ID: m.ID, AccountID: m.AccountID, DossierID: m.DossierID, IBAN: m.IBAN, BankName: m.BankName,
		CFONBControl: m.CFONBControl, From: datePtr(m.StartDate), RegisteredAt: timeUTC(m.RegisteredAt),
		InqomAccountID: strPtrOrNil(m.InqomAccountID), LastError: errorStr(m.LastError), Batches: map[string]int{},
		Exported: m.Exported, Waiting: m.Waiting, LastSentAt: timeUTC(m.LastSent), Currency: m.Currency.Code,
		Changes: []changeJSON{}, CreatedAt: m.CreatedAt.UTC().Format(time.RFC3339)}
	for k, n := range m.Batches {
		out.Batches[string(k)] = n
	}
	exp := m.Currency.Exponent
	for _, c := range m.Changes {
		out.Changes = append(out.Changes, changeJSON{BatchID: c.BatchID, TransactionID: c.TransactionID, PowensID: c.PowensID,
			ExportedDate: c.ExportedDate.String(), ExportedAmount: freenahi.FormatMinor(c.ExportedMinor, exp),
			Date: c.Date.String(), Amount: freenahi.FormatMinor(c.ValueMinor, exp), DeletedAt: timeUTC(c.Deleted)})
	}
	return out
}

type batchJSON struct {
	ID             int64   `json:"id"`
	MappingID      int64   `json:"mapping_id"`
	Seq            int     `json:"seq"`
	Status         string  `json:"status"`
	Review         bool    `json:"review"`
	Held           bool    `json:"held"`
	Filename       string  `json:"filename"`
	SHA256         string  `json:"sha256"`
	Size           int64   `json:"size"`
	Transactions   int     `json:"transactions"`
	FirstDate      string  `json:"first_date"`
	LastDate       string  `json:"last_date"`
	OpeningDate    string  `json:"opening_date"`
	OpeningBalance string  `json:"opening_balance"`
	ClosingDate    string  `json:"closing_date"`
	ClosingBalance string  `json:"closing_balance"`
	Currency       string  `json:"currency"`
	Attempts       int     `json:"attempts"`
	NextAttemptAt  *string `json:"next_attempt_at"`
	LastError      *string `json:"last_error"`
	AnswerStatus   *int    `json:"answer_status"`
	Answer         *string `json:"answer"`
	CreatedAt      string  `json:"created_at"`
	SentAt         *string `json:"sent_at"`
}

func toBatchJSON(b *freenahi.ExportBatch) batchJSON {
	exp := b.Currency.Exponent
	out := batchJSON{ID: b.ID, MappingID: b.MappingID, Seq: b.Seq, Status: string(b.Status), Review: b.Review, Held: b.Held,
		Filename: b.Filename, SHA256: b.SHA256, Size: b.Size, Transactions: b.Transactions, FirstDate: b.FirstDate.String(),
		LastDate: b.LastDate.String(), OpeningDate: b.OpeningDate.String(), OpeningBalance: freenahi.FormatMinor(b.OpeningMinor, exp),
		ClosingDate: b.ClosingDate.String(), ClosingBalance: freenahi.FormatMinor(b.ClosingMinor, exp), Currency: b.Currency.Code,
		Attempts: b.Attempts, LastError: errorStr(b.LastError), Answer: strPtrOrNil(b.Answer),
		CreatedAt: b.CreatedAt.UTC().Format(time.RFC3339), SentAt: timeUTC(b.SentAt)}
	if b.Status == freenahi.BatchPending || b.Status == freenahi.BatchReview && !b.Held {
		out.NextAttemptAt = timeUTC(&b.NextAttemptAt)
	}
	if b.AnswerStatus != 0 {
		out.AnswerStatus = &b.AnswerStatus
	}
	return out
}

// unlinkJSON answers an unlink: the mapping as it was, and in words what
// happens to its transactions.
type unlinkJSON struct {
	Mapping mappingJSON `json:"mapping"`
	Waiting int64       `json:"waiting"`
	Message string      `json:"message"`
}

// handleInqomMappingUnlink stops sending a mapping and says what happens
// to the transactions still waiting.
func (s *Handler) handleInqomMappingUnlink(w http.ResponseWriter, r *http.Request) {
	id, err := request.PathID(r.PathValue("id"))
	if err == nil {
		err = request.NewParams(r.URL.Query()).Err
	}
	var st *freenahi.InqomMappingStatus
	userID := request.User(r.Context()).ID
	if err == nil {
		st, err = s.Inqom.FindInqomMappingByID(r.Context(), userID, id)
	}
	if err == nil && st.UnlinkedAt != nil {
		err = freenahi.Errorf(freenahi.ENOTFOUND, "This link between an account and an Inqom dossier does not exist.")
	}
	if err == nil {
		_, err = s.Inqom.UnlinkInqomMapping(r.Context(), userID, id)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, unlinkJSON{Mapping: toMappingJSON(st), Waiting: st.Waiting,
		Message: fmt.Sprintf("Unlinked: nothing more is sent to Inqom dossier %d. The %d transaction(s) waiting stay in freenahi and are not sent; files already sent stay in Inqom. Linking this account to the same dossier again resumes where it stopped, sending nothing twice.",
			st.DossierID, st.Waiting)})
}
