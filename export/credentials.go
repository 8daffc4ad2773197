package export

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/inqom"
)

// The policy of a person's own Inqom credentials, which a signed-in session
// (or the CLI) may point anywhere: saved secrets only ever go back where
// they were first sent, only over https (plain http on this computer only
// when the operator allows it, for a local sandbox), never to a private
// address, and a server that is not Inqom's never sees its answer shown.

// CheckCredentialURLs refuses endpoints that are not https, naming the field
// (auth_url, banking_url). Plain http, and any address of this computer,
// pass only when allowLoopback is set and the host is a loopback one
// (localhost, 127.0.0.0/8, ::1); private and link-local literal addresses
// never pass. Empty URLs (the environment's own) pass.
func CheckCredentialURLs(c *freenahi.InqomCredentials, allowLoopback bool) error {
	for _, f := range []struct{ name, v string }{{"auth_url", c.AuthURL}, {"banking_url", c.BankingURL}} {
		if err := checkCredentialURL(f.name, f.v, allowLoopback); err != nil {
			return err
		}
	}
	return nil
}

func checkCredentialURL(field, raw string, allowLoopback bool) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Scheme != "https" && u.Scheme != "http") {
		return freenahi.FieldErrorf(field, "must be a full https address, without query")
	}
	loopback := isLoopbackHost(u.Hostname())
	switch {
	case loopback && !allowLoopback:
		return freenahi.FieldErrorf(field, "must not be an address of this computer")
	case u.Scheme == "http" && !loopback:
		return freenahi.FieldErrorf(field, "must be an https address")
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !loopback && !publicAddr(ip) {
		return freenahi.FieldErrorf(field, "must not be an address of a private network")
	}
	return nil
}

// KeepSecrets fills c's empty password and client secret from saved, the
// credentials saved before, which forms never show back to be retyped. It
// refuses when c would send them anywhere else than saved's endpoints
// (EINVALID on "password"): otherwise a stolen session could point the
// token endpoint at its own listener and receive them.
func KeepSecrets(c, saved *freenahi.InqomCredentials) error {
	if c.Password != "" && c.ClientSecret != "" {
		return nil
	}
	if saved == nil {
		return nil // nothing to keep: the required-field checks say what is missing
	}
	if endpoints(c) != endpoints(saved) {
		e := freenahi.Errorf(freenahi.EINVALID, "Type the Inqom password and client secret again: the Inqom addresses changed, and saved secrets only go where they went before.")
		e.Field = "password"
		return e
	}
	if c.Password == "" {
		c.Password = saved.Password
	}
	if c.ClientSecret == "" {
		c.ClientSecret = saved.ClientSecret
	}
	return nil
}

// endpoints are the token and banking URLs the credentials are sent to.
func endpoints(c *freenahi.InqomCredentials) [2]string {
	env, _ := inqom.ParseEnvironment(c.Environment)
	auth, banking := env.URLs()
	if c.AuthURL != "" {
		auth = c.AuthURL
	}
	if c.BankingURL != "" {
		banking = c.BankingURL
	}
	return [2]string{auth, banking}
}

// official reports whether the credentials go to Inqom's own endpoints.
func official(c *freenahi.InqomCredentials) bool {
	e := endpoints(c)
	for _, env := range []inqom.Environment{inqom.Production, inqom.Staging} {
		if auth, banking := env.URLs(); e == [2]string{auth, banking} {
			return true
		}
	}
	return false
}

// vouchedFor reports whether both endpoints are on hosts of AnswersShownFrom.
func (c *Clients) vouchedFor(own *freenahi.InqomCredentials) bool {
	for _, raw := range endpoints(own) {
		u, err := url.Parse(raw)
		if err != nil || !slices.Contains(c.AnswersShownFrom, u.Host) {
			return false
		}
	}
	return true
}

// isLoopbackHost reports whether a URL's host names this computer.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// publicAddr reports whether ip is a public unicast address.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsGlobalUnicast() && !ip.IsPrivate() && !ip.Is4In6() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(ip) // carrier-grade NAT
}

// guardedHTTPClient is the HTTP client of a person's own credentials with
// endpoints of their choice: it connects only to public addresses (and to
// loopback ones when allowLoopback), checked on the address actually
// dialled, so a host name that resolves to a private address (or changes
// its answer between check and use) is refused too. It uses no proxy.
func guardedHTTPClient(allowLoopback bool) *http.Client {
	d := &net.Dialer{Timeout: 30 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return err
		}
		if ip := ap.Addr().Unmap(); publicAddr(ip) || (allowLoopback && ip.IsLoopback()) {
			return nil
		}
		return freenahi.Errorf(freenahi.EINVALID,
			"The Inqom address resolves to %s, on this computer or a private network: freenahi sends Inqom credentials saved on a page only to public addresses.",
			ap.Addr().String())
	}}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = d.DialContext
	return &http.Client{Transport: t}
}

// ownConfig is the client configuration of a person's own credentials,
// refused when a URL breaks the policy (rows saved before it existed).
func (c *Clients) ownConfig(own *freenahi.InqomCredentials) (inqom.Config, error) {
	env, err := inqom.ParseEnvironment(own.Environment)
	if err != nil {
		return inqom.Config{}, err
	}
	if err := CheckCredentialURLs(own, c.AllowLoopback); err != nil {
		return inqom.Config{}, fmt.Errorf("saved Inqom credentials of user %d: %w", own.UserID, err)
	}
	cfg := inqom.Config{Environment: env, AuthURL: own.AuthURL, BankingURL: own.BankingURL, ClientID: own.ClientID,
		ClientSecret: own.ClientSecret, Username: own.Username, Password: own.Password, HTTPClient: c.HTTPClient}
	if !official(own) {
		// Not Inqom: its addresses are checked where they are dialled, and
		// its answers shown only when the operator vouches for it.
		cfg.HideAnswers = !c.vouchedFor(own)
		cfg.HTTPClient = guardedHTTPClient(c.AllowLoopback)
	}
	return cfg, nil
}
