package debrief

import "regexp"

// The timeline builder and the Markdown reader both guess what an event
// was from the words a person wrote; one rule set serves both.

// kindWords guess an event's kind from its words. The first rule that
// matches wins, in this order:
//
//   - communication: status page, announced, customers notified or
//     informed, posted an update;
//   - resolution: resolved, recovered, all clear, fully restored, back to
//     normal, incident closed;
//   - mitigation: mitigated, rolled back, rollback, revert(ed), failover,
//     failed over, workaround, hotfix;
//   - escalation: escalated, paged in, acknowledged, incident declared,
//     war room;
//   - detection: alert, alarm, paged, detected, noticed, reported;
//   - action: one of a short list of verbs of doing (restarted, deployed,
//     scaled, investigated, began, ran, applied, …).
//
// So "alert resolved" is a resolution and "paged in the DBA" an
// escalation. A resolution or mitigation that the text says failed or was
// only attempted ("rollback failed") does not count; the next rule is
// tried. Text that matches nothing keeps the plain kind: the writer picks.
var kindWords = []struct {
	kind EventKind
	re   *regexp.Regexp
}{
	{EventCommunication, regexp.MustCompile(`(?i)\b(?:status ?page|announced|` +
		`announcement|(?:customers?|users?) (?:were |was )?(?:notified|informed|updated)|` +
		`notified (?:the )?(?:customers|users)|posted an update|public update)\b`)},
	{EventResolution, regexp.MustCompile(`(?i)\b(?:resolved|recovered|all[- ]clear|` +
		`fully (?:restored|operational)|service restored|back to normal|incident closed)\b`)},
	{EventMitigation, regexp.MustCompile(`(?i)\b(?:mitigated|mitigation|rolled back|` +
		`rollback|roll back|revert(?:s|ed)?|failover|failed over|fail over|workaround|` +
		`hotfix)\b`)},
	{EventEscalation, regexp.MustCompile(`(?i)\b(?:escalated|escalation|paged in|` +
		`acknowledged|ack'?ed|incident declared|declared (?:an? )?incident|war ?room)\b`)},
	{EventDetection, regexp.MustCompile(`(?i)\b(?:alerts?|alerted|alarms?|paged|` +
		`detect(?:s|ed)?|detection|notic(?:ed|es)|reported)\b`)},
	{EventAction, regexp.MustCompile(`(?i)\b(?:restart(?:ed|ing)|deploy(?:ed|ing)|` +
		`scal(?:ed|ing) (?:up|down|out)|investigat(?:ed|ing|es)|began|begins|started|ran|` +
		`appli(?:ed|es)|updated|changed|created|deleted|removed|added|opened|merged|` +
		`disabled|enabled|increased|decreased|migrated|patched|fixed|released|rebooted|` +
		`killed|drained|upgraded|identified|discovered|confirmed|checked)\b`)},
}

var (
	reFailed   = regexp.MustCompile(`(?i)\b(?:fail(?:s|ed)?|attempt(?:s|ed)?|not|unable)\b`)
	reFailover = regexp.MustCompile(`(?i)\bfail(?:ed)? over\b`)
)

// GuessEventKind guesses what an event was in the response from its text (see
// kindWords for the rules); EventOther when unsure.
func GuessEventKind(text string) EventKind {
	for _, k := range kindWords {
		if !k.re.MatchString(text) {
			continue
		}
		failed := k.kind == EventResolution || k.kind == EventMitigation
		if failed && reFailed.MatchString(reFailover.ReplaceAllString(text, "")) {
			continue
		}
		return k.kind
	}
	return EventOther
}
