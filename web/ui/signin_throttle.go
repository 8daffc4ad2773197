package ui

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/web/request"
)

// Sign-in throttling. An attempt is charged, before its password is hashed,
// to buckets kept in the database (see store.ReserveSignin):
//
//   - from a device where the account signed in before (a signed cookie):
//     that account on that device alone, so that nobody else's failures
//     ever keep the owner out of their own browser;
//   - from anywhere else: the account from this client address, the account
//     from every unknown client together (many addresses guessing one
//     password), and this client address across accounts (one address
//     guessing many).
//
// Each bucket lets a few failures through, then makes the next attempt wait
// 10 s, doubling up to a cap: growing delays, never a lock that only an
// administrator can lift (`freenahi user unlock` still clears an account).

// deviceCookie marks a browser where an account signed in: its user id, a
// random device id and their HMAC under Config.DeviceKey.
const deviceCookie = "freenahi_device"

// deviceCookieAge is the longest life browsers give a cookie.
const deviceCookieAge = 400 * 24 * time.Hour

// deviceMaxDelay caps the delay of an account's known device: a stolen
// device cookie still guesses slowly, the owner mistyping waits little.
const deviceMaxDelay = 5 * time.Minute

// signinThrottle is what one attempt is charged to, and what a success
// settles: forget starts afresh, refund takes back one failure.
type signinThrottle struct {
	buckets        []freenahi.SigninBucket
	forget, refund []string
	client         string // the client's address key, for the log
	device         string // the known device's id, or ""
}

// signinThrottle chooses the buckets of an attempt at email by the client,
// or by its known device when the request carries the cookie of a device
// where u signed in before. An unknown e-mail gets the same buckets as a
// known one, so throttling does not reveal accounts either.
func (s *Handler) signinThrottle(r *http.Request, email string, u *freenahi.User) signinThrottle {
	cfg := &s.Config
	client := s.clientKey(r)
	if u != nil {
		if device := s.knownDevice(r, u.ID); device != "" {
			key := "device:" + email + "|" + device
			return signinThrottle{client: client, device: device, forget: []string{key},
				buckets: []freenahi.SigninBucket{{Key: key, Account: email, Free: cfg.MaxLoginFailuresPerEmail, MaxDelay: min(deviceMaxDelay, cfg.LoginWindow)}}}
		}
	}
	pair, account, address := "client:"+email+"|"+client, "account:"+email, "address:"+client
	return signinThrottle{client: client, forget: []string{pair}, refund: []string{account, address},
		buckets: []freenahi.SigninBucket{
			{Key: pair, Account: email, Free: cfg.MaxLoginFailuresPerEmail, MaxDelay: cfg.LoginWindow},
			{Key: account, Account: email, Free: cfg.MaxLoginFailuresPerAccount, MaxDelay: cfg.LoginWindow},
			{Key: address, Free: cfg.MaxLoginFailuresPerIP, MaxDelay: cfg.LoginWindow},
		}}
}

// clientKey is the throttling key of the client's address: the address the
// trusted proxies forwarded, else the peer's.
func (s *Handler) clientKey(r *http.Request) string {
	ip, ok := request.ClientIP(r, s.TrustedProxies)
	if !ok {
		return "unknown"
	}
	if ip.Is6() && !ip.Is4In6() {
		// One person usually holds a whole /64.
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.Unmap().String()
}

// newDeviceCookie returns the cookie value of a new device for a user.
func (s *Handler) newDeviceCookie(userID int64) string {
	id := randomToken()[:22]
	uid := strconv.FormatInt(userID, 10)
	return uid + "." + id + "." + s.deviceMAC(uid, id)
}

// knownDevice returns the device id of the request's device cookie when
// it is genuine and belongs to the user, else "".
func (s *Handler) knownDevice(r *http.Request, userID int64) string {
	c, err := r.Cookie(deviceCookie)
	if err != nil || len(c.Value) > 100 {
		return ""
	}
	uid, rest, _ := strings.Cut(c.Value, ".")
	id, mac, _ := strings.Cut(rest, ".")
	if uid != strconv.FormatInt(userID, 10) || id == "" || !hmac.Equal([]byte(mac), []byte(s.deviceMAC(uid, id))) {
		return ""
	}
	return id
}

func (s *Handler) deviceMAC(uid, id string) string {
	m := hmac.New(sha256.New, s.ui.deviceKey)
	m.Write([]byte("signin-device|" + uid + "|" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
