package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/alerting"
	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/workflow"
)

// Alerting tools post to /api/v1/webhooks/{source}. They authenticate with
// a debrief API token (Authorization: Bearer), with a shared secret set
// for their source (as a Bearer token or as the password of Basic auth,
// which Alertmanager and Grafana both offer), or, for PagerDuty, with the
// signature its webhook subscriptions add. Every authenticated body is
// stored before it is read, so a body debrief cannot read is kept, shown on
// the ingestion-errors page, and answered with a 400 that says what is
// wrong.

// maxWebhookBody caps a webhook body. Alertmanager truncates large groups
// itself; a megabyte holds several hundred alerts.
const maxWebhookBody = 1 << 20

// WebhookAuth is how one alerting tool proves who it is, besides an API
// token.
type WebhookAuth struct {
	// Secret, when set, is accepted as a Bearer token or as the password
	// of Basic auth.
	Secret string
	// SigningSecrets, when set (PagerDuty only), are the secrets of the
	// webhook subscription: a request must carry X-PagerDuty-Signature
	// made with one of them. Two while a secret is being rotated.
	SigningSecrets []string
}

// WithWebhookAuth sets the credentials of the alerting tools by source.
func WithWebhookAuth(m map[debrief.AlertSource]WebhookAuth) Option {
	return func(s *Server) { s.webhooks = m }
}

// webhookPrefix is the path the alerting tools post to.
const webhookPrefix = "/api/v1/webhooks/"

// isWebhookPath reports whether the request is for a webhook, which a
// post authenticates itself (apiWebhook); any other method is answered 405
// by the API's catch-all, whatever credentials it carries, rather than
// refused as an unknown token because it carries a tool's secret.
func isWebhookPath(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, webhookPrefix)
}

func (s *Server) apiWebhook(w http.ResponseWriter, r *http.Request) {
	source := debrief.AlertSource(r.PathValue("source"))
	if !slices.Contains(debrief.AlertSources, source) {
		s.apiFail(w, r, debrief.Errorf(debrief.KindNotFound,
			"there is no webhook for %q: use one of alertmanager, grafana, pagerduty, "+
				"opsgenie or generic", source))
		return
	}
	// One byte more than the limit tells a body that is too large; its
	// first megabyte is kept all the same, as evidence of what was sent.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	a, ok := s.webhookActor(w, r, source, body)
	if !ok {
		return
	}
	var receipt *workflow.Receipt
	if len(body) > maxWebhookBody {
		receipt, err = s.flow.ReceiveTooLarge(r.Context(), a, source,
			r.Header.Get("Content-Type"), body[:maxWebhookBody])
	} else {
		receipt, err = s.flow.ReceiveAlerts(r.Context(), a, source,
			r.Header.Get("Content-Type"), body)
	}
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.logger.LogAttrs(r.Context(), slog.LevelDebug, "alert payload received",
		slog.String("source", string(source)), slog.Int64("payload_id", receipt.Payload.ID),
		slog.Bool("replay", receipt.Replay), slog.Int("incidents", len(receipt.Incidents)))
	s.apiJSON(w, r, http.StatusOK, receipt)
}

// webhookActor authenticates a webhook post. A source with signing
// secrets needs a good signature whatever else the request carries; a
// shared secret or an API token does for the rest. On failure the answer
// has been written.
func (s *Server) webhookActor(
	w http.ResponseWriter,
	r *http.Request,
	source debrief.AlertSource,
	body []byte,
) (debrief.Actor, bool) {
	cfg := s.webhooks[source]
	tool := workflow.ToolActor(source)
	if len(cfg.SigningSecrets) > 0 {
		err := alerting.VerifyPagerDutySignature(body,
			r.Header.Get("X-PagerDuty-Signature"), cfg.SigningSecrets...)
		if err != nil {
			s.webhookRefused(w, r, source, debrief.ErrorMessage(err))
			return debrief.Actor{}, false
		}
		return tool, true
	}
	header := r.Header.Get("Authorization")
	if header == "" {
		s.webhookRefused(w, r, source, "send an API token or the webhook's secret in "+
			"the Authorization header")
		return debrief.Actor{}, false
	}
	if cfg.Secret != "" && presentsSecret(r, header, cfg.Secret) {
		return tool, true
	}
	_, secret, _ := strings.Cut(header, " ")
	tok, err := s.store.TokenByHash(r.Context(), auth.HashToken(strings.TrimSpace(secret)))
	if debrief.IsNotFound(err) {
		s.webhookRefused(w, r, source, "the Authorization header holds neither a live "+
			"API token nor the webhook's secret")
		return debrief.Actor{}, false
	}
	if err != nil {
		s.apiFail(w, r, err)
		return debrief.Actor{}, false
	}
	return debrief.Actor{UserID: tok.UserID, Name: tok.UserName,
		DisplayName: tok.UserDisplayName, Role: tok.Role}, true
}

// presentsSecret reports whether the request carries the shared secret as a
// Bearer token or as the Basic auth password.
func presentsSecret(r *http.Request, header, want string) bool {
	if _, pass, ok := r.BasicAuth(); ok {
		return alerting.CheckSecret(pass, want)
	}
	scheme, given, _ := strings.Cut(header, " ")
	return strings.EqualFold(scheme, "Bearer") && alerting.CheckSecret(strings.TrimSpace(given), want)
}

// webhookRefused answers an unauthenticated webhook post, and logs it at
// Warn by source and address (never what was presented).
func (s *Server) webhookRefused(
	w http.ResponseWriter,
	r *http.Request,
	source debrief.AlertSource,
	msg string,
) {
	s.logger.LogAttrs(r.Context(), slog.LevelWarn, "webhook refused",
		slog.String("source", string(source)), slog.String("remote_addr", s.clientAddr(r)))
	s.apiFail(w, r, &apiRefusal{status: http.StatusUnauthorized, code: "unauthorized",
		message: msg})
}

// payloadFailure fills the error detail of a payload that was kept but
// could not be read.
func payloadFailure(err error, d *apiErrorDetail) (int, bool) {
	pe, ok := workflow.IsPayloadError(err)
	if !ok {
		return 0, false
	}
	d.Code, d.PayloadID = "invalid_payload", pe.ID
	d.Message = fmt.Sprintf("%s (the payload is kept as %d; see /admin/payloads/%d)",
		debrief.ErrorMessage(pe.Err), pe.ID, pe.ID)
	d.Field = debrief.ErrorField(pe.Err)
	if pe.TooLarge {
		d.Code = codeTooLarge
		return http.StatusRequestEntityTooLarge, true
	}
	return http.StatusBadRequest, true
}

// The API's received payloads, for admins: the ingestion errors and what
// each payload did.

func (s *Server) apiListPayloads(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := debrief.PayloadFilter{Source: debrief.AlertSource(q.Get("source")),
		Status: debrief.PayloadStatus(q.Get("status"))}
	if f.Source != "" && !slices.Contains(debrief.AlertSources, f.Source) {
		s.apiFail(w, r, debrief.FieldErrorf("source", "source %q is not one of "+
			"alertmanager, grafana, pagerduty, opsgenie and generic", f.Source))
		return
	}
	switch f.Status {
	case "", debrief.PayloadReceived, debrief.PayloadProcessed, debrief.PayloadFailed:
	default:
		s.apiFail(w, r, debrief.FieldErrorf("status",
			"status %q is not one of received, processed and failed", f.Status))
		return
	}
	var err error
	if f.Limit, f.Offset, err = apiPage(q); err != nil {
		s.apiFail(w, r, err)
		return
	}
	list, total, err := s.flow.Payloads(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWritePage(s, w, r, listEnvelope[debrief.Payload]{
		Items: list, Total: total, Limit: f.Limit, Offset: f.Offset,
	})
}

// payloadView is a payload with its body as text, for reading.
type payloadView struct {
	debrief.Payload
	Body string `json:"body"`
}

func (s *Server) apiGetPayload(w http.ResponseWriter, r *http.Request) {
	id, err := payloadID(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	p, err := s.flow.Payload(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, payloadView{Payload: *p, Body: string(p.Body)})
}

func (s *Server) apiReprocessPayload(w http.ResponseWriter, r *http.Request) {
	id, err := payloadID(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	receipt, err := s.flow.Reprocess(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, receipt)
}

// payloadID reads the payload number from the path.
func payloadID(r *http.Request) (int64, error) {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, debrief.Errorf(debrief.KindNotFound, "payload %q not found", v)
	}
	return id, nil
}
