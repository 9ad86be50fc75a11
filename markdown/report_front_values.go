package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief/timestamp"
)

// The helpers below read one front matter value of the shape a field needs.
// A value of another shape is never dropped in silence: reject warns,
// naming the key and its line, and keeps the value as a custom field.

// reject warns that key's value cannot fill its field and keeps it in Fields.
func (r *reportReader) reject(key, why string) {
	r.warn(r.frontLine(key), "front matter %q: %s; kept as a custom field", key, why)
	r.setField(key, yamlText(r.front[key]))
}

func (r *reportReader) setField(key, value string) {
	if value == "" {
		return
	}
	if r.pm.Fields == nil {
		r.pm.Fields = map[string]string{}
	}
	r.pm.Fields[key] = value
}

// frontLine finds the file line of a top-level front matter key, or 0. The
// YAML decoder keeps no positions for a generic map, so the block is read
// again: it starts on the file's line 2, after the opening "---".
func (r *reportReader) frontLine(key string) int {
	data := bytes.TrimPrefix(r.doc.Data, []byte("\ufeff"))
	lines := strings.Split(string(data), "\n")
	for i := 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		if l == "---" || l == "..." {
			break
		}
		name, _, ok := strings.Cut(l, ":")
		if ok && strings.Trim(strings.TrimSpace(name), `"'`) == key && !strings.HasPrefix(l, " ") {
			return i + 1
		}
	}
	return 0
}

// frontText returns key's value as text; ok is false (and the value
// rejected) when it is a list or a mapping.
func (r *reportReader) frontText(key string) (string, bool) {
	switch v := r.front[key].(type) {
	case nil:
		return "", true
	case string:
		return strings.TrimSpace(v), true
	case time.Time:
		return v.UTC().Format(time.RFC3339), true
	case []any:
		r.reject(key, "a list where one value was expected")
	case map[string]any:
		r.reject(key, "a mapping where one value was expected")
	default:
		return fmt.Sprint(v), true
	}
	return "", false
}

// frontList returns key's value as a list of texts: a YAML list of single
// values, or one text that split cuts into names ("EC2, EBS and RDS").
func (r *reportReader) frontList(key string, split func(string) []string) ([]string, bool) {
	v, isList := r.front[key].([]any)
	if !isList {
		s, ok := r.frontText(key)
		if !ok || s == "" {
			return nil, ok
		}
		return split(s), true
	}
	var out []string
	for _, e := range v {
		switch e.(type) {
		case nil:
			continue
		case []any, map[string]any:
			r.reject(key, "a list holding lists or mappings, not names")
			return nil, false
		}
		if s := strings.TrimSpace(scalarText(e)); s != "" {
			out = append(out, s)
		}
	}
	return out, true
}

// frontNames is frontList for people and services: a lone number or
// true/false is no name ("services: 42" is a slip, not a service called 42).
func (r *reportReader) frontNames(key string) []string {
	switch r.front[key].(type) {
	case nil, string, []any, map[string]any:
	default:
		r.reject(key, "a number or a yes/no where names were expected")
		return nil
	}
	names, _ := r.frontList(key, splitNames)
	return names
}

func scalarText(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.UTC().Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// yamlText writes a value as text: scalars as themselves, lists and
// mappings in YAML, so a custom field keeps what the author wrote.
func yamlText(v any) string {
	switch v.(type) {
	case nil:
		return ""
	case []any, map[string]any:
		out, err := yaml.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return strings.TrimSpace(string(out))
	}
	return strings.TrimSpace(scalarText(v))
}

var reFrontTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)

// frontTime reads a moment. YAML gives a time.Time for RFC 3339 values and
// text for other spellings, which the timestamp parser reads in the
// report's zone; an impossible or unreadable value is rejected.
func (r *reportReader) frontTime(key string) time.Time {
	switch v := r.front[key].(type) {
	case nil:
		return time.Time{}
	case time.Time:
		if !timestamp.PlausibleYear(v.Year()) {
			r.reject(key, fmt.Sprintf("the year %d is outside %d–%d",
				v.Year(), timestamp.MinYear, timestamp.MaxYear))
			return time.Time{}
		}
		return v.UTC()
	case string:
		return r.frontTimeText(key, strings.TrimSpace(v))
	}
	r.reject(key, "not a date and time")
	return time.Time{}
}

func (r *reportReader) frontTimeText(key, v string) time.Time {
	if reFrontTime.MatchString(v) {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00",
			"2006-01-02"} {
			if t, err := time.Parse(layout, v); err == nil && timestamp.PlausibleYear(t.Year()) {
				return t.UTC()
			}
		}
	}
	t := r.ts.Parse(v)
	switch {
	case t.Has(timestamp.FlagImpossible):
		r.reject(key, fmt.Sprintf("%q is not a real time (%s)", v, t.Problem))
	case t.UTC.IsZero() || t.Text != v:
		r.reject(key, fmt.Sprintf("%q is not a date and time", v))
	case t.Problem != "":
		r.warn(r.frontLine(key), "front matter %q: %s", key, t.Problem)
		return t.UTC
	default:
		return t.UTC
	}
	return time.Time{}
}

// splitNames cuts a text that lists names ("EC2, EBS, RDS", "API and
// Dashboard") into the names. Commas inside parentheses do not split
// ("Amazon Elastic Block Store (EBS)"); "and" splits only the last item, as
// in "A, B and C", so "audio and video playback" mid-list stays whole. A
// part too long to be a name means the text is prose and stays whole.
func splitNames(s string) []string {
	parts := splitOutsideParens(s, ",;")
	last := strings.TrimSpace(parts[len(parts)-1])
	last = strings.TrimPrefix(strings.TrimPrefix(last, "and "), "& ")
	parts = parts[:len(parts)-1]
	for _, p := range strings.Split(last, " and ") {
		parts = append(parts, strings.Split(p, " & ")...)
	}
	var names []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if len(strings.Fields(p)) > 6 {
			return []string{strings.TrimSpace(s)}
		}
		if p != "" {
			names = append(names, p)
		}
	}
	return names
}

// splitOutsideParens splits s at any of seps that is not inside brackets.
func splitOutsideParens(s, seps string) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range s {
		switch {
		case c == '(' || c == '[':
			depth++
		case (c == ')' || c == ']') && depth > 0:
			depth--
		case depth == 0 && strings.ContainsRune(seps, c):
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// splitTags cuts "a, b" into tags; tags may hold " and " ("cascading and
// other failures"), so only commas and semicolons split them.
func splitTags(s string) []string {
	var out []string
	for _, p := range splitOutsideParens(s, ",;") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
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
