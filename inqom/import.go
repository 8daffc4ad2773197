package inqom

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"strconv"
	"strings"
	"unicode"

	"github.com/freenahi/freenahi"
)

// ImportResult is Inqom's answer to an accepted CFONB file. Inqom documents
// no response body: Body is kept raw for the caller's ledger.
type ImportResult struct {
	Filename string
	Status   int
	// Body is the raw answer (at most MaxResponseBytes).
	Body []byte
	// Attempts is how many times the file was sent, the accepted one included.
	Attempts int
	// PossibleDuplicate reports that an earlier attempt, whose outcome was
	// unknown (timeout, broken connection, 5xx), may have been applied too:
	// with the balance control off, Inqom may then hold the file twice.
	PossibleDuplicate bool
}

// ImportCFONB uploads a CFONB 120 file (POST /api/app/banking/ebics/
// accounts/import, multipart part "file"). Inqom routes each statement to
// the registered account with the same bank, branch and account number.
//
// The multipart body depends only on filename and content, so a retry, or
// a later call with the same arguments, sends the very same bytes. When
// the error satisfies OutcomeUnknown, Inqom may have imported the file; any
// other error means it did not.
func (c *Client) ImportCFONB(ctx context.Context, filename string, content []byte) (*ImportResult, error) {
	if err := checkFilename(filename); err != nil {
		return nil, err
	}
	if len(content) == 0 {
		return nil, freenahi.FieldErrorf("content", "The CFONB file to import is empty.")
	}
	contentType, body, err := importBody(filename, content)
	if err != nil {
		return nil, fmt.Errorf("import %q: %w", filename, err)
	}
	res, err := c.do(ctx, &call{
		op: OpImport, what: "import " + strconv.Quote(filename), banking: true,
		url: c.bankingURL("/api/app/banking/ebics/accounts/import"), contentType: contentType, body: body,
	})
	if err != nil {
		return nil, err
	}
	return &ImportResult{
		Filename: filename, Status: res.status, Body: c.kept(res.body),
		Attempts: res.attempts, PossibleDuplicate: res.possibleDuplicate,
	}, nil
}

// checkFilename refuses names that cannot travel in a Content-Disposition
// header: control characters would break the header, and servers cap names.
func checkFilename(name string) error {
	switch {
	case name == "":
		return freenahi.FieldErrorf("filename", "The CFONB file needs a name.")
	case len(name) > 255:
		return freenahi.FieldErrorf("filename", "The CFONB file name is longer than 255 bytes.")
	case strings.ContainsFunc(name, unicode.IsControl):
		return freenahi.FieldErrorf("filename", "The CFONB file name has control characters.")
	}
	return nil
}

// importBody builds the multipart/form-data body: one part "file", typed
// text/plain. The boundary is derived from the file, not drawn at random,
// so the same file always gives the same bytes: the caller's ledger can
// resend a batch byte for byte and compare digests.
func importBody(filename string, content []byte) (contentType string, body []byte, err error) {
	sum := sha256.New()
	sum.Write([]byte(filename))
	sum.Write([]byte{0})
	sum.Write(content)
	seed := hex.EncodeToString(sum.Sum(nil))
	boundary := "freenahi-" + seed[:48]
	// A boundary must not occur in the content; for a hash that would take
	// a deliberate collision, but stay correct even then.
	for i := 0; bytes.Contains(content, []byte(boundary)); i++ {
		boundary = fmt.Sprintf("freenahi-%s-%d", seed[:40], i)
	}
	var buf bytes.Buffer
	buf.Grow(len(content) + 512)
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(boundary); err != nil {
		return "", nil, err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition("file", filename))
	h.Set("Content-Type", "text/plain")
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", nil, err
	}
	if _, err := part.Write(content); err != nil {
		return "", nil, err
	}
	if err := mw.Close(); err != nil {
		return "", nil, err
	}
	return mw.FormDataContentType(), buf.Bytes(), nil
}
