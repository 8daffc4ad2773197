package main

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/freenahi/freenahi/notify"
	"io/fs"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi/inqom"
	"github.com/freenahi/freenahi/web/webhook"
)

// Config is freenahi's configuration, read from the environment (and a .env
// file in the working directory). Variable names follow the Freenahi setup
// guide (POWENS_*, SERVER_*, OTHER_LANGUAGE) plus our FREENAHI_* ones.
type Config struct {
	DatabaseURL string // FREENAHI_DATABASE_URL
	DataDir     string // FREENAHI_DATA_DIR
	SecretKey   string // FREENAHI_SECRET_KEY (else DataDir/secret.key)

	Host                                   string // SERVER_HOST
	Port                                   int    // SERVER_PORT
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	LogLevel                               slog.Level // SERVER_LOG_LEVEL
	LogFormat                              string     // FREENAHI_LOG_FORMAT: text or json

	PowensDomain       string // POWENS_DOMAIN
	PowensAPIURL       string // POWENS_API_URL (overrides the domain's URL)
	PowensClientID     string
	PowensClientSecret string
	WebviewURL         string // POWENS_WEBVIEW_URL
	RedirectURL        string // POWENS_REDIRECT_URL (default PublicURL/webview/callback)
	PublicURL          string // FREENAHI_PUBLIC_URL: how browsers and Powens reach this server
	Language           string // OTHER_LANGUAGE

	WebhookSecret   string         // POWENS_WEBHOOK_SECRET
	WhitelistedIPs  []netip.Prefix // POWENS_WHITELISTED_IPS
	TrustedProxies  []netip.Prefix // FREENAHI_TRUSTED_PROXIES
	WebhookMaxBytes int64          // FREENAHI_WEBHOOK_MAX_BYTES
	WebhookMaxAge   time.Duration  // FREENAHI_WEBHOOK_MAX_AGE
	// Bounds on what a delivery costs before it is authenticated (issue 10).
	WebhookMaxReads           int           // FREENAHI_WEBHOOK_MAX_READS
	WebhookMaxInflateRatio    int           // FREENAHI_WEBHOOK_MAX_INFLATE_RATIO
	WebhookSpoolDir           string        // FREENAHI_WEBHOOK_SPOOL_DIR
	WebhookUnmatchedMax       int64         // FREENAHI_WEBHOOK_UNMATCHED_MAX
	WebhookUnmatchedMaxBytes  int64         // FREENAHI_WEBHOOK_UNMATCHED_MAX_BYTES
	WebhookUnmatchedPerSource int64         // FREENAHI_WEBHOOK_UNMATCHED_PER_SOURCE
	WebhookUnmatchedTTL       time.Duration // FREENAHI_WEBHOOK_UNMATCHED_TTL
	WebhookBodyRetention      time.Duration // FREENAHI_WEBHOOK_BODY_RETENTION
	Workers                   int           // FREENAHI_WORKERS
	// ReconcileInterval is the period of the background pull (FREENAHI_RECONCILE_INTERVAL).
	ReconcileInterval time.Duration
	// BackupDir, when set, makes serve write an archive every BackupInterval
	// there, keeping the BackupKeep newest (FREENAHI_BACKUP_*).
	BackupDir      string
	BackupInterval time.Duration
	BackupKeep     int
	// Inqom is the global Inqom configuration (INQOM_*), nil when unset.
	Inqom *inqom.Config
	// InqomAllowLoopback lets a person's own Inqom credentials use http and
	// addresses of this computer (FREENAHI_INQOM_ALLOW_LOOPBACK; the demo).
	InqomAllowLoopback bool
	// SMTP sends notification mail (FREENAHI_SMTP_URL, FREENAHI_SMTP_FROM); nil when unset.
	SMTP *notify.SMTP
	// NotifyInterval is the period of notification rounds (FREENAHI_NOTIFY_INTERVAL).
	NotifyInterval time.Duration
}

// ConfigError names the variable at fault.
type ConfigError struct {
	Var, Reason string
}

func (e *ConfigError) Error() string { return e.Var + ": " + e.Reason }

// env reads variables through a lookup function, collecting every error.
type env struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (e *env) str(name, def string) string {
	if v, ok := e.lookup(name); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return def
}

func (e *env) fail(name, format string, args ...any) {
	e.errs = append(e.errs, &ConfigError{Var: name, Reason: fmt.Sprintf(format, args...)})
}

func (e *env) int(name string, def, min, max int) int {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		e.fail(name, "%q is not a whole number between %d and %d", v, min, max)
		return def
	}
	return n
}

// duration accepts Go durations ("30s", "2m") and bare numbers of seconds.
func (e *env) duration(name string, def time.Duration) time.Duration {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		e.fail(name, "%q is not a duration (e.g. 30s, 2m, or a number of seconds)", v)
		return def
	}
	return d
}

// prefixes reads a comma-separated list of IP addresses and CIDR ranges.
func (e *env) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, part := range strings.FieldsFunc(e.str(name, ""), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(part); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		} else {
			e.fail(name, "%q is neither an IP address nor a CIDR range", part)
		}
	}
	return out
}

func (e *env) httpURL(name, def string) string {
	v := e.str(name, def)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		e.fail(name, "%q is not an http(s) URL", v)
	}
	return v
}

var powensDomainPattern = regexp.MustCompile(`^[a-z\d]+(-[a-z\d]+)*$`)

// LoadConfig reads the configuration; the error lists every bad variable.
func LoadConfig(lookup func(string) (string, bool)) (*Config, error) {
	e := &env{lookup: lookup}
	c := &Config{}
	c.DataDir = e.str("FREENAHI_DATA_DIR", "freenahi-data")
	c.DatabaseURL = e.str("FREENAHI_DATABASE_URL", "sqlite:"+filepath.Join(c.DataDir, "freenahi.db"))
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.HasPrefix(c.DatabaseURL, "file:") {
		e.fail("FREENAHI_DATABASE_URL", "%q must start with sqlite: or postgres://", c.DatabaseURL)
	}
	c.SecretKey = e.str("FREENAHI_SECRET_KEY", "")
	c.Host = e.str("SERVER_HOST", "")
	c.Port = e.int("SERVER_PORT", 8080, 1, 65535)
	c.ReadTimeout = e.duration("SERVER_TIMEOUT_READ", 60*time.Second)
	c.WriteTimeout = e.duration("SERVER_TIMEOUT_WRITE", 60*time.Second)
	c.IdleTimeout = e.duration("SERVER_TIMEOUT_IDLE", 120*time.Second)
	switch lvl := strings.ToLower(e.str("SERVER_LOG_LEVEL", "info")); lvl {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		e.fail("SERVER_LOG_LEVEL", "%q is not one of debug, info, warn, error", lvl)
	}
	c.LogFormat = strings.ToLower(e.str("FREENAHI_LOG_FORMAT", "text"))
	if c.LogFormat != "text" && c.LogFormat != "json" {
		e.fail("FREENAHI_LOG_FORMAT", "%q is not text or json", c.LogFormat)
	}

	c.PowensDomain = e.str("POWENS_DOMAIN", "")
	if c.PowensDomain != "" && !powensDomainPattern.MatchString(c.PowensDomain) {
		e.fail("POWENS_DOMAIN", "%q is not a Powens domain name (lowercase letters, digits and hyphens, as shown in the console, e.g. myapp-sandbox)", c.PowensDomain)
	}
	c.PowensAPIURL = e.httpURL("POWENS_API_URL", "")
	c.PowensClientID = e.str("POWENS_CLIENT_ID", "")
	if c.PowensClientID != "" && strings.Trim(c.PowensClientID, "0123456789") != "" {
		e.fail("POWENS_CLIENT_ID", "%q is not a Powens client id (digits only)", c.PowensClientID)
	}
	c.PowensClientSecret = e.str("POWENS_CLIENT_SECRET", "")
	c.WebviewURL = e.httpURL("POWENS_WEBVIEW_URL", "https://webview.powens.com/")
	c.PublicURL = strings.TrimRight(e.httpURL("FREENAHI_PUBLIC_URL", ""), "/")
	def := ""
	if c.PublicURL != "" {
		def = c.PublicURL + "/webview/callback"
	}
	c.RedirectURL = e.httpURL("POWENS_REDIRECT_URL", def)
	if u, err := url.Parse(c.RedirectURL); c.RedirectURL != "" && err == nil && u.RawQuery != "" {
		e.fail("POWENS_REDIRECT_URL", "must not contain a query string (Powens refuses it)")
	}
	c.Language = strings.ToLower(e.str("OTHER_LANGUAGE", "en"))
	switch c.Language {
	case "en", "fr", "de", "nl", "pt", "it", "es":
	default:
		e.fail("OTHER_LANGUAGE", "%q is not one of en, fr, de, nl, pt, it, es", c.Language)
	}

	c.WebhookSecret = e.str("POWENS_WEBHOOK_SECRET", "")
	c.WhitelistedIPs = e.prefixes("POWENS_WHITELISTED_IPS")
	c.TrustedProxies = e.prefixes("FREENAHI_TRUSTED_PROXIES")
	c.WebhookMaxBytes = int64(e.int("FREENAHI_WEBHOOK_MAX_BYTES", 64<<20, 1<<10, 1<<30))
	c.WebhookMaxAge = e.duration("FREENAHI_WEBHOOK_MAX_AGE", webhook.DefaultMaxAge)
	c.WebhookMaxReads = e.int("FREENAHI_WEBHOOK_MAX_READS", 8, 1, 256)
	c.WebhookMaxInflateRatio = e.int("FREENAHI_WEBHOOK_MAX_INFLATE_RATIO", 200, 10, 10_000)
	c.WebhookSpoolDir = e.str("FREENAHI_WEBHOOK_SPOOL_DIR", "")
	c.WebhookUnmatchedMax = int64(e.int("FREENAHI_WEBHOOK_UNMATCHED_MAX", 1000, 1, 1_000_000))
	c.WebhookUnmatchedMaxBytes = int64(e.int("FREENAHI_WEBHOOK_UNMATCHED_MAX_BYTES", 64<<20, 1<<10, 1<<40))
	c.WebhookUnmatchedPerSource = int64(e.int("FREENAHI_WEBHOOK_UNMATCHED_PER_SOURCE", 100, 1, 1_000_000))
	c.WebhookUnmatchedTTL = e.duration("FREENAHI_WEBHOOK_UNMATCHED_TTL", 7*24*time.Hour)
	c.WebhookBodyRetention = e.duration("FREENAHI_WEBHOOK_BODY_RETENTION", 90*24*time.Hour)
	c.Workers = e.int("FREENAHI_WORKERS", 2, 1, 64)
	c.ReconcileInterval = e.duration("FREENAHI_RECONCILE_INTERVAL", 6*time.Hour)
	if c.ReconcileInterval < 10*time.Minute {
		e.fail("FREENAHI_RECONCILE_INTERVAL", "%s is shorter than 10m; Powens' fair-use policy asks for webhooks first and rare pulls", c.ReconcileInterval)
	}
	if (c.PowensDomain != "" || c.PowensAPIURL != "") && (c.PowensClientID == "" || c.PowensClientSecret == "") {
		for _, v := range []string{"POWENS_CLIENT_ID", "POWENS_CLIENT_SECRET"} {
			if e.str(v, "") == "" {
				e.fail(v, "is required when POWENS_DOMAIN or POWENS_API_URL is set")
			}
		}
	}
	c.BackupDir = e.str("FREENAHI_BACKUP_DIR", "")
	c.BackupInterval = e.duration("FREENAHI_BACKUP_INTERVAL", 24*time.Hour)
	if c.BackupInterval < time.Minute {
		e.fail("FREENAHI_BACKUP_INTERVAL", "%s is shorter than 1m", c.BackupInterval)
	}
	c.BackupKeep = e.int("FREENAHI_BACKUP_KEEP", 7, 1, 100000)
	c.Inqom = loadInqomConfig(e)
	switch v := e.str("FREENAHI_INQOM_ALLOW_LOOPBACK", "false"); v {
	case "true", "1", "yes":
		c.InqomAllowLoopback = true
	case "false", "0", "no":
	default:
		e.fail("FREENAHI_INQOM_ALLOW_LOOPBACK", "%q is neither true nor false", v)
	}
	if raw := e.str("FREENAHI_SMTP_URL", ""); raw != "" {
		var err error
		if c.SMTP, err = notify.ParseSMTPURL(raw, e.str("FREENAHI_SMTP_FROM", "")); err != nil {
			e.fail("FREENAHI_SMTP_URL", "%s", err)
		}
	}
	c.NotifyInterval = e.duration("FREENAHI_NOTIFY_INTERVAL", notify.DefaultInterval)
	if c.NotifyInterval < time.Second {
		e.fail("FREENAHI_NOTIFY_INTERVAL", "%s is shorter than 1s", c.NotifyInterval)
	}
	return c, errors.Join(e.errs...)
}

// callbackURL is where a bank's webauth page sends the person back to the
// UI; empty lets the UI use the host the person came in by.
func (c *Config) callbackURL() string {
	if c.PublicURL == "" {
		return ""
	}
	return c.PublicURL + "/connect/callback"
}

// PowensConfigured reports whether enough is set to call the Powens API.
func (c *Config) PowensConfigured() bool {
	return (c.PowensDomain != "" || c.PowensAPIURL != "") && c.PowensClientID != "" && c.PowensClientSecret != ""
}

// ReadDotEnv reads KEY=VALUE lines from path into a map. A missing file is
// not an error. Lines may start with "export "; values may be quoted.
func ReadDotEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, fmt.Errorf("%s:%d: expected KEY=VALUE", path, n)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') {
			if value[len(value)-1] != value[0] {
				return nil, fmt.Errorf("%s:%d: unterminated quote in the value of %s", path, n, key)
			}
			quote := value[0]
			value = value[1 : len(value)-1]
			if quote == '"' {
				value = strings.NewReplacer(`\n`, "\n", `\"`, `"`, `\\`, `\`).Replace(value)
			}
		} else if i := strings.Index(value, " #"); i >= 0 {
			value = strings.TrimSpace(value[:i])
		}
		vars[key] = value
	}
	return vars, sc.Err()
}
