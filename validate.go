package debrief

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-oss/debrief/timestamp"
)

// Limits on what a person may write into a report. They are generous for
// real reports and stop a pasted log or a hostile client from making pages
// that take seconds to render.
const (
	MaxTitleLen    = 300       // bytes of a title, a heading or a name
	MaxTextLen     = 256 << 10 // bytes of one text field
	MaxListLen     = 2000      // entries of one list: events, whys, items
	MaxReportBytes = 4 << 20   // bytes of a whole report's text
)

// Validate checks a report written by a person, through the web editor or
// the API: a title, known values for every enumerated field (a severity on
// the P1–P4 ladder, a time zone debrief can read times in), sizes within
// the limits, why-chains that form a forest, action items with unique
// numbers, dates and amounts that parse, and links that are web or mail
// addresses (so no javascript: or data: URL is ever stored). Its error
// names the field at fault.
func (p *Postmortem) Validate() error {
	v := validator{}
	v.short("title", p.Title)
	v.oneOf("status", string(p.Status), statusNames())
	v.oneOf("visibility", string(p.Visibility), []string{"", "internal", "restricted"})
	v.incident("incident.", &p.Incident)
	for i, a := range p.Authors {
		v.short(fmt.Sprintf("authors[%d]", i), a)
	}
	v.short("facilitator", p.Facilitator)
	v.short("time_zone", p.TimeZone)
	v.zone("time_zone", p.TimeZone)
	v.text("summary.executive_summary", p.Summary.ExecutiveSummary)
	v.text("summary.narrative", p.Summary.Narrative)
	v.short("summary.category", string(p.Summary.Category))
	v.timeline(p.Timeline)
	v.analysis(&p.Analysis)
	v.factors(p.ContributingFactors)
	v.impacts(p.Impacts)
	v.lessons(p.Lessons)
	v.actions(p.ActionItems)
	v.team(p)
	v.links(p.Links)
	v.list("tags", len(p.Tags))
	for i, t := range p.Tags {
		v.short(fmt.Sprintf("tags[%d]", i), t)
	}
	v.list("sections", len(p.Sections))
	for i, s := range p.Sections {
		v.short(fmt.Sprintf("sections[%d].heading", i), s.Heading)
		v.text(fmt.Sprintf("sections[%d].body", i), s.Body)
	}
	v.list("fields", len(p.Fields))
	for k, val := range p.Fields {
		v.short("fields", k)
		v.text("fields."+k, val)
	}
	if strings.TrimSpace(p.Title) == "" {
		v.fail("title", "title is empty: a report needs a title")
	}
	if v.err == nil && v.total > MaxReportBytes {
		v.fail("", fmt.Sprintf("the report holds %d KiB of text; the limit is %d KiB",
			v.total>>10, MaxReportBytes>>10))
	}
	return v.err
}

// validator collects the first problem found and the total text size.
type validator struct {
	err   error
	total int
}

func (v *validator) fail(field, msg string) {
	if v.err == nil {
		v.err = FieldErrorf(field, "%s", msg)
	}
}

func (v *validator) str(field, s string, limit int) {
	v.total += len(s)
	switch {
	case !utf8.ValidString(s):
		v.fail(field, field+" is not valid UTF-8 text")
	case strings.ContainsRune(s, 0):
		v.fail(field, field+" contains a NUL character")
	case strings.IndexFunc(s, unprintable) >= 0:
		r := []rune(s[strings.IndexFunc(s, unprintable):])[0]
		v.fail(field, fmt.Sprintf("%s contains the control character %U, which a page or "+
			"a terminal would act on instead of showing", field, r))
	case len(s) > limit:
		v.fail(field, fmt.Sprintf("%s is %d bytes long; the limit is %d", field, len(s), limit))
	}
}

func (v *validator) short(field, s string) { v.str(field, s, MaxTitleLen) }
func (v *validator) text(field, s string)  { v.str(field, s, MaxTextLen) }

func (v *validator) list(field string, n int) {
	if n > MaxListLen {
		v.fail(field, fmt.Sprintf("%s has %d entries; the limit is %d", field, n, MaxListLen))
	}
}

func (v *validator) oneOf(field, value string, allowed []string) {
	if !slices.Contains(allowed, value) {
		v.fail(field, fmt.Sprintf("%s %q is not one of %s", field, value,
			strings.Join(quoteAll(allowed), ", ")))
	}
}

func (v *validator) timeline(events []TimelineEvent) {
	v.list("timeline", len(events))
	kinds := []string{""}
	for _, k := range EventKinds {
		kinds = append(kinds, string(k))
	}
	for i, e := range events {
		f := fmt.Sprintf("timeline[%d]", i)
		v.short(f+".time_text", e.TimeText)
		v.text(f+".text", e.Text)
		v.oneOf(f+".kind", string(e.Kind), kinds)
		v.short(f+".source", e.Source)
		v.oneOf(f+".flag", e.Flag,
			[]string{"", FlagOutOfOrder, FlagImpossible, FlagUnparsed, FlagApproximate})
	}
}

func (v *validator) analysis(a *Analysis) {
	for _, f := range []struct{ name, s string }{
		{"root_cause", a.RootCause}, {"trigger", a.Trigger},
		{"detection", a.Detection}, {"resolution", a.Resolution},
	} {
		v.text("analysis."+f.name, f.s)
	}
	v.list("analysis.whys", len(a.Whys))
	kinds := []string{"", string(CauseCausal), string(CauseRoot)}
	parent := make(map[int]int, len(a.Whys))
	for i, w := range a.Whys {
		f := fmt.Sprintf("analysis.whys[%d]", i)
		v.text(f+".question", w.Question)
		v.text(f+".answer", w.Answer)
		v.oneOf(f+".kind", string(w.Kind), kinds)
		if w.ID <= 0 {
			v.fail(f+".id", fmt.Sprintf("%s.id must be a positive number", f))
		} else if _, dup := parent[w.ID]; dup {
			v.fail(f+".id", fmt.Sprintf("why %d appears twice", w.ID))
		}
		parent[w.ID] = w.ParentID
	}
	for i, w := range a.Whys {
		if _, ok := parent[w.ParentID]; w.ParentID != 0 && !ok {
			v.fail(fmt.Sprintf("analysis.whys[%d].parent_id", i),
				fmt.Sprintf("why %d answers why %d, which does not exist", w.ID, w.ParentID))
		}
	}
	v.list("analysis.causes", len(a.Causes))
	bones := []string{""}
	for _, b := range FishboneCategories {
		bones = append(bones, string(b))
	}
	for i, c := range a.Causes {
		f := fmt.Sprintf("analysis.causes[%d]", i)
		v.oneOf(f+".category", string(c.Category), bones)
		v.text(f+".text", c.Text)
		v.oneOf(f+".kind", string(c.Kind), kinds)
	}
}

func (v *validator) factors(fs []ContributingFactor) {
	v.list("contributing_factors", len(fs))
	for i, f := range fs {
		p := fmt.Sprintf("contributing_factors[%d]", i)
		v.short(p+".category", string(f.Category))
		v.text(p+".description", f.Description)
		v.text(p+".how_contributed", f.HowContributed)
	}
}

func (v *validator) impacts(is []Impact) {
	v.list("impacts", len(is))
	kinds := []string{""}
	for _, k := range ImpactKinds {
		kinds = append(kinds, string(k))
	}
	for i, im := range is {
		p := fmt.Sprintf("impacts[%d]", i)
		v.oneOf(p+".kind", string(im.Kind), kinds)
		v.text(p+".description", im.Description)
		if im.MinutesDown != nil && *im.MinutesDown < 0 {
			v.fail(p+".minutes_down", p+".minutes_down cannot be negative")
		}
		if im.UsersAffected != nil && *im.UsersAffected < 0 {
			v.fail(p+".users_affected", p+".users_affected cannot be negative")
		}
		if im.FailedTransactions != nil && *im.FailedTransactions < 0 {
			v.fail(p+".failed_transactions", p+".failed_transactions cannot be negative")
		}
		v.short(p+".money", im.Money)
		if im.Money != "" && !reMoney.MatchString(im.Money) {
			v.fail(p+".money", fmt.Sprintf("%s.money %q is not an amount: write a plain "+
				"decimal number such as 12500.00, without separators or a currency sign",
				p, im.Money))
		}
		v.short(p+".currency", im.Currency)
		if im.Currency != "" && !reCurrency.MatchString(im.Currency) {
			v.fail(p+".currency", fmt.Sprintf("%s.currency %q is not a currency code: "+
				"write three capital letters such as EUR or USD", p, im.Currency))
		}
	}
}

var (
	// reMoney is an amount as Impact.Money keeps it: digits, and a
	// decimal part after a point. A sign cannot be written, so a loss is
	// never negative.
	reMoney = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+)?$`)
	// reCurrency is the shape of an ISO 4217 code.
	reCurrency = regexp.MustCompile(`^[A-Z]{3}$`)
)

// severity accepts a severity on the default ladder, or none. People's
// words for it are put on the ladder before (NormalizeSeverity).
func (v *validator) severity(field string, s Severity) {
	v.short(field, string(s))
	if s != "" && !slices.Contains(DefaultSeverities, s) {
		v.fail(field, severityProblem(field, string(s)))
	}
}

// zone accepts a time zone the timeline's times can be read in: an IANA
// name that loads, or an abbreviation, region word or offset the
// timestamp package knows.
func (v *validator) zone(field, name string) {
	if name == "" {
		return
	}
	if _, _, ok := timestamp.LookupZone(name); !ok {
		v.fail(field, fmt.Sprintf("%s %q is not a time zone debrief knows: write an IANA "+
			"name such as Europe/Copenhagen, an abbreviation such as CET, or UTC",
			field, name))
	}
}

func (v *validator) lessons(ls []Lesson) {
	v.list("lessons", len(ls))
	kinds := make([]string, 0, len(LessonKinds))
	for _, k := range LessonKinds {
		kinds = append(kinds, string(k))
	}
	for i, l := range ls {
		p := fmt.Sprintf("lessons[%d]", i)
		v.oneOf(p+".kind", string(l.Kind), kinds)
		v.text(p+".text", l.Text)
	}
}

func (v *validator) actions(items []ActionItem) {
	v.list("action_items", len(items))
	seen := make(map[int]bool, len(items))
	for i, a := range items {
		p := fmt.Sprintf("action_items[%d]", i)
		if a.Number < 0 {
			v.fail(p+".number", p+".number cannot be negative")
		}
		if a.Number > 0 && seen[a.Number] {
			v.fail(p+".number", fmt.Sprintf("action item %d appears twice", a.Number))
		}
		seen[a.Number] = true
		v.text(p+".description", a.Description)
		v.short(p+".owner", a.Owner)
		if a.Due != "" {
			// Calendar feeds and day counts need a date with a next day in
			// four digits; 1900 keeps out typing slips such as 0026.
			if d, err := time.Parse(time.DateOnly, a.Due); err != nil || d.Year() < 1900 ||
				d.Year() > 9998 {
				v.fail(p+".due", fmt.Sprintf("%s.due %q is not a date like 2026-01-31 "+
					"(years 1900 to 9998)", p, a.Due))
			}
		}
		levels := []string{"", string(LevelLow), string(LevelMedium), string(LevelHigh)}
		v.oneOf(p+".impact", string(a.Impact), levels)
		v.oneOf(p+".effort", string(a.Effort), levels)
		v.oneOf(p+".purpose", string(a.Purpose),
			[]string{"", string(PurposePrevention), string(PurposeMitigation)})
		v.oneOf(p+".status", string(a.Status), []string{"", string(ActionOpen),
			string(ActionInProgress), string(ActionBlocked), string(ActionDone),
			string(ActionVerified)})
		v.short(p+".category", string(a.Category))
		v.text(p+".success_metric", a.SuccessMetric)
		v.text(p+".verification", a.Verification)
		v.text(p+".blocked_reason", a.BlockedReason)
		if a.TrackerURL != "" {
			v.url(p+".tracker_url", a.TrackerURL)
		}
	}
}

func (v *validator) team(p *Postmortem) {
	v.list("team", len(p.Team))
	for i, m := range p.Team {
		f := fmt.Sprintf("team[%d]", i)
		v.short(f+".name", m.Name)
		v.short(f+".role", string(m.Role))
	}
	v.list("meeting.attendees", len(p.Meeting.Attendees))
	for i, a := range p.Meeting.Attendees {
		v.short(fmt.Sprintf("meeting.attendees[%d]", i), a)
	}
	v.text("meeting.notes", p.Meeting.Notes)
}

func (v *validator) links(ls []Link) {
	v.list("links", len(ls))
	for i, l := range ls {
		f := fmt.Sprintf("links[%d]", i)
		v.short(f+".title", l.Title)
		v.url(f+".url", l.URL)
	}
}

// url accepts absolute http, https and mailto addresses only.
func (v *validator) url(field, s string) {
	v.str(field, s, 4096)
	u, err := url.Parse(s)
	if err != nil || !slices.Contains([]string{"http", "https", "mailto"}, u.Scheme) ||
		(u.Scheme != "mailto" && u.Host == "") {
		v.fail(field, fmt.Sprintf("%s %q is not an http, https or mailto address", field, s))
	}
}

func statusNames() []string {
	names := make([]string, len(Statuses))
	for i, s := range Statuses {
		names[i] = string(s)
	}
	return names
}

func quoteAll(ss []string) []string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return q
}

// unprintable reports whether r is a character text must not carry:
// control characters other than tab and line breaks (escape sequences act
// on terminals; two of them mark search matches) and the bidirectional
// overrides, which reorder the text that follows them on screen.
func unprintable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case unicode.IsControl(r):
		return true
	}
	return r >= '\u202a' && r <= '\u202e'
}
