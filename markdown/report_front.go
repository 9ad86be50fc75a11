package markdown

import (
	"fmt"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// frontKeysUsed are the front matter keys the reader maps to fields; the
// others go to Fields so nothing is lost. id, incident_id and uuid stay
// there too: the store keys incidents by Incident.ID, and ids from other
// systems ("1", "INC-7") would merge the incidents of unrelated reports.
var frontKeysUsed = map[string]bool{
	"title": true, "summary": true, "url": true, "archive_url": true, "links": true,
	"start_time": true, "started_at": true, "end_time": true, "ended_at": true,
	"resolved_at": true, "detected_at": true, "mitigated_at": true,
	"authors": true, "author": true, "facilitator": true,
	"product": true, "products": true, "services": true, "service": true,
	"severity": true, "priority": true, "category": true, "incident_type": true,
	"categories": true, "keywords": true, "tags": true, "status": true,
	"time_zone": true, "timezone": true, "visibility": true,
}

// readFront maps the front matter shapes seen in published collections
// (icco/postmortems: title, url, start_time, end_time, categories, keywords,
// company, product, summary) and the keys teams commonly write.
func (r *reportReader) readFront() {
	if len(r.front) == 0 {
		return
	}
	r.readFrontZone() // first, so times without a zone are read in it
	r.readFrontTimes()
	r.readFrontPeople()
	r.readFrontServices()
	r.readFrontSeverity()
	r.readFrontCategory(r.readFrontTags())
	r.readFrontStatus()
	r.readFrontVisibility()
	if s, _ := r.frontText("summary"); s != "" {
		r.pm.Summary.ExecutiveSummary = s
		r.hasSummary = true
	}
	r.title, _ = r.frontText("title")
	r.readFrontLinks()
	r.frontFields()
}

func (r *reportReader) readFrontZone() {
	for _, key := range []string{"time_zone", "timezone"} {
		if z, ok := r.frontText(key); ok && z != "" && !r.ts.SetZone(z) {
			r.reject(key, fmt.Sprintf("%q is not a time zone the reader knows", z))
		}
	}
}

func (r *reportReader) readFrontTimes() {
	inc := &r.pm.Incident
	for _, m := range []struct {
		keys []string
		t    *time.Time
	}{
		{[]string{"start_time", "started_at"}, &inc.StartedAt},
		{[]string{"detected_at"}, &inc.DetectedAt},
		{[]string{"mitigated_at"}, &inc.MitigatedAt},
		{[]string{"end_time", "ended_at", "resolved_at"}, &inc.ResolvedAt},
	} {
		for _, key := range m.keys {
			if t := r.frontTime(key); !t.IsZero() && m.t.IsZero() {
				*m.t = t
			}
		}
	}
}

func (r *reportReader) readFrontPeople() {
	for _, key := range []string{"authors", "author"} {
		r.pm.Authors = appendUnique(r.pm.Authors, r.frontNames(key)...)
	}
	if f, _ := r.frontText("facilitator"); f != "" {
		r.pm.Facilitator = f
	}
}

func (r *reportReader) readFrontServices() {
	inc := &r.pm.Incident
	for _, key := range []string{"product", "products", "services", "service"} {
		inc.Services = appendUnique(inc.Services, r.frontNames(key)...)
	}
}

func (r *reportReader) readFrontSeverity() {
	for _, key := range []string{"severity", "priority"} {
		s, ok := r.frontText(key)
		if ok && s != "" && r.pm.Incident.Severity == "" {
			r.setSeverity(s, r.frontLine(key), fmt.Sprintf("front matter %q", key))
		}
	}
}

// readFrontTags collects tags from categories, keywords and tags, and
// returns the categories for readFrontCategory.
func (r *reportReader) readFrontTags() (categories []string) {
	for _, key := range []string{"categories", "keywords", "tags"} {
		tags, _ := r.frontList(key, splitTags)
		r.pm.Tags = appendUnique(r.pm.Tags, tags...)
		if key == "categories" {
			categories = tags
		}
	}
	return categories
}

// readFrontCategory maps category (or incident_type) onto the predefined
// categories, keeping other values as custom ones; failing that, the first
// of categories that names one. "type" is left to Fields: site generators
// use it for the page layout ("type: post").
func (r *reportReader) readFrontCategory(categories []string) {
	for _, key := range []string{"category", "incident_type"} {
		c, ok := r.frontText(key)
		if !ok || c == "" || r.pm.Summary.Category != "" {
			continue
		}
		if known, found := knownCategory(c); found {
			r.setCategory(known)
		} else {
			r.setCategory(debrief.Category(c))
		}
	}
	if r.pm.Summary.Category != "" {
		return
	}
	for _, c := range categories {
		if known, found := knownCategory(c); found {
			r.setCategory(known)
			return
		}
	}
}

// frontStatuses map status words onto the report's lifecycle or, failing
// that, the incident's response.
var (
	reportStatuses = map[string]debrief.Status{
		"draft": debrief.StatusDraft, "in review": debrief.StatusInReview,
		"review": debrief.StatusInReview, "final": debrief.StatusFinal,
		"published": debrief.StatusFinal, "complete": debrief.StatusFinal,
		"completed": debrief.StatusFinal, "archived": debrief.StatusArchived,
	}
	incidentStatuses = map[string]debrief.IncidentStatus{
		"open": debrief.IncidentOpen, "ongoing": debrief.IncidentOpen,
		"investigating": debrief.IncidentOpen, "acknowledged": debrief.IncidentAcknowledged,
		"mitigated": debrief.IncidentMitigated, "monitoring": debrief.IncidentMitigated,
		"resolved": debrief.IncidentResolved, "closed": debrief.IncidentResolved,
		"fixed": debrief.IncidentResolved,
	}
)

func (r *reportReader) readFrontStatus() {
	s, ok := r.frontText("status")
	if !ok || s == "" {
		return
	}
	word := strings.Join(strings.Fields(strings.ToLower(
		strings.NewReplacer("-", " ", "_", " ").Replace(s))), " ")
	if st, found := reportStatuses[word]; found {
		r.pm.Status = st
	} else if st, found := incidentStatuses[word]; found {
		r.pm.Incident.Status = st
	} else {
		r.reject("status", fmt.Sprintf("%q is neither a report status (draft, in review, "+
			"final, archived) nor an incident status (open, mitigated, resolved…)", s))
	}
}

func (r *reportReader) readFrontVisibility() {
	v, ok := r.frontText("visibility")
	switch lower := strings.ToLower(v); {
	case !ok || v == "":
	case lower == string(debrief.VisibilityInternal) ||
		lower == string(debrief.VisibilityRestricted):
		r.pm.Visibility = debrief.Visibility(lower)
	default:
		r.reject("visibility", fmt.Sprintf("%q is neither internal nor restricted", v))
	}
}
