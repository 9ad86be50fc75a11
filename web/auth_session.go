package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// sessionCookie names the cookie that carries a browser session's secret.
const sessionCookie = "debrief_session"

// sessionLifetime is how long a sign-in lasts. It ends on the server at
// that time whatever the browser does with the cookie.
const sessionLifetime = 12 * time.Hour

// startSession signs the user in: it stores a new session, under the hash
// of its secret, and gives the browser the secret in the session cookie.
func (s *Server) startSession(
	ctx context.Context,
	w http.ResponseWriter,
	r *http.Request,
	u *debrief.User,
) error {
	secret, hash := auth.NewToken()
	sess := &debrief.Session{
		UserName:  u.Name,
		CSRFToken: randomToken(),
		ExpiresAt: s.now().Add(sessionLifetime),
	}
	if err := s.store.CreateSession(ctx, sess, hash); err != nil {
		return fmt.Errorf("start session: %w", err)
	}

	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    secret,
		Path:     "/",
		MaxAge:   int(sessionLifetime / time.Second),
		HttpOnly: true,
		Secure:   s.secureRequest(r),
		SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// deleteSession deletes the session the request's cookie names, if any.
func (s *Server) deleteSession(ctx context.Context, r *http.Request) error {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	if err := s.store.DeleteSession(ctx, auth.HashToken(c.Value)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// clearSessionCookie tells the browser to drop the session cookie.
func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.secureRequest(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// secureRequest reports whether the session cookie should be Secure: always
// with WithSecureCookies, otherwise when the browser reached the site over
// HTTPS, directly or through a proxy that terminated TLS.
func (s *Server) secureRequest(r *http.Request) bool {
	return s.secureCookies || r.TLS != nil ||
		strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// randomToken returns 32 random bytes in unpadded base64url: a session's
// CSRF token.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// clientAddr is the address refused logins are counted and logged by. An
// IPv6 client is counted by its /64 network, which one host can use whole.
func (s *Server) clientAddr(r *http.Request) string {
	raw := r.RemoteAddr
	if host, _, err := net.SplitHostPort(raw); err == nil {
		raw = host
	}
	if s.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip, err := netip.ParseAddr(strings.TrimSpace(last)); err == nil {
				raw = ip.String()
			}
		}
	}

	ip, err := netip.ParseAddr(raw)
	if err != nil {
		return raw
	}
	ip = ip.Unmap()
	if ip.Is6() {
		if p, err := ip.Prefix(64); err == nil {
			return p.String()
		}
	}
	return ip.String()
}
