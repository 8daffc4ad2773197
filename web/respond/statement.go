package respond

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
)

// Statement streams an account statement as a download, for the API and the
// UI alike. The headers go with the first byte, so an error found before it
// is returned whole (the caller answers it); a failure after it aborts the
// response, so a cut file never passes for a whole one.
func Statement(w http.ResponseWriter, r *http.Request, ex freenahi.StatementExporter, req freenahi.StatementRequest) error {
	// The period stops at the last bank day that has ended, as the exporter
	// does; doing it here first puts the real end in the file name and
	// says so in a header.
	stopped := false
	if last := ex.LastEndedDay(); req.To.After(last) && !req.From.After(last) {
		req.To, stopped = last, true
	}
	lw := &lazyWriter{w: w, start: func(h http.Header) {
		statementHeaders(h, req)
		if stopped {
			h.Set("Freenahi-Period-Stopped", "the period stops at "+req.To.String()+", the last bank day that has ended")
		}
	}}
	_, err := ex.ExportStatement(r.Context(), lw, req)
	switch {
	case err != nil && !lw.started:
		return err
	case err != nil:
		request.Logger(r.Context(), nil).Error("statement failed mid-stream", slog.String("path", r.URL.Path), slog.Any("error", err))
		panic(http.ErrAbortHandler)
	case !lw.started:
		lw.Write(nil) // an export always writes something; be safe anyway
	}
	return nil
}

// statementHeaders sets the type and the download name of a statement.
func statementHeaders(h http.Header, req freenahi.StatementRequest) {
	ext, ctype := "txt", "text/plain; charset=us-ascii"
	switch req.Format {
	case freenahi.FormatCSV:
		ext, ctype = "csv", "text/csv; charset=utf-8"
	case freenahi.FormatCamt053:
		ext, ctype = "xml", "application/xml; charset=utf-8"
	case freenahi.FormatOFX:
		ext, ctype = "ofx", "application/x-ofx; charset=utf-8"
	}
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="freenahi-%d-%08d-%08d.%s"`, req.AccountID,
		req.From.Int(), req.To.Int(), ext))
	h.Set("Freenahi-Period", req.From.String()+"/"+req.To.String())
	h.Set("Cache-Control", "no-store")
}

// lazyWriter commits the status and headers at the first byte written, so
// that an error found before it can still become a problem document.
type lazyWriter struct {
	w       http.ResponseWriter
	start   func(http.Header)
	started bool
}

func (l *lazyWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start(l.w.Header())
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}
