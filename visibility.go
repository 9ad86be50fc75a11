package debrief

import "strings"

// VisibleTo reports whether the actor may read the report at all. It is the
// one rule for every surface: pages, the API, lists, facets, search and
// exports. (The stores apply the same rule in SQL, so that totals, pages and
// facet counts are counted over what the actor may see.)
//
// An internal report, or one written before visibility existed (empty), is
// visible to every signed-in actor. A restricted report is visible to
// admins and to the people it names: its authors, its facilitator, its team
// members and its meeting attendees, each matched to the actor's login name
// or display name, ignoring case and surrounding space. Whoever saved it
// last (UpdatedBy, a login name) keeps access too, so that a contributor who
// restricts a report does not lock themselves out.
//
// TODO: a restricted report is meant for the teams and people named
// (PRODUCT.md C10), but debrief has no teams yet; a team name among the
// authors or the team matches only a person whose name it is.
//
// Callers refusing a report that is not visible say it was not found, never
// that it is forbidden, so that the existence of restricted reports does
// not leak.
func (p *Postmortem) VisibleTo(a Actor) bool {
	if !a.Can(AccessViewer) {
		return false
	}
	if p.Visibility != VisibilityRestricted || a.Can(AccessAdmin) {
		return true
	}
	login := strings.TrimSpace(a.Name)
	if login != "" && strings.EqualFold(strings.TrimSpace(p.UpdatedBy), login) {
		return true
	}
	names := a.Names()
	for _, n := range p.namedPeople() {
		n = strings.TrimSpace(n)
		for _, own := range names {
			if strings.EqualFold(n, own) {
				return true
			}
		}
	}
	return false
}

// namedPeople lists the names a restricted report gives access to, besides
// whoever saved it last.
func (p *Postmortem) namedPeople() []string {
	named := make([]string, 0, len(p.Authors)+1+len(p.Team)+len(p.Meeting.Attendees))
	named = append(named, p.Authors...)
	named = append(named, p.Facilitator)
	for _, m := range p.Team {
		named = append(named, m.Name)
	}
	return append(named, p.Meeting.Attendees...)
}

// Names returns the names a report may give the actor by: the login name
// and the display name, trimmed, leaving out empty ones, so that a report
// naming nobody names nobody.
func (a Actor) Names() []string {
	var names []string
	for _, n := range []string{a.Name, a.DisplayName} {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}
