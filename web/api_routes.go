package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/debrief-oss/debrief"
)

// apiRoute is one operation of the JSON API: how it is served and how the
// OpenAPI document describes it. apiTable registers the routes and writes
// the document, so that the two cannot drift apart.
type apiRoute struct {
	method, path string
	serve        func(*Server, http.ResponseWriter, *http.Request)
	doc          operation
}

// apiRoutes registers the JSON API under /api/v1 and its OpenAPI document.
// Anything else under /api/ is answered with a JSON error (404, or 405
// naming the methods the path has), not with the web app's HTML page.
func (s *Server) apiRoutes(mux *http.ServeMux) {
	for _, rt := range apiTable {
		serve := rt.serve
		mux.HandleFunc(rt.method+" "+rt.path, func(w http.ResponseWriter, r *http.Request) {
			serve(s, w, r)
		})
	}
	// One catch-all per method: a method-less "/api/" would conflict with
	// the web app's "GET /".
	for _, m := range apiMethods {
		mux.HandleFunc(m+" /api/", func(w http.ResponseWriter, r *http.Request) {
			s.apiNoRoute(w, r, mux)
		})
	}
}

// apiMethods are the methods the API's catch-all answers.
var apiMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// apiNoRoute answers a request no API route took: 405 with Allow when the
// path has routes for other methods, else 404.
func (s *Server) apiNoRoute(w http.ResponseWriter, r *http.Request, mux *http.ServeMux) {
	var allow []string
	for _, m := range apiMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); !strings.HasSuffix(pattern, " /api/") &&
			pattern != "" && pattern != "GET /" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		s.apiFail(w, r, debrief.Errorf(debrief.KindNotFound,
			"the API has no route %s; see /api/openapi.json", r.URL.Path))
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.apiFail(w, r, &apiRefusal{
		status: http.StatusMethodNotAllowed, code: "method_not_allowed",
		message: fmt.Sprintf("%s does not take %s; it takes %s",
			r.URL.Path, r.Method, strings.Join(allow, ", ")),
	})
}

// apiTable is every operation of the API, in the order the document lists
// them.
var apiTable = []apiRoute{
	{"GET", "/api/openapi.json", (*Server).apiOpenAPI, operation{
		id: "getOpenAPI", tag: "meta", role: "",
		summary: "This document",
		result:  rawBody("application/json", "The OpenAPI 3.1 document of this API."),
	}},

	{"GET", "/api/v1/postmortems", (*Server).apiListPostmortems, operation{
		id: "listPostmortems", tag: "postmortems", role: debrief.AccessViewer, paged: true,
		summary: "List reports",
		description: "Report summaries matching the filters, newest incident first by " +
			"default. The Link header names the next page while there is one.",
		query: []param{
			qStr("service", "Only reports on this service (any case)."),
			qStr("category", "Only reports of this incident type category (any case)."),
			qStr("severity", "Only reports of this severity: P1 to P4, or words "+
				"such as critical or minor."),
			qEnum("status", "Only reports in this lifecycle state.", reportStatusEnum()),
			qStr("tag", "Only reports with this tag (any case)."),
			qInt("year", "Only incidents that started in this year."),
			qEnum("sort", "date (newest first, the default), date_asc or title.",
				[]string{"date", "date_asc", "title"}),
		},
		result: schemaRef("PostmortemList"),
		errors: []int{400},
	}},
	{"POST", "/api/v1/postmortems", (*Server).apiCreatePostmortem, operation{
		id: "createPostmortem", tag: "postmortems", role: debrief.AccessContributor, etag: true,
		summary: "Start a report",
		description: "Send a whole report in its JSON shape, or {\"incident_id\": \"…\"} to " +
			"start a draft from a recorded incident (its header and timeline come from the " +
			"incident). A new report is always a draft at version 1; an empty id is made " +
			"from the date and the title. The Location header names the new report.",
		body:   schemaOneOf("CreatePostmortem", "Postmortem", "CreateFromIncident"),
		status: http.StatusCreated, result: schemaRef("StoredPostmortem"),
		errors: []int{400, 404, 409, 413, 415},
	}},
	{"GET", "/api/v1/postmortems/{id}", (*Server).apiGetPostmortem, operation{
		id: "getPostmortem", tag: "postmortems", role: debrief.AccessViewer, etag: true, cached: true,
		summary: "Read a report",
		description: "The ETag is the report's version. Send it back in If-Match to change " +
			"the report, or in If-None-Match to get a 304 while it has not changed.",
		result: schemaRef("StoredPostmortem"),
		errors: []int{404},
	}},
	{"PUT", "/api/v1/postmortems/{id}", (*Server).apiReplacePostmortem, operation{
		id: "replacePostmortem", tag: "postmortems", role: debrief.AccessContributor,
		etag: true, ifMatch: true,
		summary: "Replace a report",
		description: "Saves a whole new content for the report. If-Match must name the " +
			"version the content was based on: when anyone saved since, nothing is saved " +
			"and the answer is 412 with the current version and what changed. The status " +
			"changes only through transitions; version, source and times in the body are " +
			"ignored, and so are lint_overrides, which only the API sends. Unknown fields " +
			"are refused.",
		body:   schemaRef("Postmortem"),
		result: schemaRef("StoredPostmortem"),
		errors: []int{400, 404, 409, 412, 413, 415, 428},
	}},
	{"DELETE", "/api/v1/postmortems/{id}", (*Server).apiDeletePostmortem, operation{
		id: "deletePostmortem", tag: "postmortems", role: debrief.AccessAdmin, ifMatch: true,
		summary: "Delete a report for good",
		description: "If-Match must name the current version, so nobody deletes a report " +
			"whose latest changes they have not seen.",
		status: http.StatusNoContent,
		errors: []int{404, 412, 428},
	}},
	{"GET", "/api/v1/postmortems/{id}/sections/{section}", (*Server).apiGetSection,
		operation{
			id: "getSection", tag: "postmortems", role: debrief.AccessViewer, etag: true, cached: true,
			summary: "Read one section of a report",
			description: "The section's fields as they are in the whole report. The ETag " +
				"is the report's version.",
			result: sectionSchemas(),
			errors: []int{404},
		}},
	{"PUT", "/api/v1/postmortems/{id}/sections/{section}", (*Server).apiEditSection,
		operation{
			id: "editSection", tag: "postmortems", role: debrief.AccessContributor,
			etag: true, ifMatch: true,
			summary: "Replace one section of a report",
			description: "The body is the section's JSON shape; the section is replaced " +
				"whole (a field left out becomes empty) and the rest of the report is kept. " +
				"If-Match names the version the edit started from. When others saved since " +
				"but did not change this section, the edit is applied to the newer version " +
				"and succeeds: two people editing different sections do not conflict. " +
				"When this section itself changed, nothing is saved and the answer is 412 " +
				"with the current version and what changed.",
			body:   sectionSchemas(),
			result: sectionSchemas(),
			errors: []int{400, 404, 409, 412, 413, 415, 428},
		}},
	{"POST", "/api/v1/postmortems/{id}/transitions", (*Server).apiTransition, operation{
		id: "transitionPostmortem", tag: "postmortems", role: debrief.AccessContributor,
		etag: true, ifMatch: true,
		summary: "Move a report through its lifecycle",
		description: "draft → in_review → final → archived, and back where the lifecycle " +
			"allows. Going final needs a facilitator and a complete report (title, " +
			"executive summary, timeline, a contributing factor, action items with owner " +
			"and due date); reopening or archiving needs a facilitator; un-archiving an " +
			"admin. If-Match must name the current version, so nobody finalises text " +
			"they have not read. Going final is also refused (400, field override_reason) " +
			"while the blameless checker finds errors in the report, unless a " +
			"facilitator sends override_reason: the override is recorded with who, when, " +
			"why and the rules it overrode, and listed in the report's lint_overrides.",
		body:   schemaRef("Transition"),
		result: schemaRef("StoredPostmortem"),
		errors: []int{400, 403, 404, 412, 415, 428},
	}},
	{"GET", "/api/v1/postmortems/{id}/findings", (*Server).apiFindings, operation{
		id: "listFindings", tag: "postmortems", role: debrief.AccessViewer,
		summary: "Read what the blameless checker finds in a report",
		description: "Blaming language, personal identifiers (debrief's users, the " +
			"report's team and the configured roster among the names) and what the " +
			"report lacks for its status, each under its field's path with its place " +
			"and span in that field's text and a suggested rewrite, and the counts by " +
			"severity and kind.",
		result: schemaRef("Findings"),
		errors: []int{404},
	}},
	{"GET", "/api/v1/postmortems/{id}/revisions", (*Server).apiListRevisions, operation{
		id: "listRevisions", tag: "history", role: debrief.AccessViewer,
		summary:     "List a report's revisions",
		description: "Every saved version with its author and time, newest first.",
		result:      schemaRef("RevisionList"),
		errors:      []int{404},
	}},
	{"GET", "/api/v1/postmortems/{id}/revisions/{version}", (*Server).apiGetRevision,
		operation{
			id: "getRevision", tag: "history", role: debrief.AccessViewer, etag: true,
			summary: "Read a report as it was at a version",
			result:  schemaRef("Postmortem"),
			errors:  []int{400, 404},
		}},
	{"GET", "/api/v1/postmortems/{id}/diff", (*Server).apiDiff, operation{
		id: "diffRevisions", tag: "history", role: debrief.AccessViewer,
		summary: "Compare two versions of a report",
		description: "What changed from one version to another, section by section, as " +
			"lines of text; sections that did not change are left out.",
		query: []param{
			mustParam(qInt("from", "The older version.")),
			mustParam(qInt("to", "The newer version.")),
		},
		result: schemaRef("Diff"),
		errors: []int{400, 404},
	}},
	{"GET", "/api/v1/postmortems/{id}/action-items", (*Server).apiListActionItems,
		operation{
			id: "listActionItems", tag: "postmortems", role: debrief.AccessViewer, etag: true,
			summary: "List a report's action items",
			result:  schemaRef("ActionItemList"),
			errors:  []int{404},
		}},
	{"GET", "/api/v1/postmortems/{id}/action-items/{number}", (*Server).apiGetActionItem,
		operation{
			id: "getActionItem", tag: "postmortems", role: debrief.AccessViewer, etag: true,
			summary: "Read one action item",
			result:  schemaRef("ActionItem"),
			errors:  []int{400, 404},
		}},
	{"GET", "/api/v1/actions", (*Server).apiListActions, operation{
		id: "listActions", tag: "actions", role: debrief.AccessViewer, paged: true,
		summary: "List action items, ranked",
		description: "Items of the reports the caller may read, ranked as work is taken: " +
			"quick wins first, prevention before mitigation, then by due date. Open items " +
			"(not done or verified) unless status says otherwise; days_overdue counts from " +
			"today, in the policy calendar's zone.",
		query: []param{
			qStr("owner", "Only items of this owner, a person or a team (any case)."),
			qStr("team", "Only items the team owns, by its name or its people."),
			qStr("service", "Only items of reports on this service."),
			qStr("category", "Only items of reports of this incident type category."),
			qEnum("quadrant", "Only items in this quadrant of the impact/effort matrix.",
				debrief.Quadrants),
			qEnum("status", "open (the default: not done or verified), all, or one status.",
				append([]string{"all"}, withEmpty(false, debrief.ActionStatuses)...)),
			qBool("overdue", "Only items past their due date and not done."),
			qBool("stalled", "Only items marked stalled."),
			qBool("mine", "Only items whose owner is the caller."),
			qStr("postmortem", "Only the items of this report."),
		},
		result: schemaRef("ActionList"),
		errors: []int{400},
	}},
	{"GET", "/api/v1/postmortems/{id}/actions/{number}", (*Server).apiGetAction, operation{
		id: "getAction", tag: "actions", role: debrief.AccessViewer, itemETag: true,
		summary: "Read an action item with its history",
		description: "The item, its report's summary, its history (oldest first) and the " +
			"statuses the caller may move it to now.",
		result: schemaRef("ActionView"),
		errors: []int{400, 404},
	}},
	{"POST", "/api/v1/postmortems/{id}/actions/{number}/move", (*Server).apiMoveAction,
		operation{
			id: "moveAction", tag: "actions", role: debrief.AccessContributor, itemETag: true,
			summary: "Move an action item through its lifecycle",
			description: "open → in_progress → blocked (a reason is required) → done → " +
				"verified, and reopening (a reason is required). Verifying needs the " +
				"closure criteria and is for the item's owner, or a facilitator recording " +
				"it for them. The move is recorded with who and when; it is not an edit of " +
				"the report, so the report's version does not change. A move made by " +
				"someone else at the same time is 409.",
			body:   schemaRef("ActionMove"),
			result: schemaRef("ActionItem"),
			errors: []int{400, 404, 409, 412, 413, 415},
		}},
	{"GET", "/api/v1/search", (*Server).apiSearch, operation{
		id: "search", tag: "postmortems", role: debrief.AccessViewer, paged: true,
		summary: "Search reports",
		description: "Full-text search, best match first. Each snippet is plain text; " +
			"highlights lists where the matched terms are in it, as [start, end) byte " +
			"offsets.",
		query: []param{
			mustParam(qStr("q", "Words, \"phrases\", prefix* terms, -exclusions and OR.")),
			qStr("service", "Only reports on this service."),
			qStr("category", "Only reports of this incident type category."),
			qStr("severity", "Only reports of this severity."),
		},
		result: schemaRef("SearchResults"),
		errors: []int{400},
	}},
	{"POST", "/api/v1/imports", (*Server).apiImport, operation{
		id: "importMarkdown", tag: "postmortems", role: debrief.AccessContributor,
		etag: true, alsoCreated: true,
		summary: "Import a Markdown report",
		description: "The body is one Markdown document: debrief's own export (matched to " +
			"its report by the id in its front matter) or a report written by hand or by " +
			"another tool (matched by source). Importing the same document again changes " +
			"nothing; a changed document updates its report. An export whose report " +
			"changed since it was written is refused (409). A report from an export that " +
			"this server lacks is restored as exported by an admin, and started as a new " +
			"draft for anyone else.",
		query: []param{
			qStr("source", "Where the document comes from, as a path: it identifies a "+
				"hand-written report across imports. Required for documents that are not "+
				"debrief exports."),
		},
		body:   rawBody("text/markdown", "The Markdown document, UTF-8."),
		result: schemaRef("ImportResult"),
		errors: []int{400, 409, 413, 415},
	}},

	{"GET", "/api/v1/incidents", (*Server).apiListIncidents, operation{
		id: "listIncidents", tag: "incidents", role: debrief.AccessViewer, paged: true,
		summary: "List incidents",
		query: []param{
			qStr("service", "Only incidents on this service (any case)."),
			qEnum("status", "Only incidents in this state.", incidentStatusEnum()),
			qBool("without_postmortem", "Only incidents no report belongs to yet."),
		},
		result: schemaRef("IncidentList"),
		errors: []int{400},
	}},
	{"POST", "/api/v1/incidents", (*Server).apiCreateIncident, operation{
		id: "createIncident", tag: "incidents", role: debrief.AccessContributor,
		summary:     "Record an incident",
		description: "An empty id is made from the start date and the title.",
		body:        schemaRef("Incident"),
		status:      http.StatusCreated, result: schemaRef("IncidentSummary"),
		errors: []int{400, 409, 413, 415},
	}},
	{"GET", "/api/v1/incidents/{id}", (*Server).apiGetIncident, operation{
		id: "getIncident", tag: "incidents", role: debrief.AccessViewer,
		summary: "Read an incident",
		result:  schemaRef("IncidentSummary"),
		errors:  []int{404},
	}},
	{"PUT", "/api/v1/incidents/{id}", (*Server).apiReplaceIncident, operation{
		id: "replaceIncident", tag: "incidents", role: debrief.AccessContributor,
		summary: "Replace an incident",
		description: "A report about the incident shows the incident in its header, so " +
			"changing an incident that has a report is an edit of that report: it " +
			"makes a revision, needs If-Match with the report's version (428 " +
			"without, 412 when stale), and is refused (409) when the report is " +
			"archived, or (403) when it is final and the caller is not a facilitator.",
		body:   schemaRef("Incident"),
		result: schemaRef("IncidentSummary"),
		errors: []int{400, 403, 404, 409, 412, 413, 415, 428},
	}},

	{"GET", "/api/v1/incidents/{id}/events", (*Server).apiIncidentEvents, operation{
		id: "listIncidentEvents", tag: "incidents", role: debrief.AccessViewer,
		summary:     "Read the incident's alert timeline",
		description: "What its alerts said, oldest first, each with the tool's own time.",
		result:      schemaRef("IncidentEventList"),
		errors:      []int{404},
	}},
	{"GET", "/api/v1/incidents/{id}/alerts", (*Server).apiIncidentAlerts, operation{
		id: "listIncidentAlerts", tag: "incidents", role: debrief.AccessViewer,
		summary:     "Read the incident's alerts",
		description: "Each alert's latest state and span, in the order they started.",
		result:      schemaRef("AlertList"),
		errors:      []int{404},
	}},
	{"GET", "/api/v1/incidents/{id}/decisions", (*Server).apiListDecisions, operation{
		id: "listDecisions", tag: "policy", role: debrief.AccessViewer,
		summary: "Read the trigger policy's decisions on the incident",
		description: "Newest first: the first is the decision in force. Each names the " +
			"rule and the facts that made it.",
		result: schemaRef("DecisionList"),
		errors: []int{404},
	}},
	{"POST", "/api/v1/incidents/{id}/decisions", (*Server).apiDecide, operation{
		id: "decide", tag: "policy", role: debrief.AccessViewer,
		summary: "Ask the trigger policy now",
		description: "Decides on the incident's current facts and records the decision " +
			"when it differs from the last. A required postmortem for a resolved " +
			"incident without one is opened as a draft.",
		result: schemaRef("Decision"),
		errors: []int{404},
	}},
	{"GET", "/api/v1/incidents/{id}/requests", (*Server).apiListPolicyRequests, operation{
		id: "listPolicyRequests", tag: "policy", role: debrief.AccessViewer,
		summary: "Read the incident's waivers and learning requests",
		result:  schemaRef("PolicyRequestList"),
		errors:  []int{404},
	}},
	{"POST", "/api/v1/incidents/{id}/requests", (*Server).apiCreatePolicyRequest, operation{
		id: "createPolicyRequest", tag: "policy", role: debrief.AccessViewer,
		summary: "Ask for a waiver or a learning postmortem",
		description: "A waiver needs a reason and the contributor role, and applies only " +
			"where the policy lets its rule be waived; a learning request, which anyone " +
			"may make, needs a reason and an approver.",
		body:   schemaRef("NewPolicyRequest"),
		status: http.StatusCreated, result: schemaRef("PolicyAnswer"),
		errors: []int{400, 404, 413, 415},
	}},
	{"POST", "/api/v1/incidents/{id}/requests/{request}/approve",
		(*Server).apiApprovePolicyRequest, operation{
			pathParams: []param{qStr("id", "The incident's id."),
				qInt("request", "The request's number.")},
			id: "approvePolicyRequest", tag: "policy", role: debrief.AccessContributor,
			summary: "Approve a learning request",
			description: "Only the approvers the policy names may, and nobody their own " +
				"request.",
			result: schemaRef("PolicyAnswer"),
			errors: []int{400, 404, 409},
		}},
	{"POST", "/api/v1/postmortems/{id}/timeline/import", (*Server).apiImportTimeline, operation{
		pathParams: []param{qStr("id", "The report's ID.")},
		id:         "importTimeline", tag: "postmortems", role: debrief.AccessContributor, etag: true,
		ifMatchUnlessDryRun: true,
		summary:             "Add events to the timeline from text, alerts or a Slack export",
		description: "JSON: source text (pasted text or a chat log, one event per line; " +
			"times read in zone or the report's zone), alerts (the incident's alert " +
			"events) or events (given as they are). A Slack export is sent as " +
			"application/zip with channel, from, to (RFC 3339) and people (name or role) " +
			"in the query. Added events go after the timeline's own, in the source's " +
			"order; an event earlier than the one before it is flagged out_of_order, " +
			"never moved; events already there are skipped. If-Match is needed unless " +
			"dry_run (a JSON field, or a query parameter for a zip) asks only to read.",
		query: []param{
			qStr("channel", "Slack export only: the channel, by name or id."),
			qStr("from", "Slack export only: the first moment to take (RFC 3339)."),
			qStr("to", "Slack export only: the moment to stop before (RFC 3339)."),
			qEnum("people", "Slack export only: show people by name or by their role "+
				"in the report's team.", []string{"name", "role"}),
			qBool("dry_run", "Slack export only: read without saving."),
		},
		body:   schemaRef("TimelineImportRequest"),
		result: schemaRef("TimelineImportResult"),
		errors: []int{400, 404, 409, 412, 413, 415, 428},
	}},
	{"GET", "/api/v1/postmortems/{id}/deadlines", (*Server).apiDeadlines, operation{
		id: "listDeadlines", tag: "policy", role: debrief.AccessViewer,
		summary: "Read the report's deadlines",
		description: "Meeting, draft and final: when each is due by the policy and its " +
			"business calendar, and when it was done.",
		result: schemaRef("DeadlineList"),
		errors: []int{404},
	}},
	{"GET", "/api/v1/overdue", (*Server).apiOverdue, operation{
		id: "listOverdue", tag: "policy", role: debrief.AccessViewer, paged: true,
		summary:     "List overdue postmortem steps",
		description: "Steps not done and past due, the longest overdue first.",
		result:      schemaRef("OverdueList"),
		errors:      []int{400},
	}},

	{"POST", "/api/v1/lint", (*Server).apiLint, operation{
		id: "lint", tag: "postmortems", role: debrief.AccessViewer,
		summary: "Check text or a report for blaming language and personal identifiers",
		description: "Send text (with the section it belongs to) or the postmortem_id of a " +
			"report you may read. Each finding names its rule, severity, place (line and " +
			"column within the text checked, byte span) and a suggested rewrite.",
		body:   schemaRef("LintRequest"),
		result: schemaRef("LintResult"),
		errors: []int{400, 404, 413, 415},
	}},

	{"POST", "/api/v1/webhooks/{source}", (*Server).apiWebhook, operation{
		pathParams: []param{qEnum("source", "The alerting tool.", alertSourceEnum())},
		id:         "receiveAlerts", tag: "alerts", role: debrief.AccessContributor,
		summary: "Receive an alerting tool's webhook",
		description: "The tool's own payload, as it sends it (see docs/webhooks.md). " +
			"Authenticate with an API token, the source's shared secret (Bearer or " +
			"Basic password), or for PagerDuty its X-PagerDuty-Signature. The body is " +
			"stored before it is read; a body that cannot be read is kept and answered " +
			"400 with its payload_id; the same body again changes nothing.",
		body:   rawBody("application/json", "The alerting tool's payload, at most 1 MiB."),
		result: schemaRef("Receipt"),
		errors: []int{400, 404, 413},
	}},
	{"GET", "/api/v1/payloads", (*Server).apiListPayloads, operation{
		id: "listPayloads", tag: "alerts", role: debrief.AccessAdmin, paged: true,
		summary:     "List received webhook payloads",
		description: "Newest first, without bodies; status=failed lists the ingestion errors.",
		query: []param{
			qEnum("source", "Only payloads from this tool.", alertSourceEnum()),
			qEnum("status", "Only payloads in this state.",
				[]string{"received", "processed", "failed"}),
		},
		result: schemaRef("PayloadList"),
		errors: []int{400},
	}},
	{"GET", "/api/v1/payloads/{id}", (*Server).apiGetPayload, operation{
		pathParams: []param{qInt("id", "The payload's number.")},
		id:         "getPayload", tag: "alerts", role: debrief.AccessAdmin,
		summary: "Read a received payload with its body",
		result:  schemaRef("PayloadWithBody"),
		errors:  []int{404},
	}},
	{"POST", "/api/v1/payloads/{id}/reprocess", (*Server).apiReprocessPayload, operation{
		pathParams: []param{qInt("id", "The payload's number.")},
		id:         "reprocessPayload", tag: "alerts", role: debrief.AccessAdmin,
		summary:     "Read a failed payload again",
		description: "After the cause was fixed. A processed payload is 409.",
		result:      schemaRef("Receipt"),
		errors:      []int{400, 404, 409},
	}},

	{"GET", "/api/v1/users", (*Server).apiListUsers, operation{
		id: "listUsers", tag: "people", role: debrief.AccessAdmin,
		summary: "List the people who may sign in",
		result:  schemaRef("UserList"),
	}},
	{"POST", "/api/v1/users", (*Server).apiCreateUser, operation{
		id: "createUser", tag: "people", role: debrief.AccessAdmin,
		summary: "Add a person",
		description: "The password is stored as an argon2id hash; leave it out for a " +
			"person who only uses API tokens.",
		body:   schemaRef("NewUser"),
		status: http.StatusCreated, result: schemaRef("User"),
		errors: []int{400, 409, 413, 415},
	}},
	{"GET", "/api/v1/users/me", (*Server).apiMe, operation{
		id: "getMe", tag: "people", role: debrief.AccessViewer,
		summary: "Who is asking",
		description: "The signed-in person, and the role this request has (for a token, " +
			"the lower of the token's and the person's).",
		result: schemaRef("Me"),
	}},
	{"GET", "/api/v1/users/{name}", (*Server).apiGetUser, operation{
		id: "getUser", tag: "people", role: debrief.AccessAdmin,
		summary: "Read a person's account",
		result:  schemaRef("User"),
		errors:  []int{404},
	}},
	{"PATCH", "/api/v1/users/{name}", (*Server).apiUpdateUser, operation{
		id: "updateUser", tag: "people", role: debrief.AccessAdmin,
		summary: "Change a person's role or disable them",
		description: "Fields left out keep their value. Lowering the role lowers what the " +
			"person's tokens and sessions allow at once; a disabled person can neither " +
			"sign in nor use tokens. Admins cannot lower or disable themselves.",
		body:   schemaRef("UserPatch"),
		result: schemaRef("User"),
		errors: []int{400, 404, 409, 413, 415},
	}},

	{"GET", "/api/v1/tokens", (*Server).apiListTokens, operation{
		id: "listTokens", tag: "people", role: debrief.AccessViewer,
		summary:     "List API tokens",
		description: "Your own tokens, revoked ones included; an admin may name another user.",
		query:       []param{qStr("user", "Whose tokens to list (admins only).")},
		result:      schemaRef("TokenList"),
		errors:      []int{404},
	}},
	{"POST", "/api/v1/tokens", (*Server).apiCreateToken, operation{
		id: "createToken", tag: "people", role: debrief.AccessViewer,
		summary: "Make an API token",
		description: "The secret is in this answer only: it is stored as a hash and " +
			"cannot be shown again. The role is at most the role of this request; an " +
			"empty role means that role.",
		body:   schemaRef("NewToken"),
		status: http.StatusCreated, result: schemaRef("CreatedToken"),
		errors: []int{400, 413, 415},
	}},
	{"DELETE", "/api/v1/tokens/{id}", (*Server).apiRevokeToken, operation{
		pathParams: []param{qInt("id", "The token's number, as the list shows it.")},
		id:         "revokeToken", tag: "people", role: debrief.AccessViewer,
		summary:     "Revoke an API token",
		description: "Your own, or anyone's for an admin. Revoking twice changes nothing.",
		status:      http.StatusNoContent,
		errors:      []int{400, 404},
	}},
}
