package policy

import (
	"time"

	"github.com/debrief-oss/debrief"
)

// Deadlines returns when the meeting, the draft and the final report are
// due, in that order, each with the rule that set it ("48 hours after
// resolution", "5 business days after the meeting"). Days and business
// days are counted on the policy's calendar at the local wall time of the
// moment they count from (see package calendar); hours are elapsed time.
// A step that counts from the meeting counts from meetingAt when the
// meeting has taken place, and from the meeting's deadline while it has not
// (meetingAt zero), saying so ("… after the meeting's deadline"). An
// incident not resolved (resolvedAt zero) has no deadlines yet: nil. The
// caller sets PostmortemID and MetAt.
func (p *Policy) Deadlines(resolvedAt, meetingAt time.Time) []debrief.Deadline {
	if resolvedAt.IsZero() {
		return nil
	}
	meetingDue := resolvedAt
	for _, r := range p.deadlines {
		if r.kind == debrief.DeadlineMeeting {
			meetingDue = p.cal.Add(resolvedAt, r.within)
		}
	}
	ds := make([]debrief.Deadline, 0, len(p.deadlines))
	for _, r := range p.deadlines {
		from, rule := resolvedAt.In(p.cal.Location()), r.within.String()+" after resolution"
		switch {
		case r.after == afterMeeting && !meetingAt.IsZero():
			from, rule = meetingAt, r.within.String()+" after the meeting"
		case r.after == afterMeeting:
			from, rule = meetingDue, r.within.String()+" after the meeting's deadline"
		}
		ds = append(ds, debrief.Deadline{Kind: r.kind, Due: p.cal.Add(from, r.within),
			Rule: rule})
	}
	keepFinalAfterDraft(ds)
	return ds
}

// keepFinalAfterDraft moves the final report's deadline to the draft's when
// it would fall before it: business days skip weekends and holidays, and
// five of them can outlast seven calendar days (after a Friday meeting,
// say). A final report due before its draft would be a deadline nobody
// can meet.
func keepFinalAfterDraft(ds []debrief.Deadline) {
	var draft *debrief.Deadline
	for i := range ds {
		switch ds[i].Kind {
		case debrief.DeadlineDraft:
			draft = &ds[i]
		case debrief.DeadlineFinal:
			if draft != nil && ds[i].Due.Before(draft.Due) {
				ds[i].Due = draft.Due
				ds[i].Rule += ", but not before the draft's"
			}
		}
	}
}
