package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/clipperhouse/uax29/v2/graphemes"

	"github.com/debrief-oss/debrief"
)

// Completeness lists what a report still lacks, as a facilitator reading it
// would: the sections every postmortem needs, a detection event on the
// timeline, a contributing factor, an impact with a number, and action
// items a team can act on — each with an owner, a due date and a success
// metric, and worded so that someone can tell when it is done.
//
// A missing part is an error in a report that says it is final (or
// archived), which should have it, and a warning in one still being
// written.
func Completeness(p *debrief.Postmortem) []Finding {
	var out []Finding
	final := p.Status == debrief.StatusFinal || p.Status == debrief.StatusArchived
	add := func(rule string, sev Severity, section, msg, hint string) {
		if sev == Error && !final {
			sev = Warning
		}
		out = append(out, Finding{Rule: rule, Severity: sev, Section: section,
			Message: msg, Suggestion: hint})
	}
	if strings.TrimSpace(p.Summary.ExecutiveSummary) == "" {
		add("complete.summary", Error, "summary.executive_summary",
			"the executive summary is empty",
			"Say in two or three sentences what happened, what it cost and what changes.")
	}
	if len(p.Timeline) == 0 {
		add("complete.timeline", Error, "timeline", "the timeline is empty",
			"Add the events from detection to resolution, with their times.")
	} else if !hasKind(p.Timeline, debrief.EventDetection) {
		add("complete.detection", Warning, "timeline", "no timeline event is a detection",
			"Mark the event where the problem was first noticed (an alert, a report) "+
				"as detection, so time to detect can be measured.")
	}
	if len(p.ContributingFactors) == 0 {
		add("complete.contributing-factor", Error, "contributing_factors",
			"no contributing factor is named",
			"Name at least one condition that made the incident possible or worse.")
	}
	if len(p.Impacts) > 0 && !anyQuantity(p.Impacts) {
		add("complete.impact-quantity", Warning, "impacts",
			"the impact has no number: minutes down, users affected, failed "+
				"transactions or money", "Give at least one quantity, even an estimate.")
	}
	if len(p.ActionItems) == 0 {
		add("complete.action-items", Error, "action_items", "there are no action items",
			"Turn each contributing factor into at least one change someone owns.")
	}
	for i, ai := range p.ActionItems {
		out = append(out, actionItemFindings(i, &ai)...)
	}
	return out
}

func hasKind(events []debrief.TimelineEvent, k debrief.EventKind) bool {
	for _, e := range events {
		if e.Kind == k {
			return true
		}
	}
	return false
}

// reQuantity is a quantity written in words: an amount of money, a
// percentage, or a number followed by what it counts ("42 minutes", "1,200
// orders"). A date or a time ("2026-03-06", "14:02") is no quantity.
var reQuantity = regexp.MustCompile(`[$€£¥]\s?\d|(?:^|[^\w.:/-])\d[\d,.]*` +
	`(?:\s?%|\s?(?:k|m|bn)?\s+(?:per\s+)?\pL)`)

func anyQuantity(impacts []debrief.Impact) bool {
	for _, im := range impacts {
		if im.MinutesDown != nil || im.UsersAffected != nil || im.FailedTransactions != nil ||
			strings.TrimSpace(im.Money) != "" || reQuantity.MatchString(im.Description) {
			return true
		}
	}
	return false
}

// vagueActions are wordings that name no change one could check is done:
// an intention ("improve", "look into"), an exhortation ("be more
// careful"), or a promise to keep doing ("continue to monitor").
var vagueActions = []struct {
	re   *regexp.Regexp
	hint string
}{
	{regexp.MustCompile(`(?i)^\s*(?:improve|enhance|better|strengthen|optimi[sz]e|review)\b`),
		"name the change and how to tell it is done, e.g. \"alert when p99 latency of " +
			"checkout exceeds 2 s for 5 minutes\" rather than \"improve monitoring\""},
	{regexp.MustCompile(`(?i)\b(?:look into|investigate|consider|explore|think about|` +
		`evaluate)\b`),
		"say what decision the investigation ends in, by when, e.g. \"decide whether to " +
			"shard the queue (write-up by 14 March)\""},
	{regexp.MustCompile(`(?i)\b(?:be (?:more )?careful|pay (?:more |closer )?attention|` +
		`remember to|double[- ]check|try harder)\b`),
		"ask of the system, not of people: what check, guard or automation makes the " +
			"careful path the easy one?"},
	{regexp.MustCompile(`(?i)\b(?:happens?|occurs?|recurs?|happening) again\b`),
		"promising it will not happen again names no change: say what check, guard or " +
			"automation stops it"},
	{regexp.MustCompile(`(?i)^\s*(?:add|write|do|have) more (?:\w+\s*){1,2}$`),
		"say which ones and what they catch, e.g. \"a test that restores last night's " +
			"backup\" rather than \"add more tests\""},
	{regexp.MustCompile(`(?i)^\s*(?:continue|keep) (?:to )?(?:monitor|watch|track)`),
		"monitoring that continues is not a change: say what will alert, or drop the item"},
}

// actionItemFindings checks one action item against the SMART qualities
// the guide asks for: an owner, a date, a measure of success, and wording
// specific enough to tell when it is done.
func actionItemFindings(i int, ai *debrief.ActionItem) []Finding {
	section := fmt.Sprintf("action_items[%d]", i)
	var out []Finding
	missing := func(field, what, hint string) {
		out = append(out, Finding{Rule: "complete.action-" + field, Severity: Warning,
			Section: section + "." + field,
			Message: fmt.Sprintf("action item %d has no %s", ai.Number, what), Suggestion: hint})
	}
	if strings.TrimSpace(ai.Owner) == "" {
		missing("owner", "owner", "Name the person or team who will do it.")
	}
	if strings.TrimSpace(ai.Due) == "" {
		missing("due", "due date", "Set a date; a change without one waits for ever.")
	}
	if strings.TrimSpace(ai.SuccessMetric) == "" {
		missing("success_metric", "success metric",
			"Say how you will know it worked, e.g. \"zero pages for disk full in 90 days\".")
	}
	for _, v := range vagueActions {
		if v.re.MatchString(ai.Description) {
			out = append(out, Finding{Rule: "complete.action-vague", Severity: Warning,
				Section: section + ".description",
				Message: fmt.Sprintf("action item %d is vague: %q", ai.Number,
					shortText(ai.Description, 80)),
				Suggestion: sentence(v.hint)})
			break
		}
	}
	return out
}

// sentence capitalises a hint and ends it with a full stop unless it ends
// with a question mark.
func sentence(hint string) string {
	s := strings.ToUpper(hint[:1]) + hint[1:]
	if !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

// shortText cuts s to at most n characters as a reader counts them
// (grapheme clusters, so an accent or a flag is never split), with an
// ellipsis when cut.
func shortText(s string, n int) string {
	s = strings.TrimSpace(s)
	it := graphemes.FromString(s)
	count, cut := 0, len(s)
	for it.Next() {
		if count == n-1 {
			cut = it.Start()
		}
		count++
	}
	if count <= n {
		return s
	}
	return s[:cut] + "…"
}
