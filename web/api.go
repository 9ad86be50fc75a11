package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// This file holds what every API handler shares: JSON in and out, the one
// error body, versions as ETags, and pages of lists.

// maxAPIBody bounds every request body. A whole report is at most
// debrief.MaxReportBytes of text; JSON escaping and structure can double
// that, and a Markdown import is bounded like a local one.
const maxAPIBody = 8 << 20

// Page sizes of the API's lists.
const (
	defaultAPILimit = 50
	maxAPILimit     = 200
)

// apiRefusal is a refusal the API makes itself, before the domain is asked:
// a missing If-Match, a body of the wrong type or size. Domain errors carry
// a debrief.Kind instead, mapped by statusByKind.
type apiRefusal struct {
	status  int
	code    string
	message string
	field   string
	// current is the report's version now, for a refused stale write.
	current int
}

func (e *apiRefusal) Error() string { return e.message }

// The codes of API errors that have no debrief.Kind.
const (
	codePreconditionFailed   = "precondition_failed"
	codePreconditionRequired = "precondition_required"
	codeTooLarge             = "too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
)

// apiCodeByKind names each error kind in API error bodies.
var apiCodeByKind = map[debrief.Kind]string{
	debrief.KindInvalid:      "invalid",
	debrief.KindNotFound:     "not_found",
	debrief.KindConflict:     "conflict",
	debrief.KindUnauthorized: "unauthorized",
	debrief.KindForbidden:    "forbidden",
	debrief.KindInternal:     "internal",
}

// apiErrorBody is the shape of every error the API handlers answer; it
// extends errorBody (errors.go), which the sign-in middleware answers with.
type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

// apiErrorDetail says what went wrong. Field names the input at fault as a
// dotted path of the JSON shape, when one is. A refused stale write also
// carries the version now stored and what changed since the client's.
type apiErrorDetail struct {
	Code           string                 `json:"code"`
	Message        string                 `json:"message"`
	Field          string                 `json:"field,omitempty"`
	RequestID      string                 `json:"request_id,omitempty"`
	CurrentVersion int                    `json:"current_version,omitempty"`
	Changes        []workflow.SectionDiff `json:"changes,omitempty"`
	// PayloadID names a webhook body that was kept but could not be read.
	PayloadID int64 `json:"payload_id,omitempty"`
}

// apiFail answers a failed API request with the error body. Server errors
// are logged here, once, and the client sees only "internal error" and the
// request id to quote.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	d := apiErrorDetail{RequestID: requestID(r.Context())}
	status := http.StatusInternalServerError

	var conflict *workflow.ConflictError
	var own *apiRefusal
	var tooLarge *http.MaxBytesError
	if st, ok := payloadFailure(err, &d); ok {
		s.apiJSON(w, r, st, apiErrorBody{d})
		return
	}
	switch {
	case errors.As(err, &conflict):
		// A stale If-Match: the client must read again, so it gets the
		// version to read and what changed since its own.
		cur := conflict.Current.Version
		status, d.Code = http.StatusPreconditionFailed, codePreconditionFailed
		d.Message = fmt.Sprintf("%s; read it again and send your change with If-Match: %s",
			debrief.ErrorMessage(err), versionETag(cur))
		d.CurrentVersion, d.Changes = cur, conflict.Changes
		w.Header().Set("ETag", versionETag(cur))
	case errors.As(err, &own):
		if own.field == "If-Match" && own.current == 0 {
			own = s.ifMatchHint(r, own)
		}
		status, d.Code, d.Message, d.Field = own.status, own.code, own.message, own.field
		if own.current > 0 {
			d.CurrentVersion = own.current
			w.Header().Set("ETag", versionETag(own.current))
		}
	case errors.Is(err, workflow.ErrVersionNeeded):
		// The incident is a report's header: like any write to a report,
		// it needs the version read.
		status, d.Code = http.StatusPreconditionRequired, codePreconditionRequired
		d.Message, d.Field = debrief.ErrorMessage(err)+": send it as If-Match", "If-Match"
	case errors.As(err, &tooLarge):
		status, d.Code = http.StatusRequestEntityTooLarge, codeTooLarge
		d.Message = fmt.Sprintf("the body is larger than %d MiB", tooLarge.Limit>>20)
	default:
		status = StatusCode(err)
		d.Code = apiCodeByKind[debrief.ErrorKind(err)]
		d.Message, d.Field = debrief.ErrorMessage(err), debrief.ErrorField(err)
	}
	if status >= 500 {
		s.logServerError(r, status, err)
		d.Code, d.Message, d.Field, d.Changes = "internal", "internal error", "", nil
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="debrief"`)
	}
	s.apiJSON(w, r, status, apiErrorBody{d})
}

// apiJSON encodes v first, so that a value that cannot be encoded becomes
// a clean 500 rather than half a body.
func (s *Server) apiJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		if _, isErr := v.(apiErrorBody); isErr {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		s.apiFail(w, r, fmt.Errorf("encode response: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	// Responses hold reports only signed-in people may read: no shared
	// cache may keep them, and a client revalidates with If-None-Match.
	h.Set("Cache-Control", "private, no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// apiReadBody reads the request body after checking that its media type is
// one of types; the first of types is named in the refusal.
func apiReadBody(w http.ResponseWriter, r *http.Request, types ...string) ([]byte, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !slices.Contains(types, mt) {
		return nil, &apiRefusal{
			status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType,
			message: fmt.Sprintf("send the body as %s (Content-Type was %q)", types[0], ct),
		}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if err != nil {
		return nil, err
	}
	// encoding/json would silently read bytes that are not UTF-8 as U+FFFD.
	if err := workflow.CheckUTF8(data); err != nil {
		return nil, err
	}
	return data, nil
}

// apiReadJSON reads a JSON request body into v, refusing unknown fields.
func apiReadJSON(w http.ResponseWriter, r *http.Request, v any) error {
	data, err := apiReadBody(w, r, "application/json")
	if err != nil {
		return err
	}
	return apiDecodeJSON(data, v)
}

// apiDecodeJSON decodes exactly one JSON object into v, refusing unknown
// fields, so that a misspelt field is an error and not a silent loss.
// (Whole reports and sections go through package workflow, which does the
// same for them.)
func apiDecodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); !errors.Is(extra, io.EOF) {
			return debrief.Errorf(debrief.KindInvalid, "the body holds more than one JSON value")
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return debrief.Errorf(debrief.KindInvalid, "the body is empty: send a JSON object")
	case errors.As(err, &syntax):
		return debrief.Errorf(debrief.KindInvalid,
			"the JSON is malformed at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ) && typ.Field != "":
		return debrief.FieldErrorf(typ.Field, "%s cannot be %s", typ.Field, typ.Value)
	case errors.As(err, &typ):
		return debrief.Errorf(debrief.KindInvalid, "the body must be a JSON object")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return debrief.FieldErrorf(name, "unknown field %q", name)
	}
	return debrief.Errorf(debrief.KindInvalid, "the JSON does not fit: %s",
		strings.TrimPrefix(err.Error(), "json: "))
}

// versionETag is a report version as an entity tag: version 7 is "7" in quotes.
func versionETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// apiIfMatch reads the version the client last read from If-Match. Every
// change to an existing report needs it: without it two writers would
// silently overwrite each other.
func apiIfMatch(r *http.Request) (int, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, &apiRefusal{
			status: http.StatusPreconditionRequired, code: codePreconditionRequired,
			field: "If-Match",
			message: "this change needs an If-Match header with the version you read, " +
				"as the ETag of your GET gave it",
		}
	}
	n, err := strconv.Atoi(strings.Trim(v, `"`))
	if err != nil || n < 1 || strings.Contains(v, ",") {
		return 0, &apiRefusal{
			status: http.StatusBadRequest, code: "invalid", field: "If-Match",
			message: fmt.Sprintf("If-Match %q is not one report version: send the ETag of "+
				"your GET, a version number in quotes", v),
		}
	}
	return n, nil
}

// ifMatchHint adds to a refused If-Match the version the report is at now,
// when the asker may read it, so the message names the header to send.
func (s *Server) ifMatchHint(r *http.Request, own *apiRefusal) *apiRefusal {
	id := r.PathValue("id")
	if id == "" {
		return own
	}
	p, err := s.flow.Get(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return own
	}
	hint := *own
	hint.current = p.Version
	hint.message = fmt.Sprintf("%s: report %s is at version %d now (If-Match: %s)",
		own.message, id, p.Version, versionETag(p.Version))
	return &hint
}

// apiNotModified reports whether If-None-Match already names the version, so
// that a client polling a report gets a 304 without the body.
func apiNotModified(r *http.Request, version int) bool {
	for _, tag := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == versionETag(version) {
			return true
		}
	}
	return false
}

// listEnvelope is one page of a list.
type listEnvelope[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// apiPage reads limit and offset: 50 rows from the first by default, at
// most 200 at a time.
func apiPage(q url.Values) (limit, offset int, err error) {
	limit, offset = defaultAPILimit, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAPILimit {
			return 0, 0, debrief.FieldErrorf("limit",
				"limit %q must be a number from 1 to %d", v, maxAPILimit)
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, debrief.FieldErrorf("offset", "offset %q must be 0 or more", v)
		}
		offset = n
	}
	return limit, offset, nil
}

// apiWritePage answers with one page of a list and, when more rows follow or
// precede it, Link headers to the neighbouring pages with the same filters.
func apiWritePage[T any](s *Server, w http.ResponseWriter, r *http.Request, page listEnvelope[T]) {
	if page.Items == nil {
		page.Items = []T{}
	}
	link := func(offset int, rel string) {
		q := r.URL.Query()
		q.Set("limit", strconv.Itoa(page.Limit))
		q.Set("offset", strconv.Itoa(offset))
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		w.Header().Add("Link", fmt.Sprintf(`<%s>; rel="%s"`, u.String(), rel))
	}
	if next := page.Offset + len(page.Items); len(page.Items) > 0 && next < page.Total {
		link(next, "next")
	}
	if page.Offset > 0 {
		link(max(0, page.Offset-page.Limit), "prev")
	}
	s.apiJSON(w, r, http.StatusOK, page)
}

// canAPI refuses an actor whose role is below need, naming the role.
func canAPI(a debrief.Actor, need debrief.AccessRole, what string) error {
	if a.Role == "" {
		return debrief.Errorf(debrief.KindUnauthorized, "sign in or send a bearer token")
	}
	if !a.Can(need) {
		return debrief.Errorf(debrief.KindForbidden, "%s needs the %s role", what, need)
	}
	return nil
}
