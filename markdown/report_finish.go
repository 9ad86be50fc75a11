package markdown

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

var (
	reMDLink   = regexp.MustCompile(`(!?)\[([^\]]*)\]\((https?://[^)\s]+)(?:\s+"[^"]*")?\)`)
	reAutoLink = regexp.MustCompile(`<(https?://[^>\s]+)>`)
	reBareURL  = regexp.MustCompile(`https?://[^\s<>()\[\]"'` + "`" + `|]+`)
)

// readLinks collects the links of the body (Markdown, autolinks and bare
// URLs) outside code; images are pictures, not references.
func (r *reportReader) readLinks(blocks []srcBlock) {
	seen := map[string]bool{}
	for _, l := range r.pm.Links {
		seen[l.URL] = true
	}
	add := func(title, url string) {
		url = strings.TrimRight(url, ".,;:")
		if !seen[url] {
			seen[url] = true
			r.pm.Links = append(r.pm.Links, debrief.Link{Title: cleanInline(title), URL: url})
		}
	}
	for _, b := range blocks {
		if b.kind == blockCode || b.kind == blockHTML {
			continue
		}
		text := strings.Join(b.lines, "\n")
		for _, m := range reMDLink.FindAllStringSubmatch(text, -1) {
			if m[1] == "" {
				add(m[2], m[3])
			}
		}
		text = reMDLink.ReplaceAllString(text, "")
		for _, m := range reAutoLink.FindAllStringSubmatch(text, -1) {
			add("", m[1])
		}
		text = reAutoLink.ReplaceAllString(text, "")
		for _, u := range reBareURL.FindAllString(text, -1) {
			add("", u)
		}
	}
}

// finish fills what depends on everything read: the impact, the zone, the
// severity, and the list of what was recognised.
func (r *reportReader) finish() {
	pm := r.pm
	pm.TimeZone = r.ts.Zone()
	if pm.TimeZone == "" {
		pm.TimeZone = r.commonZone()
	}
	r.readImpact(r.impact)
	deriveMoments(&pm.Incident, pm.Timeline)
	r.recogniseParts()
}

// deriveMoments fills the incident's moments that the report does not state
// from its timeline: the start from the earliest trustworthy event, the
// others from the first detection and mitigation and the last resolution.
// Moments the report states (front matter) are kept.
func deriveMoments(inc *debrief.Incident, timeline []debrief.TimelineEvent) {
	var first, detected, mitigated, resolved time.Time
	for _, e := range timeline {
		if e.Time.IsZero() || e.Flag == debrief.FlagImpossible || e.Flag == debrief.FlagOutOfOrder {
			continue
		}
		if first.IsZero() || e.Time.Before(first) {
			first = e.Time
		}
		switch e.Kind {
		case debrief.EventDetection:
			if detected.IsZero() {
				detected = e.Time
			}
		case debrief.EventMitigation:
			if mitigated.IsZero() {
				mitigated = e.Time
			}
		case debrief.EventResolution:
			resolved = e.Time
		}
	}
	setIfZero(&inc.StartedAt, first)
	setIfZero(&inc.DetectedAt, detected)
	setIfZero(&inc.MitigatedAt, mitigated)
	if !resolved.Before(inc.StartedAt) {
		setIfZero(&inc.ResolvedAt, resolved)
	}
}

func setIfZero(t *time.Time, v time.Time) {
	if t.IsZero() {
		*t = v
	}
}

// commonZone is the zone every dated event named, when the report states
// none for all of them ("16:58 UTC" on each line).
func (r *reportReader) commonZone() string {
	if len(r.zones) != 1 {
		return ""
	}
	for z := range r.zones {
		return z
	}
	return ""
}

func (r *reportReader) recogniseParts() {
	pm := r.pm
	for _, part := range []struct {
		name  string
		found bool
	}{
		{"start time", !pm.Incident.StartedAt.IsZero()},
		{"end time", !pm.Incident.ResolvedAt.IsZero()},
		{"summary", pm.Summary.ExecutiveSummary != ""},
		{"narrative", pm.Summary.Narrative != ""},
		{"impact", len(pm.Impacts) > 0},
	} {
		if part.found {
			r.recognise("%s", part.name)
		}
	}
	if r.events > 0 {
		zone := pm.TimeZone
		if zone == "" {
			zone = "zone not stated, read as UTC"
		}
		r.recognise("timeline (%d events, %s)", r.events, zone)
	}
	for _, part := range []struct {
		name string
		text string
	}{
		{"root cause", pm.Analysis.RootCause}, {"trigger", pm.Analysis.Trigger},
		{"detection", pm.Analysis.Detection}, {"resolution", pm.Analysis.Resolution},
	} {
		if part.text != "" {
			r.recognise("%s", part.name)
		}
	}
	r.recogniseCount("contributing factors", len(pm.ContributingFactors))
	r.recogniseCount("lessons", len(pm.Lessons))
	r.recogniseCount("action items", len(pm.ActionItems))
	r.recogniseCount("attendees", len(pm.Meeting.Attendees))
	r.recogniseCount("links", len(pm.Links))
	r.recogniseCount("tags", len(pm.Tags))
	r.recogniseMeta()
	sort.SliceStable(r.res.Warnings, func(i, j int) bool {
		return r.res.Warnings[i].Line < r.res.Warnings[j].Line
	})
}

// recogniseMeta lists the metadata the front matter or the body gave.
func (r *reportReader) recogniseMeta() {
	pm := r.pm
	if pm.Incident.Severity != "" {
		r.recognise("severity")
	}
	if pm.Summary.Category != "" {
		r.recognise("category")
	}
	r.recogniseCount("services", len(pm.Incident.Services))
	r.recogniseCount("authors", len(pm.Authors))
	if pm.Facilitator != "" {
		r.recognise("facilitator")
	}
}

func (r *reportReader) recogniseCount(name string, n int) {
	if n > 0 {
		r.recognise("%s (%d)", name, n)
	}
}
