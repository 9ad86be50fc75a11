package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
	"github.com/debrief-oss/debrief/workflow"
)

// Jira and GitHub post their issue events to /api/v1/trackers/{system}/
// webhook. They cannot sign in: package tracker checks each delivery
// against the webhook secret (a signature, or Jira's ?secret=), so these
// paths skip the session check (see wrap). A change of a linked ticket's
// status moves its action item; anything else is answered 200 and ignored.

// trackerWebhookPrefix is where the trackers' webhooks are posted.
const trackerWebhookPrefix = "/api/v1/trackers/"

// trackerSetup is what WithTrackers configures; Sync is made once the
// workflow exists (NewServer).
type trackerSetup struct {
	config  *tracker.Config
	baseURL string
	sync    *workflow.Trackers
}

// WithTrackers links action items to tickets in the configured Jira and
// GitHub: the item API makes tickets, the trackers' webhooks move items,
// and people's moves are pushed to the tickets. baseURL is the address
// people reach debrief at, for the link in each ticket.
func WithTrackers(c *tracker.Config, baseURL string) Option {
	return func(s *Server) { s.trackers = trackerSetup{config: c, baseURL: baseURL} }
}

// link makes the tracker sync over the workflow, when trackers are set.
func (t *trackerSetup) link(flow *workflow.Service) {
	if t.config == nil || len(t.config.Clients()) == 0 {
		return
	}
	t.sync = workflow.NewTrackers(flow, t.baseURL, t.config.Clients()...)
}

// isTrackerWebhook reports whether the request is for a tracker's webhook,
// which authenticates itself.
func isTrackerWebhook(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, trackerWebhookPrefix) &&
		strings.HasSuffix(r.URL.Path, "/webhook")
}

// trackerRoutes are the tracker operations of the API table.
var trackerRoutes = []apiRoute{
	{"POST", "/api/v1/postmortems/{id}/actions/{number}/ticket", (*Server).apiCreateTicket,
		operation{
			id: "createActionTicket", tag: "postmortems", role: debrief.AccessContributor,
			ifMatch: true,
			summary: "Make a tracker ticket from an action item",
			description: "Creates a Jira or GitHub issue from the item (its description, " +
				"owner, due date, success metric and a link back) and links it: from " +
				"then on the ticket's status changes move the item, and the item's moves " +
				"move the ticket. If-Match is the report's version, as the ticket copies " +
				"the item's words from it. An " +
				"item has at most one ticket (409). A tracker that cannot be reached, " +
				"fails or refuses debrief's call is a 502 whose message says which.",
			body:   schemaRef("TicketRequest"),
			status: http.StatusCreated, result: schemaRef("Ticket"),
			errors: []int{400, 404, 409, 412, 415, 428, 502},
		}},
	{"POST", "/api/v1/trackers/{source}/webhook", (*Server).apiTrackerWebhook, operation{
		pathParams: []param{qEnum("source", "The tracker sending the webhook.",
			[]string{"jira", "github"})},
		id: "receiveTrackerEvent", tag: "alerts",
		summary: "Receive a Jira or GitHub issue webhook",
		description: "The tracker's own payload (see docs/trackers.md). Jira's " +
			"delivery is authenticated by its X-Hub-Signature or the ?secret= of the " +
			"URL registered; GitHub's by X-Hub-Signature-256. A status change of a " +
			"linked ticket is answered 202 and applied to its action item; any other " +
			"event, an echo of debrief's own change, or an issue no item is linked to " +
			"is answered 200 and changes nothing.",
		body:   rawBody("application/json", "The tracker's payload, at most 1 MiB."),
		result: schemaRef("TrackerReceipt"),
		errors: []int{400, 401, 404, 413},
	}},
}

// The tracker operations join the table here, beside their handlers.
// TODO: move them into apiTable and components, and the meaning of 502
// into errorMeaning, when api_routes.go, openapi_schema.go and openapi.go
// are free to edit; the order of the document is the same.
func init() {
	apiTable = append(apiTable, trackerRoutes...)
	errorMeaning[http.StatusBadGateway] = "The tracker (Jira or GitHub) could not be " +
		"reached, failed or refused debrief's call; the message says which. Nothing " +
		"was linked."
	components = append(components,
		component{"TicketRequest", typeOf[ticketRequest](), true,
			"The tracker to make the ticket in."},
		component{"Ticket", typeOf[debrief.Ticket](), false,
			"An issue in Jira or GitHub linked to an action item."},
		component{"TrackerReceipt", typeOf[trackerReceipt](), false,
			"What a tracker webhook delivery did."})
}

// ticketRequest is the body of createActionTicket.
type ticketRequest struct {
	// System is "jira" or "github".
	System string `json:"system"`
}

// trackerReceipt answers a tracker's webhook delivery.
type trackerReceipt struct {
	// Applied is true when the delivery changed the linked item or what
	// debrief knows of its ticket.
	Applied bool `json:"applied"`
}

func (s *Server) apiCreateTicket(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := actorFrom(ctx)
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 {
		s.apiFail(w, r, debrief.FieldErrorf("number", "action item number %q is not a "+
			"positive whole number", r.PathValue("number")))
		return
	}
	ref := debrief.ActionRef{PostmortemID: r.PathValue("id"), Number: n}
	var req ticketRequest
	if err := apiReadJSON(w, r, &req); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if s.trackers.sync == nil {
		s.apiFail(w, r, debrief.FieldErrorf("system", "no tracker is configured "+
			"(the trackers section of the --actions file)"))
		return
	}
	// The ticket copies the item's words, which are the report's: the
	// person must have read the report as it is now.
	version, err := apiIfMatch(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	p, err := s.flow.Get(ctx, a, ref.PostmortemID)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if p.Version != version {
		s.apiFail(w, r, &apiRefusal{status: http.StatusPreconditionFailed,
			code: codePreconditionFailed, current: p.Version, message: fmt.Sprintf(
				"the report was saved since version %d was read; read it again", version)})
		return
	}
	tk, err := s.trackers.sync.CreateTicket(ctx, a, ref, req.System)
	if trackerFailed(err) {
		s.apiTrackerFailed(w, r, err)
		return
	}
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusCreated, tk)
}

// apiTrackerFailed answers a call the tracker failed: 502 with the
// tracker's message, which apiFail would hide as it hides every 5xx.
func (s *Server) apiTrackerFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.logServerError(r, http.StatusBadGateway, err)
	s.apiJSON(w, r, http.StatusBadGateway, apiErrorBody{apiErrorDetail{Code: codeBadGateway,
		Message: debrief.ErrorMessage(err), RequestID: requestID(r.Context())}})
}

func (s *Server) apiTrackerWebhook(w http.ResponseWriter, r *http.Request) {
	system := tracker.System(r.PathValue("source"))
	var parse func(*http.Request, []byte, tracker.Secret) (*tracker.Change, error)
	var secret tracker.Secret
	if c := s.trackers.config; c != nil && s.trackers.sync != nil {
		switch {
		case system == tracker.SystemJira && c.Jira != nil:
			parse, secret = c.Jira.ParseWebhook, c.JiraWebhookSecret
		case system == tracker.SystemGitHub && c.GitHub != nil:
			parse, secret = c.GitHub.ParseWebhook, c.GitHubWebhookSecret
		}
	}
	if parse == nil {
		s.apiFail(w, r, debrief.Errorf(debrief.KindNotFound,
			"no tracker %q is configured to send webhooks here", system))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, tracker.MaxWebhookBody))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	change, err := parse(r, body, secret)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	applied := false
	if change != nil {
		if applied, err = s.trackers.sync.ApplyChange(r.Context(), *change); err != nil {
			s.apiFail(w, r, err)
			return
		}
	}
	status := http.StatusOK
	if applied {
		status = http.StatusAccepted
	}
	s.apiJSON(w, r, status, trackerReceipt{Applied: applied})
}
