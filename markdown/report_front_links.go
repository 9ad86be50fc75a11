package markdown

import (
	"fmt"
	"sort"
	"strings"

	"github.com/debrief-oss/debrief"
)

// readFrontLinks takes url and archive_url, then links: a list of URLs, of
// {title, url} mappings, or one mapping of titles to URLs.
func (r *reportReader) readFrontLinks() {
	if u, _ := r.frontText("url"); u != "" {
		r.addFrontLink("Original report", u)
	}
	if u, _ := r.frontText("archive_url"); u != "" {
		r.addFrontLink("Archived copy", u)
	}
	switch v := r.front["links"].(type) {
	case nil:
	case string:
		r.addFrontLink("", strings.TrimSpace(v))
	case []any:
		for i, e := range v {
			if !r.frontLinkItem(e) {
				r.reject("links", fmt.Sprintf("item %d is neither a URL nor a mapping "+
					"with a url", i+1))
				return
			}
		}
	case map[string]any:
		r.frontLinkMap(v)
	default:
		r.reject("links", "not a list of links")
	}
}

// frontLinkItem adds one item of a links list; false when it holds no URL.
func (r *reportReader) frontLinkItem(e any) bool {
	switch v := e.(type) {
	case string:
		if v = strings.TrimSpace(v); v != "" {
			r.addFrontLink("", v)
			return true
		}
	case map[string]any:
		url := firstText(v, "url", "href", "link")
		if url != "" {
			r.addFrontLink(firstText(v, "title", "name", "text"), url)
			return true
		}
	}
	return false
}

// frontLinkMap reads "links: {Ticket: https://…, Dashboard: https://…}".
func (r *reportReader) frontLinkMap(m map[string]any) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if u, ok := m[k].(string); !ok || strings.TrimSpace(u) == "" {
			r.reject("links", fmt.Sprintf("%q has no URL", k))
			return
		}
	}
	for _, k := range keys {
		r.addFrontLink(k, strings.TrimSpace(m[k].(string)))
	}
}

func firstText(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func (r *reportReader) addFrontLink(title, url string) {
	for _, l := range r.pm.Links {
		if l.URL == url {
			return
		}
	}
	r.pm.Links = append(r.pm.Links, debrief.Link{Title: title, URL: url})
}

// frontFields keeps the keys nothing else reads ("company", "uuid"): single
// values as text, lists and mappings as YAML.
func (r *reportReader) frontFields() {
	keys := make([]string, 0, len(r.front))
	for k := range r.front {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !frontKeysUsed[k] {
			r.setField(k, yamlText(r.front[k]))
		}
	}
}
