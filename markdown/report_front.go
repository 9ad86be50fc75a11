package markdown

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// frontKeysUsed are the front matter keys the reader maps to fields; other
// scalar keys go to Fields so nothing is lost.
var frontKeysUsed = map[string]bool{
	"title": true, "url": true, "archive_url": true, "start_time": true,
	"end_time": true, "categories": true, "keywords": true, "tags": true,
	"product": true, "services": true, "summary": true, "severity": true,
}

// readFront maps the front matter shapes seen in published collections
// (icco/postmortems: title, url, start_time, end_time, categories, keywords,
// company, product, summary).
func (r *reportReader) readFront() {
	if len(r.front) == 0 {
		return
	}
	inc := &r.pm.Incident
	inc.StartedAt = frontTime(r.front, "start_time")
	inc.ResolvedAt = frontTime(r.front, "end_time")
	for _, key := range []string{"product", "services"} {
		inc.Services = appendUnique(inc.Services, frontStrings(r.front, key)...)
	}
	if sev := frontString(r.front, "severity"); sev != "" {
		inc.Severity = debrief.Severity(sev)
	}
	for _, key := range []string{"categories", "keywords", "tags"} {
		r.pm.Tags = appendUnique(r.pm.Tags, frontStrings(r.front, key)...)
	}
	if s := strings.TrimSpace(frontString(r.front, "summary")); s != "" {
		r.pm.Summary.ExecutiveSummary = s
		r.hasSummary = true
	}
	if u := frontString(r.front, "url"); u != "" {
		r.pm.Links = append(r.pm.Links, debrief.Link{Title: "Original report", URL: u})
	}
	if u := frontString(r.front, "archive_url"); u != "" {
		r.pm.Links = append(r.pm.Links, debrief.Link{Title: "Archived copy", URL: u})
	}
	r.frontFields()
}

// frontFields keeps the scalar keys nothing else reads ("company", "uuid").
func (r *reportReader) frontFields() {
	keys := make([]string, 0, len(r.front))
	for k := range r.front {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if frontKeysUsed[k] {
			continue
		}
		v := frontString(r.front, k)
		if v == "" {
			continue
		}
		if r.pm.Fields == nil {
			r.pm.Fields = map[string]string{}
		}
		r.pm.Fields[k] = v
	}
}

// frontString returns a scalar front matter value as text.
func frontString(front map[string]any, key string) string {
	switch v := front[key].(type) {
	case string:
		return v
	case time.Time:
		return v.UTC().Format(time.RFC3339)
	case int, int64, float64, bool:
		return fmt.Sprint(v)
	}
	return ""
}

// frontStrings returns a list or a single scalar as strings.
func frontStrings(front map[string]any, key string) []string {
	switch v := front[key].(type) {
	case []any:
		var out []string
		for _, e := range v {
			if s := strings.TrimSpace(fmt.Sprint(e)); s != "" && e != nil {
				out = append(out, s)
			}
		}
		return out
	case string:
		if s := strings.TrimSpace(v); s != "" {
			return []string{s}
		}
	}
	return nil
}

var reFrontTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)

// frontTime reads a timestamp key: YAML gives time.Time for RFC 3339 values
// and a string for other spellings.
func frontTime(front map[string]any, key string) time.Time {
	switch v := front[key].(type) {
	case time.Time:
		return v.UTC()
	case string:
		v = strings.TrimSpace(v)
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00",
			"2006-01-02 15:04", "2006-01-02"} {
			if t, err := time.Parse(layout, v); err == nil && reFrontTime.MatchString(v) {
				return t.UTC()
			}
		}
	}
	return time.Time{}
}

func appendUnique(list []string, values ...string) []string {
	for _, v := range values {
		found := false
		for _, have := range list {
			if strings.EqualFold(have, v) {
				found = true
				break
			}
		}
		if !found {
			list = append(list, v)
		}
	}
	return list
}
