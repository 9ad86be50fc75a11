package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"
)

// contentSecurityPolicy allows nothing inline: styles and the optional
// script come from /static, so markup that slips into a report can neither
// run nor restyle the page. Images may come from https because reports
// embed screenshots of dashboards.
const contentSecurityPolicy = "default-src 'none'; " +
	"script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

type ctxKey int

const requestIDKey ctxKey = iota

// requestID returns the id the middleware gave the request, or "".
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// validRequestID limits ids accepted from a proxy to a safe alphabet, so a
// client cannot write arbitrary text into logs and pages.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))

		h := w.Header()
		h.Set("X-Request-ID", id)
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")

		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer s.recoverPanic(rec, withLoggedPath(r))
		next.ServeHTTP(rec, r)

		s.logger.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("request_id", id),
			slog.String("method", r.Method),
			slog.String("path", loggedPath(r.URL.Path)),
			slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

// withLoggedPath is r as the error log may show it: a path holding a
// secret (see loggedPath) is replaced, on a copy, by one without it.
func withLoggedPath(r *http.Request) *http.Request {
	logged := loggedPath(r.URL.Path)
	if logged == r.URL.Path {
		return r
	}
	c := *r
	u := *r.URL
	u.Path, u.RawPath = logged, ""
	c.URL = &u
	return &c
}

// recoverPanic turns a panicking handler into a logged 500 instead of a
// dropped connection. http.ErrAbortHandler is the deliberate way to abort
// and is passed on.
func (s *Server) recoverPanic(w *statusRecorder, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	err := fmt.Errorf("panic: %v", v)
	if w.wrote {
		s.logServerError(r, http.StatusInternalServerError, err)
		return
	}
	s.serveError(w, r, err)
}

// statusRecorder remembers the status for the access log and whether the
// header has gone out, which decides if an error page can still be sent.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusRecorder) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
