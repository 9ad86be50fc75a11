package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// This file writes the OpenAPI 3.1 document of the API from apiTable and
// from the Go types the handlers encode (see openapi_schema.go), so that
// what is documented is what is served.

// operation documents one route of apiTable.
type operation struct {
	id, tag              string
	summary, description string
	// role is the least role that may call the operation; "" for one that
	// needs no sign-in.
	role debrief.AccessRole
	// pathParams overrides the default description of path parameters.
	pathParams []param
	query      []param
	body       *payload
	// status is the success status; 0 means 200.
	status int
	result *payload
	// etag: the answer carries the report's version as its ETag. ifMatch:
	// the request must send If-Match. cached: If-None-Match may give 304.
	// paged: limit and offset apply, and Link names the next page.
	etag, ifMatch, cached, paged bool
	// ifMatchUnlessDryRun: If-Match is needed unless the request only reads.
	ifMatchUnlessDryRun bool
	// itemETag: the answer's ETag is an action item's tracking state, and
	// the request may send it back in If-Match.
	itemETag bool
	// alsoCreated: the operation answers 201 and Location instead when it
	// made something new.
	alsoCreated bool
	// errors lists the client errors the operation may answer, besides the
	// 401, 403 and 500 every signed-in operation may.
	errors []int
}

// param is a query or path parameter.
type param struct {
	name, typ, description string
	enum                   []string
	required               bool
}

// payload is a request or response body: a schema (JSON) or a raw media
// type with a description.
type payload struct {
	mediaType   string
	schema      map[string]any
	description string
}

func qStr(name, desc string) param  { return param{name: name, typ: "string", description: desc} }
func qInt(name, desc string) param  { return param{name: name, typ: "integer", description: desc} }
func qBool(name, desc string) param { return param{name: name, typ: "boolean", description: desc} }

func qEnum(name, desc string, values []string) param {
	return param{name: name, typ: "string", description: desc, enum: values}
}

func mustParam(p param) param { p.required = true; return p }

// schemaRef is a JSON body of a component schema.
func schemaRef(name string) *payload {
	return &payload{mediaType: "application/json", schema: refTo(name)}
}

func refTo(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// schemaOneOf is a JSON body that is one of the named component schemas.
func schemaOneOf(description string, names ...string) *payload {
	var refs []any
	for _, n := range names {
		refs = append(refs, refTo(n))
	}
	return &payload{mediaType: "application/json", description: description,
		schema: map[string]any{"oneOf": refs}}
}

func rawBody(mediaType, description string) *payload {
	return &payload{mediaType: mediaType, description: description}
}

// sectionSchemas is a body that is one of the report's sections.
func sectionSchemas() *payload {
	names := make([]string, len(workflow.Sections))
	for i, sec := range workflow.Sections {
		names[i] = sectionSchemaName(sec.Key)
	}
	return schemaOneOf("The section named in the path.", names...)
}

func reportStatusEnum() []string {
	var out []string
	for _, s := range debrief.Statuses {
		out = append(out, string(s))
	}
	return out
}

func alertSourceEnum() []string { return withEmpty(false, debrief.AlertSources) }

func incidentStatusEnum() []string {
	return []string{string(debrief.IncidentOpen), string(debrief.IncidentAcknowledged),
		string(debrief.IncidentMitigated), string(debrief.IncidentResolved)}
}

// apiOpenAPI serves the document. It needs no sign-in: it says how to
// sign in.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	doc, err := openAPIJSON()
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(doc)
}

// openAPIJSON returns the document, built on first use. It is set in init
// because the document is written from apiTable, which serves it.
var openAPIJSON func() ([]byte, error)

func init() {
	openAPIJSON = sync.OnceValues(func() ([]byte, error) {
		data, err := json.MarshalIndent(openAPIDocument(), "", "  ")
		if err != nil {
			return nil, fmt.Errorf("openapi document: %w", err)
		}
		return data, nil
	})
}

// openAPIDocument builds the document from apiTable.
func openAPIDocument() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range apiTable {
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = rt.doc.describe(rt.path)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "debrief API",
			"version": "1",
			"description": "Blameless postmortems over HTTP: reports and their sections, " +
				"incidents, revisions, people and tokens. Every error is " +
				"{\"error\": {\"code\", \"message\", \"field\"}}. Reads return the report's " +
				"version as ETag; every change to an existing report must send it back in " +
				"If-Match (428 when missing, 412 when stale), so no edit is silently lost. " +
				"A restricted report exists only for admins and the people it names (its " +
				"authors, facilitator, team and meeting attendees, and whoever saved it " +
				"last): to anyone else every route answers 404 for it, and lists, counts " +
				"and searches leave it out.",
		},
		"servers":  []any{map[string]any{"url": "/"}},
		"tags":     openAPITags(),
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}},
		"paths":    paths,
		"components": map[string]any{
			"schemas": componentSchemas(),
			"securitySchemes": map[string]any{
				"bearer": map[string]any{
					"type": "http", "scheme": "bearer",
					"description": "An API token (debrief token create, or POST /api/v1/tokens).",
				},
				"session": map[string]any{
					"type": "apiKey", "in": "cookie", "name": sessionCookieName,
					"description": "The web app's sign-in. Requests that change anything " +
						"must also send the session's CSRF token in X-CSRF-Token.",
				},
			},
		},
	}
}

// sessionCookieName is the session cookie as the document names it.
const sessionCookieName = "debrief_session"

func openAPITags() []any {
	tags := []struct{ name, desc string }{
		{"postmortems", "Reports, their sections, lifecycle, action items, search and import."},
		{"history", "Revisions of reports and the differences between them."},
		{"incidents", "Incidents, which exist before any report about them."},
		{"alerts", "Webhooks of alerting tools and the payloads they sent."},
		{"actions", "Action items across reports: ranked lists, history and lifecycle moves."},
		{"policy", "The trigger policy's decisions, waivers, learning requests and deadlines."},
		{"people", "Accounts and API tokens."},
		{"meta", "This document."},
	}
	out := make([]any, len(tags))
	for i, t := range tags {
		out[i] = map[string]any{"name": t.name, "description": t.desc}
	}
	return out
}

var pathParamPattern = regexp.MustCompile(`\{([a-z_]+)\}`)

// defaultPathParams describe the path parameters of the API by name.
var defaultPathParams = map[string]param{
	"id":      qStr("id", "The report's (or incident's) ID."),
	"section": qEnum("section", "Which section of the report.", sectionKeys()),
	"version": qInt("version", "A version of the report, from 1."),
	"number":  qInt("number", "The action item's number within its report."),
	"name":    qStr("name", "The person's login name (any case)."),
}

func sectionKeys() []string {
	keys := make([]string, len(workflow.Sections))
	for i, sec := range workflow.Sections {
		keys[i] = sec.Key
	}
	return keys
}

// describe writes the operation object of the document.
func (op operation) describe(path string) map[string]any {
	desc := op.description
	if op.role != "" {
		desc = strings.TrimSpace(desc + " Needs the " + string(op.role) + " role.")
	}
	out := map[string]any{
		"operationId": op.id,
		"summary":     op.summary,
		"tags":        []any{op.tag},
		"parameters":  op.parameters(path),
		"responses":   op.responses(),
	}
	if desc != "" {
		out["description"] = desc
	}
	if op.role == "" {
		out["security"] = []any{}
	}
	if op.body != nil {
		out["requestBody"] = map[string]any{
			"required": true,
			"content":  op.body.content(),
		}
	}
	return out
}

func (op operation) parameters(path string) []any {
	params := []any{}
	for _, m := range pathParamPattern.FindAllStringSubmatch(path, -1) {
		p := defaultPathParams[m[1]]
		for _, o := range op.pathParams {
			if o.name == m[1] {
				p = o
			}
		}
		p.required = true
		params = append(params, p.object("path"))
	}
	for _, p := range op.query {
		params = append(params, p.object("query"))
	}
	if op.paged {
		params = append(params,
			qInt("limit", "How many rows to return: 1 to 200, 50 by default.").object("query"),
			qInt("offset", "How many rows to skip, 0 by default.").object("query"))
	}
	if op.ifMatch || op.ifMatchUnlessDryRun {
		desc := "The version the change is based on, as the ETag gave it: \"7\"."
		if op.ifMatchUnlessDryRun {
			desc += " Not needed for a dry run."
		}
		params = append(params, map[string]any{
			"name": "If-Match", "in": "header", "required": op.ifMatch,
			"description": desc, "schema": map[string]any{"type": "string"},
		})
	}
	if op.itemETag && op.body != nil {
		params = append(params, map[string]any{
			"name": "If-Match", "in": "header",
			"description": "Optional: the item's ETag as read. When the item moved since, " +
				"nothing is changed and the answer is 412 with the current ETag.",
			"schema": map[string]any{"type": "string"},
		})
	}
	if op.cached {
		params = append(params, map[string]any{
			"name": "If-None-Match", "in": "header",
			"description": "An ETag from an earlier read: 304 while the version is the same.",
			"schema":      map[string]any{"type": "string"},
		})
	}
	return params
}

func (p param) object(in string) map[string]any {
	schema := map[string]any{"type": p.typ}
	if len(p.enum) > 0 {
		schema["enum"] = p.enum
	}
	out := map[string]any{"name": p.name, "in": in, "schema": schema,
		"description": p.description}
	if p.required {
		out["required"] = true
	}
	return out
}

func (b *payload) content() map[string]any {
	media := map[string]any{}
	if b.schema != nil {
		media["schema"] = b.schema
	} else {
		media["schema"] = map[string]any{"type": "string", "description": b.description}
	}
	return map[string]any{b.mediaType: media}
}

func (op operation) responses() map[string]any {
	status := op.status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	headers := map[string]any{}
	if op.etag {
		headers["ETag"] = header("The report's version, quoted: \"7\".")
	}
	if op.itemETag {
		headers["ETag"] = header("The item's tracking state: its status and last change.")
	}
	if op.paged {
		headers["Link"] = header("The next and previous pages, as rel=\"next\" and rel=\"prev\".")
	}
	if status == http.StatusCreated {
		headers["Location"] = header("The address of what was made.")
	}
	if len(headers) > 0 {
		ok["headers"] = headers
	}
	if op.result != nil {
		ok["content"] = op.result.content()
		if op.result.description != "" {
			ok["description"] = op.result.description
		}
	}
	out := map[string]any{strconv.Itoa(status): ok}
	if op.alsoCreated {
		created := map[string]any{"description": "Created"}
		for k, v := range ok {
			created[k] = v
		}
		h := map[string]any{"Location": header("The address of what was made.")}
		for k, v := range headers {
			h[k] = v
		}
		created["headers"] = h
		out["201"] = created
	}
	if op.cached {
		out["304"] = map[string]any{"description": "The version named in If-None-Match " +
			"is still the current one."}
	}
	codes := append([]int{}, op.errors...)
	if op.role != "" {
		codes = append(codes, http.StatusUnauthorized, http.StatusInternalServerError)
		if op.role != debrief.AccessViewer || op.id == "listTokens" {
			codes = append(codes, http.StatusForbidden)
		}
	}
	for _, code := range codes {
		out[strconv.Itoa(code)] = errorResponse(code)
	}
	return out
}

func header(desc string) map[string]any {
	return map[string]any{"description": desc, "schema": map[string]any{"type": "string"}}
}

// errorMeaning says what each error status means in this API.
var errorMeaning = map[int]string{
	400: "The request is invalid; field names the input at fault.",
	401: "No valid sign-in: send Authorization: Bearer <token>.",
	403: "The role of this request does not allow it.",
	404: "There is no such thing.",
	409: "The change conflicts with what is stored (an id taken, a read-only report).",
	412: "If-Match names a version that is no longer the current one. The body says the " +
		"current version and what changed; the ETag header is the current version.",
	413: "The body is larger than 8 MiB.",
	415: "The body is not of the media type the operation takes.",
	428: "The change needs an If-Match header.",
	500: "Something went wrong on the server; quote the request id.",
}

func errorResponse(code int) map[string]any {
	out := map[string]any{
		"description": errorMeaning[code],
		"content": map[string]any{
			"application/json": map[string]any{"schema": refTo("Error")},
		},
	}
	if code == http.StatusPreconditionFailed {
		out["headers"] = map[string]any{"ETag": header("The current version.")}
	}
	return out
}
