package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// The ingestion-errors pages show admins the webhook payloads debrief
// received: the ones it could not read first, each with its problem and
// its raw body, and a button that reads a failed one again once the cause
// is fixed. Bodies come from outside and may hold anything, so they are
// shown escaped, with control characters made visible, and cut to a size
// a page can carry.

func (s *Server) ingestionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/payloads", s.handlePayloads)
	mux.HandleFunc("GET /admin/payloads/{id}", s.handlePayload)
	mux.HandleFunc("POST /admin/payloads/{id}/reprocess", s.handleReprocess)
}

func payloadURL(id int64) string { return "/admin/payloads/" + strconv.FormatInt(id, 10) }

// maxFailedShown bounds the failed payloads listed above the others on the
// unfiltered page; the status filter pages through all of them.
const maxFailedShown = 50

// payloadsView is the list of received payloads.
type payloadsView struct {
	layout
	Filters  []selectField
	Filtered bool
	// Failed are the failed payloads, listed first when no status is
	// chosen; FailedTotal counts them all.
	Failed      []debrief.Payload
	FailedTotal int
	FailedURL   string
	Payloads    []debrief.Payload
	Pager       pager
}

func (s *Server) handlePayloads(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessAdmin)
	if !ok {
		return
	}
	q := r.URL.Query()
	f, page, err := parsePayloadQuery(q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v := payloadsView{
		layout:   s.layout(r, "Received alert payloads"),
		Filters:  payloadFilters(f),
		Filtered: f.Source != "" || f.Status != "",
	}
	if f.Status == "" {
		failed := debrief.PayloadFilter{Source: f.Source, Status: debrief.PayloadFailed,
			Limit: maxFailedShown}
		if v.Failed, v.FailedTotal, err = s.flow.Payloads(r.Context(), a, failed); err != nil {
			s.serveError(w, r, err)
			return
		}
		only := url.Values{"status": {string(debrief.PayloadFailed)}}
		if f.Source != "" {
			only.Set("source", string(f.Source))
		}
		v.FailedURL = "/admin/payloads?" + only.Encode()
	}
	f.Limit, f.Offset = s.pageSize, (page-1)*s.pageSize
	list, total, err := s.flow.Payloads(r.Context(), a, f)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v.Payloads = list
	v.Pager = newPager("/admin/payloads", q, page, s.pageSize, total)
	s.render(w, r, pageStatus(v.Pager), "payloads", v)
}

func parsePayloadQuery(q url.Values) (debrief.PayloadFilter, int, error) {
	var f debrief.PayloadFilter
	if src := q.Get("source"); src != "" {
		f.Source = debrief.AlertSource(src)
		if !knownSource(f.Source) {
			return f, 0, debrief.FieldErrorf("source", "unknown alert source %q", src)
		}
	}
	switch st := debrief.PayloadStatus(q.Get("status")); st {
	case "", debrief.PayloadReceived, debrief.PayloadProcessed, debrief.PayloadFailed:
		f.Status = st
	default:
		return f, 0, debrief.FieldErrorf("status",
			"status %q is not one of received, processed and failed", st)
	}
	page, err := parsePageNumber(q)
	return f, page, err
}

func knownSource(src debrief.AlertSource) bool {
	for _, s := range debrief.AlertSources {
		if s == src {
			return true
		}
	}
	return false
}

func payloadFilters(f debrief.PayloadFilter) []selectField {
	status := selectField{Name: "status", Label: "Status", AnyText: "Any status"}
	for _, st := range []debrief.PayloadStatus{debrief.PayloadFailed,
		debrief.PayloadProcessed, debrief.PayloadReceived} {
		status.Options = append(status.Options, selectOption{Value: string(st),
			Label: humanize(st), Selected: st == f.Status})
	}
	source := selectField{Name: "source", Label: "Source", AnyText: "Any source"}
	for _, src := range debrief.AlertSources {
		source.Options = append(source.Options, selectOption{Value: string(src),
			Label: sourceName(src), Selected: src == f.Source})
	}
	return []selectField{status, source}
}

// sourceNames are the alerting tools as their makers write them.
var sourceNames = map[debrief.AlertSource]string{
	debrief.SourceAlertmanager: "Alertmanager",
	debrief.SourceGrafana:      "Grafana",
	debrief.SourcePagerDuty:    "PagerDuty",
	debrief.SourceOpsgenie:     "Opsgenie",
	debrief.SourceGeneric:      "Generic JSON",
}

func sourceName(src debrief.AlertSource) string {
	if n, ok := sourceNames[src]; ok {
		return n
	}
	return string(src)
}

// payloadPage is one payload's page.
type payloadPage struct {
	layout
	P *debrief.Payload
	// Body is the raw body, escaped, control characters made visible.
	Body template.HTML
	// Shown and Size are the bytes of the body shown and received; they
	// differ when the body was cut.
	Shown, Size int
	// Receipt is what processing the payload again did; Problem why it
	// failed again.
	Receipt *workflow.Receipt
	Problem string
	// CanReprocess is true for a payload not processed yet.
	CanReprocess bool
}

// URL is the payload's page.
func (v payloadPage) URL() string { return payloadURL(v.P.ID) }

// SourceName is the alerting tool as its maker writes it.
func (v payloadPage) SourceName() string { return sourceName(v.P.Source) }

// Cut reports whether the body was cut to maxBodyShown.
func (v payloadPage) Cut() bool { return v.Shown < v.Size }

func (s *Server) handlePayload(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.require(w, r, debrief.AccessAdmin); !ok {
		return
	}
	id, ok := s.payloadID(w, r)
	if !ok {
		return
	}
	s.showPayload(w, r, http.StatusOK, id, nil, "")
}

func (s *Server) handleReprocess(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessAdmin)
	if !ok {
		return
	}
	id, ok := s.payloadID(w, r)
	if !ok {
		return
	}
	receipt, err := s.flow.Reprocess(r.Context(), a, id)
	if err != nil {
		status := StatusCode(err)
		if status >= http.StatusInternalServerError || debrief.IsNotFound(err) {
			s.serveError(w, r, err)
			return
		}
		s.showPayload(w, r, status, id, nil, sentence(err))
		return
	}
	s.showPayload(w, r, http.StatusOK, id, receipt, "")
}

// payloadID reads the payload number of the path; anything else is a page
// that does not exist.
func (s *Server) payloadID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return 0, false
	}
	return id, true
}

func (s *Server) showPayload(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	id int64,
	receipt *workflow.Receipt,
	problem string,
) {
	p, err := s.flow.Payload(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	title := fmt.Sprintf("Payload %d from %s", p.ID, sourceName(p.Source))
	if problem != "" {
		title = "Error: " + title
	}
	v := payloadPage{
		layout: s.layout(r, title), P: p, Receipt: receipt, Problem: problem,
		Size:         len(p.Body),
		CanReprocess: p.Status != debrief.PayloadProcessed,
	}
	v.Body, v.Shown = visibleBody(p.Body, maxBodyShown)
	s.render(w, r, status, "payload", v)
}

// maxBodyShown is how much of a body the payload page shows. Webhook
// bodies are a few kilobytes; a larger one is cut rather than sent whole
// to the browser.
const maxBodyShown = 64 << 10

// visibleBody renders at most limit bytes of a raw body as HTML text for a
// <pre>: everything escaped, and every byte that would not show as itself
// (control characters other than newline and tab, bidirectional overrides
// and other invisible format characters, bytes that are not UTF-8) written
// as a marked escape such as \x1b or \u202e, so that a body cannot hide
// text or rearrange what is on the page. It returns how many bytes were
// shown.
func visibleBody(body []byte, limit int) (template.HTML, int) {
	cut := len(body) > limit
	if cut {
		body = body[:limit]
	}
	var b strings.Builder
	run := 0 // start of the plain text not written yet
	flush := func(end int) {
		b.WriteString(html.EscapeString(string(body[run:end])))
	}
	for i := 0; i < len(body); {
		r, n := utf8.DecodeRune(body[i:])
		var esc string
		switch {
		case r == utf8.RuneError && n <= 1:
			if cut && !utf8.FullRune(body[i:]) {
				// A character cut by the limit, not a broken one.
				body = body[:i]
				continue
			}
			esc = fmt.Sprintf(`\x%02x`, body[i])
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f:
			esc = fmt.Sprintf(`\x%02x`, r)
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) || r == '\ufffd':
			esc = fmt.Sprintf(`\u%04x`, r)
		}
		if esc != "" {
			flush(i)
			b.WriteString(`<span class="ctl">` + esc + `</span>`)
			run = i + n
		}
		i += n
	}
	flush(len(body))
	return template.HTML(b.String()), len(body)
}
