package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/freenahi/freenahi"
)

// webhookMessage is the JSON body: Gotify reads title, message and
// priority; Apprise's API reads title, body and type; any other receiver
// gets the same words and the link twice named (click for ntfy's habit).
type webhookMessage struct {
	Title    string `json:"title"`
	Message  string `json:"message"`
	Body     string `json:"body"`
	Type     string `json:"type"`
	Priority int    `json:"priority"`
	Click    string `json:"click"`
	URL      string `json:"url"`
	Kind     string `json:"kind"`
}

// PostWebhook posts n to url: JSON, or for ntfy the text as the body with
// Title and Click headers (RFC 2047 encoded when not ASCII, which ntfy
// decodes). Any 2xx answer is a delivery.
func PostWebhook(ctx context.Context, client *http.Client, url, format string, n *freenahi.Notification) error {
	var body []byte
	contentType := "application/json"
	if format == freenahi.WebhookFormatNtfy {
		body, contentType = []byte(n.Body), "text/plain; charset=utf-8"
	} else {
		body, _ = json.Marshal(webhookMessage{Title: n.Subject, Message: n.Body + "\n" + n.Link, Body: n.Body + "\n" + n.Link,
			Type: "info", Priority: 5, Click: n.Link, URL: n.Link, Kind: string(n.Kind)})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "freenahi")
	if format == freenahi.WebhookFormatNtfy {
		req.Header.Set("Title", mime.QEncoding.Encode("utf-8", n.Subject))
		req.Header.Set("Click", n.Link)
		req.Header.Set("Tags", "bank")
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook post: %w", redact(err, url))
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

// redact keeps the webhook address (which may carry a token) out of the
// error: *url.Error repeats it.
func redact(err error, url string) error {
	return fmt.Errorf("%s", bytes.ReplaceAll([]byte(err.Error()), []byte(url), []byte("(the webhook address)")))
}
