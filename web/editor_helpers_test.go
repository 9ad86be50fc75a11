package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/debrief-oss/debrief"
)

// editorServer starts the web app over a real SQLite store holding the
// reports.
func editorServer(t *testing.T, reports ...*debrief.Postmortem) (*httptest.Server, Store) {
	t.Helper()
	store := openStore(t, reports...)
	return testServer(t, store), store
}

// draftReport is fullReport as a draft, which contributors may edit.
func draftReport() *debrief.Postmortem {
	p := fullReport()
	p.Status = debrief.StatusDraft
	return p
}

// stored reads a report back from the store.
func stored(t *testing.T, store Store, id string) *debrief.Postmortem {
	t.Helper()
	p, err := store.Postmortem(context.Background(), id)
	if err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	return p
}

// formValues returns what a browser would send for the form with the given
// action on the page: every named input, text area and select with its
// current value, ticked check boxes only.
func formValues(t *testing.T, page, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	form := findElement(doc, func(n *html.Node) bool {
		return n.Data == "form" && attr(n, "action") == action
	})
	if form == nil {
		t.Fatalf("no form with action %q on the page:\n%s", action, page)
	}
	vals := url.Values{}
	walk(form, func(n *html.Node) {
		name := attr(n, "name")
		if n.Type != html.ElementNode || name == "" {
			return
		}
		switch n.Data {
		case "input":
			typ := attr(n, "type")
			if (typ == "checkbox" || typ == "radio") && !hasAttr(n, "checked") {
				return
			}
			v := attr(n, "value")
			if typ == "checkbox" && !hasAttr(n, "value") {
				v = "on"
			}
			vals.Add(name, v)
		case "textarea":
			vals.Add(name, strings.TrimPrefix(textOf(n), "\n"))
		case "select":
			vals.Add(name, selectedOption(n))
		}
	})
	return vals
}

func selectedOption(sel *html.Node) string {
	first, chosen := "", ""
	var seen bool
	walk(sel, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "option" {
			return
		}
		v := attr(n, "value")
		if !seen {
			first, seen = v, true
		}
		if hasAttr(n, "selected") && chosen == "" {
			chosen = v
		}
	})
	if chosen != "" {
		return chosen
	}
	return first
}

func findElement(n *html.Node, match func(*html.Node) bool) *html.Node {
	var found *html.Node
	walk(n, func(c *html.Node) {
		if found == nil && c.Type == html.ElementNode && match(c) {
			found = c
		}
	})
	return found
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// openForm loads the page and returns the values of its form with the
// action, failing the test unless the page answers 200.
func (b *browser) openForm(page, action string) url.Values {
	b.t.Helper()
	res, body := b.get(page)
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: status %d\n%s", page, res.StatusCode, body)
	}
	return formValues(b.t, body, action)
}

// change sets form inputs; an empty value list removes the input, as an
// unticked box does.
func change(form url.Values, set map[string]string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = append([]string(nil), v...)
	}
	for k, v := range set {
		out.Set(k, v)
	}
	return out
}

// editSection opens a section's editor, changes the inputs and saves.
func (b *browser) editSection(id, key string, set map[string]string) (*http.Response, string) {
	b.t.Helper()
	path := sectionURL(id, key)
	return b.post(path, change(b.openForm(path, path), set))
}

// assertSaved checks that a save answered 303 to the section on the report.
func assertSaved(t *testing.T, res *http.Response, body, id, key string) {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save %s: status %d, want 303\n%s", key, res.StatusCode, body)
	}
	want := reportURL(id) + "#" + sectionAnchors[key]
	if got := res.Header.Get("Location"); got != want {
		t.Errorf("save %s: redirect to %q, want %q", key, got, want)
	}
}

// fieldErrorOf returns the error message shown with the input, and checks
// that the input points to it with aria-describedby.
func fieldErrorOf(t *testing.T, page, name string) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	ctl := findElement(doc, func(n *html.Node) bool {
		return attr(n, "name") == name && n.Data != "form"
	})
	if ctl == nil {
		t.Fatalf("no input %q on the page", name)
	}
	msg := findElement(doc, func(n *html.Node) bool { return attr(n, "id") == "err-"+name })
	if msg == nil {
		return ""
	}
	if !strings.Contains(attr(ctl, "aria-describedby"), "err-"+name) ||
		attr(ctl, "aria-invalid") != "true" {
		t.Errorf("input %q is not tied to its error (aria-describedby %q, aria-invalid %q)",
			name, attr(ctl, "aria-describedby"), attr(ctl, "aria-invalid"))
	}
	return strings.TrimPrefix(textOf(msg), "Error: ")
}

// assertNoActiveMarkup parses a page and fails on anything in it that
// would run: event-handler attributes, javascript: addresses and script
// elements other than the server's own.
func assertNoActiveMarkup(t *testing.T, what, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") {
				t.Errorf("%s: <%s> has an event handler %s=%q", what, n.Data, a.Key, a.Val)
			}
			if (key == "href" || key == "src" || key == "action" || key == "formaction") &&
				strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("%s: <%s %s=%q>", what, n.Data, a.Key, a.Val)
			}
		}
		if n.Data == "script" && !strings.HasPrefix(attr(n, "src"), "/static/app.") {
			t.Errorf("%s: foreign script element", what)
		}
	})
}

// restore writes a report into the store exactly as given, as an import
// or another process would.
func restore(t *testing.T, store Store, p *debrief.Postmortem) {
	t.Helper()
	if err := store.RestorePostmortem(context.Background(), p); err != nil {
		t.Fatalf("restore %s: %v", p.ID, err)
	}
}
