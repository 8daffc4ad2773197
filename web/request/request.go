// Package request holds what the HTTP layer knows about one request: its id,
// its logger, the authenticated user, the client's address, and the parsing
// of its parameters with errors that name the parameter at fault. Every
// package of web reads requests through it, so they all agree.
package request

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/freenahi/freenahi"
)

type ctxKey int

const (
	idKey ctxKey = iota
	loggerKey
	userKey
)

// WithID returns ctx carrying the request id.
func WithID(ctx context.Context, id string) context.Context { return context.WithValue(ctx, idKey, id) }

// ID returns the request id, or "".
func ID(ctx context.Context) string {
	id, _ := ctx.Value(idKey).(string)
	return id
}

// WithLogger returns ctx carrying the request's logger.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey, l)
}

// Logger returns the request's logger (it carries the request id), or fallback.
func Logger(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	if fallback == nil {
		return slog.New(slog.DiscardHandler)
	}
	return fallback
}

// WithUser returns ctx carrying the authenticated user.
func WithUser(ctx context.Context, u *freenahi.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// User returns the authenticated user. Routes that call it are wrapped in
// an authentication middleware, so a missing user is a programming error.
func User(ctx context.Context) *freenahi.User {
	u, ok := ctx.Value(userKey).(*freenahi.User)
	if !ok {
		panic("web: handler reached without an authenticated user")
	}
	return u
}

// PeerIP is the address of the TCP peer (a proxy, when there is one).
func PeerIP(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return ip.Unmap(), true
}

// ClientIP is the address of the client: the TCP peer, or, when the peer is
// one of the trusted proxies, the nearest untrusted hop of X-Forwarded-For.
// A malformed header from a trusted proxy gives no address at all; a chain
// of trusted proxies only gives the peer.
func ClientIP(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	ip, ok := PeerIP(r)
	if !ok || !InPrefixes(ip, trusted) {
		return ip, ok
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return netip.Addr{}, false
		}
		if hop = hop.Unmap(); !InPrefixes(hop, trusted) {
			return hop, true
		}
	}
	return ip, true
}

// InPrefixes reports whether ip is in one of prefixes.
func InPrefixes(ip netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
