package sqlstore

import (
	"time"

	"github.com/debrief-oss/debrief"
)

// prepare checks p and normalises it before a write.
func prepare(p *debrief.Postmortem) error {
	if p.ID == "" {
		return debrief.Errorf(debrief.KindInvalid, "report has no id")
	}
	normalise(p)
	if err := checkWhys(p.Analysis.Whys); err != nil {
		return err
	}
	return checkActionNumbers(p.ActionItems)
}

// normalise brings p to the form in which it reads back from the store, so
// that a saved report and the one read back compare equal:
//   - times are in UTC, truncated to the microsecond PostgreSQL keeps;
//   - an empty slice or map becomes nil (the store reads none back as nil);
//   - an incident without an ID takes the report's ID;
//   - why-chains are in reading order (debrief.OrderWhys).
func normalise(p *debrief.Postmortem) {
	in := &p.Incident
	if in.ID == "" {
		in.ID = p.ID
	}
	for _, t := range append(in.Moments(), &p.Meeting.Date, &p.CreatedAt, &p.UpdatedAt) {
		*t = utc(*t)
	}
	for i := range p.Timeline {
		p.Timeline[i].Time = utc(p.Timeline[i].Time)
	}

	p.Analysis.Whys = debrief.OrderWhys(p.Analysis.Whys)
	p.Compact()
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// checkWhys refuses a why forest whose IDs are not positive and unique, whose
// parents are missing, or which loops.
func checkWhys(whys []debrief.Why) error {
	parent := make(map[int]int, len(whys))
	for _, w := range whys {
		if w.ID <= 0 {
			return debrief.Errorf(debrief.KindInvalid, "why %d: id must be positive", w.ID)
		}
		if _, dup := parent[w.ID]; dup {
			return debrief.Errorf(debrief.KindInvalid, "why %d appears twice", w.ID)
		}
		parent[w.ID] = w.ParentID
	}
	for _, w := range whys {
		steps := 0
		for id := w.ParentID; id != 0; id = parent[id] {
			if _, ok := parent[id]; !ok {
				return debrief.Errorf(debrief.KindInvalid,
					"why %d answers why %d, which does not exist", w.ID, id)
			}
			if steps++; steps > len(whys) {
				return debrief.Errorf(debrief.KindInvalid, "why %d is part of a loop", w.ID)
			}
		}
	}
	return nil
}

// checkActionNumbers refuses two action items with the same number; number 0
// means not yet numbered and may repeat.
func checkActionNumbers(items []debrief.ActionItem) error {
	seen := make(map[int]bool, len(items))
	for _, x := range items {
		if x.Number == 0 {
			continue
		}
		if seen[x.Number] {
			return debrief.Errorf(debrief.KindInvalid, "action item %d appears twice", x.Number)
		}
		seen[x.Number] = true
	}
	return nil
}
