// Command loadtest measures a running freenahi from the outside and prints
// latency percentiles.
//
//	go run ./scripts/loadtest webhooks -url URL -secret S -powens-user N [-c 32] [-n 5000] [-tx 100]
//	go run ./scripts/loadtest seed -url URL -secret S -powens-user N [-rows 1000000]
//	go run ./scripts/loadtest transactions -url URL -token T [-c 16] [-n 20000]
//	go run ./scripts/loadtest pages -url URL -email E -password P [-token T] [-c 16] [-n 5000]
//	  (transactions pages, the dashboard and, with a token, the net-worth API)
//
// scripts/bench.sh starts a server on a temporary SQLite database and runs all three.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/freenahi/freenahi/powens"
	"github.com/freenahi/freenahi/powens/powenstest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest webhooks|seed|transactions [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "webhooks":
		err = runWebhooks(os.Args[2:])
	case "seed":
		err = runSeed(os.Args[2:])
	case "transactions":
		err = runTransactions(os.Args[2:])
	case "pages":
		err = runPages(os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

var client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}

// deliver signs and posts one CONNECTION_SYNCED body, as Powens does.
func deliver(base, secret string, body []byte) error {
	const path = "/webhook/connection_synced/"
	req, err := http.NewRequest("POST", base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	date := powens.SignatureDate(time.Now())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(powens.HeaderSignatureDate, date)
	req.Header.Set(powens.HeaderSignature, powens.Sign(secret, "POST", path, date, body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook answered %d", resp.StatusCode)
	}
	return nil
}

// runWebhooks sends n distinct signed deliveries of tx transactions each from
// c concurrent senders and reports the acknowledgement latency.
func runWebhooks(args []string) error {
	fs := flag.NewFlagSet("webhooks", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "freenahi base URL")
	secret := fs.String("secret", "", "POWENS_WEBHOOK_SECRET of the server")
	powensUser := fs.Int64("powens-user", 1, "Powens user id linked on the server")
	c := fs.Int("c", 32, "concurrent senders")
	n := fs.Int("n", 5000, "deliveries")
	tx := fs.Int("tx", 100, "transactions per delivery")
	rate := fs.Int("rate", 0, "offered deliveries per second (open loop); 0 sends as fast as the senders can (closed loop)")
	fs.Parse(args)
	// Bodies are prepared first so the senders only send; each is a new
	// delivery (id_webhook_data) of a new connection.
	bodies := make([][]byte, *n)
	for i := range bodies {
		bodies[i] = powenstest.Synced{WebhookDataID: int64(1_000_000 + i), PowensUserID: *powensUser, ConnectionID: int64(10_000 + i),
			Accounts: 1, TransactionsPerAccount: *tx, FirstTransactionID: int64(10_000_000 + i**tx), Seed: uint64(i)}.Bytes()
	}
	if *rate > 0 {
		lat := measureAtRate(*c, *n, *rate, func(i int) error { return deliver(*base, *secret, bodies[i]) })
		report(fmt.Sprintf("webhook acknowledgement, %d transactions per body, %d senders, %d/s offered", *tx, *c, *rate), lat)
		return nil
	}
	lat := measure(*c, *n, func(i int) error { return deliver(*base, *secret, bodies[i]) })
	report(fmt.Sprintf("webhook acknowledgement, %d transactions per body, %d senders, as fast as possible", *tx, *c), lat)
	return nil
}

// runSeed stores rows transactions through the webhook path, in deliveries
// of 10 accounts × 5,000, and waits until the server has processed them.
func runSeed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "freenahi base URL")
	secret := fs.String("secret", "", "POWENS_WEBHOOK_SECRET of the server")
	powensUser := fs.Int64("powens-user", 1, "Powens user id linked on the server")
	rows := fs.Int("rows", 1_000_000, "transactions to store")
	token := fs.String("token", "", "API token, to wait until the data is visible")
	fs.Parse(args)
	const per = 50_000
	start := time.Now()
	for i := 0; i*per < *rows; i++ {
		body := powenstest.Synced{WebhookDataID: int64(1 + i), PowensUserID: *powensUser, ConnectionID: int64(1 + i),
			Accounts: 10, TransactionsPerAccount: per / 10, FirstTransactionID: int64(1 + i*per), Seed: uint64(i),
			End: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}.Bytes()
		if err := deliver(*base, *secret, body); err != nil {
			return err
		}
	}
	fmt.Printf("seed: %d transactions delivered in %s\n", *rows, time.Since(start).Round(time.Millisecond))
	if *token == "" {
		return nil
	}
	// The newest transaction of the last delivery shows when all is processed.
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var page struct {
			Transactions []struct {
				PowensID int64 `json:"powens_id"`
			}
		}
		if err := getJSON(*base+"/api/v1/transactions?limit=1000", *token, &page); err != nil {
			return err
		}
		st, err := inboxPending(*base)
		if err == nil && st == 0 && len(page.Transactions) > 0 {
			fmt.Printf("seed: all processed after %s\n", time.Since(start).Round(time.Millisecond))
			return nil
		}
	}
	return errors.New("seed: not processed within 10 minutes")
}

// inboxPending reads the inbox depth from /metrics.
func inboxPending(base string) (int, error) {
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	n := 0
	for _, status := range []string{"pending", "processing"} {
		var v float64
		key := []byte(`freenahi_inbox_events{status="` + status + `"} `)
		if i := bytes.Index(b, key); i >= 0 {
			fmt.Sscan(string(b[i+len(key):]), &v)
		}
		n += int(v)
	}
	return n, nil
}

// runTransactions reads pages of 50 with account and date filters from c
// concurrent clients: first pages, then pages deep in the listing reached
// through cursors, and reports both latencies.
func runTransactions(args []string) error {
	fs := flag.NewFlagSet("transactions", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "freenahi base URL")
	token := fs.String("token", "", "API token")
	c := fs.Int("c", 16, "concurrent clients")
	n := fs.Int("n", 20000, "requests per run")
	deep := fs.Int("deep-page", 10_000, "page number (of 50) for the deep run")
	fs.Parse(args)
	var accounts struct{ Accounts []struct{ ID int64 } }
	if err := getJSON(*base+"/api/v1/accounts", *token, &accounts); err != nil {
		return err
	}
	if len(accounts.Accounts) == 0 {
		return errors.New("no accounts: run seed first")
	}
	query := func(acct int64) string {
		return fmt.Sprintf("%s/api/v1/transactions?limit=50&account_id=%d&from=2000-01-01&to=2025-12-31", *base, acct)
	}
	first := measure(*c, *n, func(i int) error {
		return getPage(query(accounts.Accounts[i%len(accounts.Accounts)].ID), *token, 50)
	})
	report("transactions page 1 (limit 50, account and date filters)", first)

	// Reach page `deep` of the whole listing once, with large pages, to get its cursor.
	cursor, err := cursorAt(*base, *token, (*deep-1)*50)
	if err != nil {
		return err
	}
	deepLat := measure(*c, *n, func(i int) error {
		return getPage(*base+"/api/v1/transactions?limit=50&from=2000-01-01&to=2025-12-31&cursor="+url.QueryEscape(cursor), *token, 50)
	})
	report(fmt.Sprintf("transactions page %d (limit 50, date filter, via cursor)", *deep), deepLat)
	return nil
}

// runPages signs in to the web UI and renders the transactions page from c
// concurrent clients: the first page, then a page deep in the listing reached
// by following the "older" links with large steps.
func runPages(args []string) error {
	fs := flag.NewFlagSet("pages", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "freenahi base URL")
	email := fs.String("email", "", "user to sign in as")
	password := fs.String("password", "", "their password")
	token := fs.String("token", "", "API token of the same user, to find the deep page's cursor")
	c := fs.Int("c", 16, "concurrent clients")
	n := fs.Int("n", 5000, "requests per run")
	deep := fs.Int("deep-page", 10_000, "page number (of 50) for the deep run")
	fs.Parse(args)
	cookie, err := signIn(*base, *email, *password)
	if err != nil {
		return err
	}
	get := func(u, marker string) func(int) error {
		return func(int) error {
			req, _ := http.NewRequest("GET", u, nil)
			req.Header.Set("Cookie", cookie)
			if *token != "" {
				req.Header.Set("Authorization", "Bearer "+*token)
			}
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte(marker)) {
				return fmt.Errorf("GET %s: %d", u, resp.StatusCode)
			}
			return nil
		}
	}
	page := func(u string) func(int) error { return get(u, `id="transactions"`) }
	report("web UI transactions page 1", measure(*c, *n, page(*base+"/transactions")))
	// The dashboard and the net-worth API rebuild every account's daily
	// history; after the first request they are served from memory until
	// a sync changes the data.
	report("web UI dashboard", measure(*c, *n, get(*base+"/", `id="h-latest"`)))
	if *token != "" {
		report("API net worth (monthly, all history)", measure(*c, *n, get(*base+"/api/v1/networth", `"currencies"`)))
	}
	cursor, err := cursorAt(*base, *token, (*deep-1)*50)
	if err != nil {
		return err
	}
	report(fmt.Sprintf("web UI transactions page %d", *deep), measure(*c, *n, page(*base+"/transactions?cursor="+url.QueryEscape(cursor))))
	return nil
}

// signIn posts the sign-in form with the CSRF token of its page and
// returns the session cookie.
func signIn(base, email, password string) (string, error) {
	jar := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := jar.Get(base + "/signin")
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var cookies []string
	for _, ck := range resp.Cookies() {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		return "", errors.New("sign-in page without a CSRF token")
	}
	form := url.Values{"email": {email}, "password": {password}, "csrf": {string(m[1])}}
	req, _ := http.NewRequest("POST", base+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Cookie", strings.Join(cookies, "; "))
	resp, err = jar.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "freenahi_session" {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", fmt.Errorf("sign-in answered %d without a session", resp.StatusCode)
}

// cursorAt returns the cursor after the first skip rows of the full listing.
func cursorAt(base, token string, skip int) (string, error) {
	cursor := ""
	for skip > 0 {
		limit := min(skip, 1000)
		u := fmt.Sprintf("%s/api/v1/transactions?limit=%d&from=2000-01-01&to=2025-12-31", base, limit)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		var page struct {
			NextCursor *string `json:"next_cursor"`
		}
		if err := getJSON(u, token, &page); err != nil {
			return "", err
		}
		if page.NextCursor == nil {
			return "", errors.New("the listing ended before the deep page")
		}
		cursor, skip = *page.NextCursor, skip-limit
	}
	return cursor, nil
}

// get fetches u with the API token and returns the body of a 200 answer.
func get(u, token string) ([]byte, error) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return b, nil
}

// getPage fetches a page of transactions and checks its size by counting
// objects instead of decoding it: the load tool shares the machine's two
// cores with the server, and decoding was a large part of its own CPU.
func getPage(u, token string, want int) error {
	b, err := get(u, token)
	if err != nil {
		return err
	}
	if got := bytes.Count(b, []byte(`"powens_id"`)); got != want {
		return fmt.Errorf("GET %s: page of %d, want %d", u, got, want)
	}
	return nil
}

func getJSON(u, token string, v any) error {
	b, err := get(u, token)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// measure runs n calls of fn from c goroutines and returns each call's latency.
func measure(c, n int, fn func(i int) error) []time.Duration {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var once sync.Once
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t := time.Now()
				if err := fn(i); err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
				lat[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		fmt.Fprintln(os.Stderr, "loadtest: request failed:", firstErr)
		os.Exit(1)
	}
	fmt.Printf("  %d requests in %s (%.0f req/s)\n", n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds())
	return lat
}

// measureAtRate starts call i at start + i/rate (from any of c senders) and
// measures from that scheduled time, so a slow answer also counts against
// the calls it delays (no coordinated omission).
func measureAtRate(c, n, rate int, fn func(i int) error) []time.Duration {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Bool
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
				time.Sleep(time.Until(due))
				if err := fn(i); err != nil {
					fmt.Fprintln(os.Stderr, "loadtest: request failed:", err)
					failed.Store(true)
					return
				}
				lat[i] = time.Since(due)
			}
		}()
	}
	wg.Wait()
	if failed.Load() {
		os.Exit(1)
	}
	fmt.Printf("  %d requests in %s (%.0f req/s)\n", n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds())
	return lat
}

func report(what string, lat []time.Duration) {
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Printf("%s: p50 %s  p90 %s  p99 %s  max %s\n", what, q(0.50).Round(10*time.Microsecond),
		q(0.90).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
}
