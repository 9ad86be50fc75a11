package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/debrief-oss/debrief"
)

// openAPIDoc fetches the document as the client c.
func openAPIDoc(t *testing.T, c apiClient) map[string]any {
	t.Helper()
	res := c.call("GET", "/api/openapi.json", nil).want(t, http.StatusOK)
	var doc map[string]any
	res.decode(t, &doc)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	return doc
}

// documentedRoutes lists the document's operations as "METHOD /path".
func documentedRoutes(doc map[string]any) []string {
	var out []string
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(out)
	return out
}

var pathParam = regexp.MustCompile(`\{[a-z_]+\}`)

// exampleValues fill each path parameter for a request the mux can route.
var exampleValues = map[string]string{
	"{id}": "pm-1", "{section}": "timeline", "{version}": "1", "{number}": "1", "{name}": "ana",
	"{request}": "1", "{source}": "alertmanager",
}

// TestOpenAPIDescribesEveryRoute: the document, the route table and the
// patterns the server's mux actually routes by name the same operations,
// and no API pattern is registered in the code outside the table.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	store := openStore(t)
	srv, err := NewServer(store, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	documented := documentedRoutes(openAPIDoc(t, newAPIClient(t, ts, store,
		debrief.AccessViewer)))

	var table []string
	for _, rt := range apiTable {
		table = append(table, rt.method+" "+rt.path)
	}
	slices.Sort(table)
	if !slices.Equal(documented, table) {
		t.Errorf("document and route table differ:\ndocument %v\ntable    %v", documented, table)
	}

	// Each documented operation is what the mux routes such a request to.
	mux := srv.routes()
	for _, op := range documented {
		method, path, _ := strings.Cut(op, " ")
		target := pathParam.ReplaceAllStringFunc(path, func(p string) string {
			return exampleValues[p]
		})
		req := httptest.NewRequest(method, target, nil)
		if _, pattern := mux.Handler(req); pattern != op {
			t.Errorf("%s %s is routed to %q, not to the documented %q", method, target,
				pattern, op)
		}
	}

	// No API route is registered around the table.
	registered := regexp.MustCompile(`"((?:GET|POST|PUT|PATCH|DELETE) /api/[^"]*)"`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range registered.FindAllSubmatch(src, -1) {
			if pattern := string(m[1]); !slices.Contains(documented, pattern) {
				t.Errorf("%s registers %q, which the document does not describe", f, pattern)
			}
		}
	}
}

// TestOpenAPIDocumentNeedsNoSignIn: the document says how to sign in, so
// it must be readable without.
func TestOpenAPIDocumentNeedsNoSignIn(t *testing.T) {
	ts := testServer(t, openStore(t))
	res := apiClient{t: t, ts: ts}.call("GET", "/api/openapi.json", nil)
	res.want(t, http.StatusOK)
}

func TestOpenAPIDocumentIsComplete(t *testing.T) {
	store := openStore(t)
	ts := testServer(t, store)
	doc := openAPIDoc(t, newAPIClient(t, ts, store, debrief.AccessViewer))
	schemes := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	for _, name := range []string{"bearer", "session"} {
		if schemes[name] == nil {
			t.Errorf("no security scheme %q", name)
		}
	}
	if name := schemes["session"].(map[string]any)["name"]; name != sessionCookie {
		t.Errorf("session scheme names cookie %v, the server uses %q", name, sessionCookie)
	}
	// Every operation says what it answers, and every change to a report
	// says it needs If-Match.
	for path, item := range doc["paths"].(map[string]any) {
		for method, raw := range item.(map[string]any) {
			op := raw.(map[string]any)
			responses, _ := op["responses"].(map[string]any)
			if op["summary"] == "" || op["operationId"] == "" || len(responses) == 0 {
				t.Errorf("%s %s: summary, operationId or responses missing", method, path)
			}
			writes := method != "get" && strings.HasPrefix(path, "/api/v1/postmortems/{id}")
			if writes && !strings.Contains(mustJSON(t, op["parameters"]), `"If-Match"`) {
				t.Errorf("%s %s changes a report without If-Match", method, path)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// schemaChecker validates bodies against the document's schemas with an
// independent JSON Schema 2020-12 implementation (OpenAPI 3.1's dialect),
// so that a schema written wrongly by our own generator is caught rather
// than agreed with.
type schemaChecker struct {
	t   *testing.T
	doc map[string]any
	c   *jsonschema.Compiler
}

const docURL = "https://debrief.test/openapi.json"

func newSchemaChecker(t *testing.T, doc map[string]any) *schemaChecker {
	t.Helper()
	c := jsonschema.NewCompiler()
	raw, err := jsonschema.UnmarshalJSON(strings.NewReader(mustJSON(t, doc)))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(docURL, raw); err != nil {
		t.Fatal(err)
	}
	// Every component compiles: no reference dangles.
	for name := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
		if _, err := c.Compile(docURL + "#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
	return &schemaChecker{t: t, doc: doc, c: c}
}

// check validates a reply against the schema the document gives for the
// operation's answer with the reply's status.
func (sc *schemaChecker) check(method, path string, res apiReply) {
	sc.t.Helper()
	ptr := "#/paths/" + escapePointer(path) + "/" + strings.ToLower(method) +
		"/responses/" + strconv.Itoa(res.status) + "/content/application~1json/schema"
	schema, err := sc.c.Compile(docURL + ptr)
	if err != nil {
		sc.t.Fatalf("%s %s %d: no schema: %v", method, path, res.status, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.body))
	if err != nil {
		sc.t.Fatalf("%s %s: body is not JSON: %v", method, path, err)
	}
	if err := schema.Validate(inst); err != nil {
		sc.t.Errorf("%s %s %d does not match its schema: %v\n%s", method, path, res.status,
			err, res.body)
	}
}

// mismatch reports whether the body fails the component schema: the
// checker must be able to say no.
func (sc *schemaChecker) mismatch(component, body string) bool {
	sc.t.Helper()
	schema, err := sc.c.Compile(docURL + "#/components/schemas/" + component)
	if err != nil {
		sc.t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		sc.t.Fatal(err)
	}
	return schema.Validate(inst) != nil
}

func escapePointer(s string) string {
	s = strings.ReplaceAll(s, "~", "~0")
	s = strings.ReplaceAll(s, "/", "~1")
	return strings.NewReplacer("{", "%7B", "}", "%7D").Replace(s)
}

// TestOpenAPISchemasMatchResponses sends real requests and validates the
// answers, errors included, against the schemas the document gives them.
func TestOpenAPISchemasMatchResponses(t *testing.T) {
	store := openStore(t, fullReport())
	api := newAPIServer(t, store)
	sc := newSchemaChecker(t, openAPIDoc(t, api.viewer))
	v, c, a := api.viewer, api.contributor, api.admin
	rep := "/api/v1/postmortems/{id}"
	loc := "/api/v1/postmortems/pm-2024-031"

	for _, bad := range []struct{ component, body string }{
		{"Postmortem", `{"title": "x", "colour": "red"}`},
		{"Postmortem", `{"status": "published"}`},
		{"Postmortem", `{"timeline": [{"text": 7}]}`},
		{"Error", `{"error": {"code": "invalid"}}`},
	} {
		if !sc.mismatch(bad.component, bad.body) {
			t.Errorf("%s accepts %s", bad.component, bad.body)
		}
	}
	sc.check("GET", rep, v.call("GET", loc, nil).want(t, 200))
	sc.check("GET", "/api/v1/postmortems", v.call("GET", "/api/v1/postmortems?limit=5", nil))
	sc.check("GET", "/api/v1/search", v.call("GET", "/api/v1/search?q=checkout", nil))
	for _, key := range []string{"header", "timeline", "analysis", "action_items", "sections"} {
		sc.check("GET", rep+"/sections/{section}",
			v.call("GET", loc+"/sections/"+key, nil).want(t, 200))
	}
	sc.check("GET", rep+"/findings", v.call("GET", loc+"/findings", nil).want(t, 200))
	sc.check("GET", rep+"/action-items", v.call("GET", loc+"/action-items", nil).want(t, 200))
	sc.check("GET", rep+"/action-items/{number}",
		v.call("GET", loc+"/action-items/1", nil).want(t, 200))

	// A change, its revisions and the difference.
	sec := c.call("GET", loc+"/sections/links", nil).want(t, 200)
	var links map[string]any
	sec.decode(t, &links)
	links["tags"] = []string{"edited-by-admin"}
	a.call("PUT", loc+"/sections/links", links, "If-Match", sec.header.Get("ETag")).want(t, 200)
	revs := v.call("GET", loc+"/revisions", nil).want(t, 200)
	sc.check("GET", rep+"/revisions", revs)
	var list itemList[debrief.Revision]
	revs.decode(t, &list)
	if len(list.Items) != 2 {
		t.Fatalf("%d revisions, want 2", len(list.Items))
	}
	older, newer := list.Items[1].Version, list.Items[0].Version
	sc.check("GET", rep+"/diff", v.call("GET", fmt.Sprintf("%s/diff?from=%d&to=%d", loc,
		older, newer), nil).want(t, 200))
	sc.check("GET", rep+"/revisions/{version}",
		v.call("GET", fmt.Sprintf("%s/revisions/%d", loc, older), nil).want(t, 200))

	// Errors, the stale write with its changes among them.
	stale := a.call("PUT", loc+"/sections/links", map[string]any{"links": []any{},
		"tags": []string{"x"}}, "If-Match", versionETag(older)).want(t, 412)
	sc.check("PUT", rep+"/sections/{section}", stale)
	sc.check("PUT", rep, c.call("PUT", loc, map[string]any{}).want(t, 428))
	sc.check("GET", rep, v.call("GET", "/api/v1/postmortems/nope", nil).want(t, 404))

	// Incidents, people and tokens.
	in := c.call("POST", "/api/v1/incidents", map[string]any{"title": "Queue backlog",
		"services": []string{"queue"}, "severity": "P3"}).want(t, 201)
	sc.check("POST", "/api/v1/incidents", in)
	sc.check("GET", "/api/v1/incidents", v.call("GET", "/api/v1/incidents", nil).want(t, 200))
	sc.check("GET", "/api/v1/users/me", v.call("GET", "/api/v1/users/me", nil).want(t, 200))
	sc.check("GET", "/api/v1/users", a.call("GET", "/api/v1/users", nil).want(t, 200))
	sc.check("POST", "/api/v1/tokens", v.call("POST", "/api/v1/tokens",
		map[string]string{"label": "ci"}).want(t, 201))
	sc.check("GET", "/api/v1/tokens", v.call("GET", "/api/v1/tokens", nil).want(t, 200))
	sc.check("GET", "/api/v1/users", v.call("GET", "/api/v1/users", nil).want(t, 403))

	md := []byte("# Queue backlog\n\n## Summary\n\nThe queue backed up.\n")
	sc.check("POST", "/api/v1/imports", c.send("POST", "/api/v1/imports?source=/r/q.md",
		"text/markdown", md).want(t, 201))

}

// TestOpenAPIEnumsListEachValueOnce: a value listed twice in an enum adds
// nothing and reads as a mistake; client generators may refuse it.
func TestOpenAPIEnumsListEachValueOnce(t *testing.T) {
	store := openStore(t)
	ts := testServer(t, store)
	doc := openAPIDoc(t, newAPIClient(t, ts, store, debrief.AccessViewer))
	var visit func(at string, v any)
	visit = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if enum, ok := x["enum"].([]any); ok {
				seen := map[string]bool{}
				for _, value := range enum {
					if key := mustJSON(t, value); seen[key] {
						t.Errorf("%s/enum lists %s twice", at, key)
					} else {
						seen[key] = true
					}
				}
			}
			for k, c := range x {
				visit(at+"/"+escapePointer(k), c)
			}
		case []any:
			for i, c := range x {
				visit(at+"/"+strconv.Itoa(i), c)
			}
		}
	}
	visit("#", doc)
}
