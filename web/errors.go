package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
)

// statusByKind is the one place an error kind becomes an HTTP status.
var statusByKind = map[debrief.Kind]int{
	debrief.KindInvalid:      http.StatusBadRequest,
	debrief.KindNotFound:     http.StatusNotFound,
	debrief.KindConflict:     http.StatusConflict,
	debrief.KindUnauthorized: http.StatusUnauthorized,
	debrief.KindForbidden:    http.StatusForbidden,
	debrief.KindInternal:     http.StatusInternalServerError,
}

// codeBadGateway names a tracker's failure in API error bodies.
const codeBadGateway = "bad_gateway"

// StatusCode returns the HTTP status for err's kind; unknown errors are
// 500, and a tracker's failure is 502 (see trackerFailed).
func StatusCode(err error) int {
	if trackerFailed(err) {
		return http.StatusBadGateway
	}
	if code, ok := statusByKind[debrief.ErrorKind(err)]; ok {
		return code
	}
	return http.StatusInternalServerError
}

// trackerFailed recognises a call to Jira or GitHub that failed on the
// tracker's side: unreachable, too slow, rate limiting, failing, or
// refusing debrief's request or credentials. The person's request was
// sound, so it is a 502 Bad Gateway, not the status of the kind the
// tracker's answer maps to (a 401 would tell an API client that its own
// token is wrong). Package tracker words the message for people and puts
// no credential in it, so it may be shown.
func trackerFailed(err error) bool {
	var re *tracker.RemoteError
	return errors.As(err, &re)
}

type errorView struct {
	layout
	Status  int
	Heading string
	Message string
}

// serveError answers a request that failed. Server errors are logged here,
// once, and the client sees only a generic message and the request id to
// quote; client errors carry the error's user-safe message.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusCode(err)
	message := debrief.ErrorMessage(err)
	if status >= 500 {
		s.logServerError(r, status, err)
		message = "Something went wrong on our side. " +
			"If it keeps happening, quote the request id below."
	}
	s.renderError(w, r, status, message)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "There is no page at this address.")
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	v := errorView{
		layout:  s.layout(r, http.StatusText(status)),
		Status:  status,
		Heading: http.StatusText(status),
		Message: msg,
	}
	s.render(w, r, status, "error", v)
}

// renderFailed handles a template that failed to execute. It must not use
// the templates again, or a broken error page would recurse.
func (s *Server) renderFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.logServerError(r, http.StatusInternalServerError, err)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte("Internal server error. Request id: " + requestID(r.Context()) + "\n"))
}

// logServerError logs a 5xx. Only the path is logged, not the query string,
// which may hold what someone searched for.
func (s *Server) logServerError(r *http.Request, status int, err error) {
	s.logger.LogAttrs(r.Context(), slog.LevelError, "request failed",
		slog.String("request_id", requestID(r.Context())),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.String("error", err.Error()),
	)
}

// errorBody is the JSON body of every error the API answers:
// {"error": {"code": ..., "message": ..., "field": ...}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	// Code is a stable, machine-readable word: "unauthorized", "forbidden".
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field names the input at fault, when one is.
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// writeErrorJSON answers r with the API's error body. The message must be
// safe to show to the client.
func writeErrorJSON(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: errorDetail{
		Code: code, Message: message, RequestID: requestID(r.Context()),
	}})
}
