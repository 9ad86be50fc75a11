package workflow

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// Action items on their way to a verified close: moves through the item's
// lifecycle, the lists people work from, and the teams that own items.

// WithTeams sets the teams that own action items (see debrief.Team): a
// team's list, and the lead an overdue item escalates to.
func WithTeams(teams []debrief.Team) Option {
	return func(s *Service) { s.teams = teams }
}

// Teams returns the configured teams.
func (s *Service) Teams() []debrief.Team { return s.teams }

// Team returns the team of that name (any case), or KindNotFound.
func (s *Service) Team(name string) (*debrief.Team, error) {
	for i := range s.teams {
		if strings.EqualFold(s.teams[i].Name, strings.TrimSpace(name)) {
			return &s.teams[i], nil
		}
	}
	return nil, debrief.Errorf(debrief.KindNotFound, "no team is named %q", name)
}

// ActionView is one action item as its page shows it: the item, its
// report's summary and its history.
type ActionView struct {
	debrief.ActionRow
	Report  *debrief.Postmortem
	History []debrief.ActionEvent
	// Next lists the moves the actor may make now.
	Next []debrief.ActionStatus
	Team *debrief.Team
}

// Action returns the item with its history, when the actor may read its
// report.
func (s *Service) Action(
	ctx context.Context,
	a debrief.Actor,
	ref debrief.ActionRef,
) (*ActionView, error) {
	p, err := s.visible(ctx, a, ref.PostmortemID)
	if err != nil {
		return nil, err
	}
	item := findItem(p, ref.Number)
	if item == nil {
		return nil, debrief.Errorf(debrief.KindNotFound, "action item %s not found", ref)
	}
	history, err := s.store.ActionEvents(ctx, ref)
	if err != nil {
		return nil, err
	}
	v := &ActionView{Report: p, History: history, Team: debrief.TeamOf(s.teams, item)}
	v.ActionRow = debrief.ActionRow{Ref: ref, Item: *item, Title: p.Title, Report: p.Status,
		Severity: p.Incident.Severity, Category: p.Incident.Category,
		Services: p.Incident.Services, IncidentID: p.Incident.ID,
		StartedAt: p.Incident.StartedAt}
	if a.Can(debrief.AccessContributor) {
		v.Next = debrief.NextActionStatuses(item.Status)
	}
	return v, nil
}

func findItem(p *debrief.Postmortem, number int) *debrief.ActionItem {
	for i := range p.ActionItems {
		if p.ActionItems[i].Number == number {
			return &p.ActionItems[i]
		}
	}
	return nil
}

// MoveAction moves the item through its lifecycle as the actor, recording
// who and when. Contributors move items; verifying is for the item's owner
// (or a facilitator recording it for them), with the closure criteria.
func (s *Service) MoveAction(
	ctx context.Context,
	a debrief.Actor,
	ref debrief.ActionRef,
	m debrief.ActionMove,
) (*debrief.ActionItem, error) {
	if !a.Can(debrief.AccessContributor) {
		return nil, debrief.Errorf(debrief.KindForbidden,
			"moving an action item needs the contributor role")
	}
	p, err := s.visible(ctx, a, ref.PostmortemID)
	if err != nil {
		return nil, err
	}
	item := findItem(p, ref.Number)
	if item == nil {
		return nil, debrief.Errorf(debrief.KindNotFound, "action item %s not found", ref)
	}
	if p.Status == debrief.StatusArchived {
		return nil, debrief.FieldErrorf("to", "report %s is archived, so its items no longer "+
			"move; an admin can bring the report back first", p.ID)
	}
	if m.To == debrief.ActionVerified && !s.MayVerify(a, item) {
		return nil, debrief.Errorf(debrief.KindForbidden, "the item's owner (%s) records "+
			"its verification; a facilitator may record it for them", ownerText(item))
	}
	if err := debrief.CheckActionMove(item, m); err != nil {
		return nil, err
	}
	return s.applyMove(ctx, ref, item, m, a.Name)
}

// applyMove stores the move made by the named actor (a person, or a tool
// such as a tracker) with the event that records it.
func (s *Service) applyMove(
	ctx context.Context,
	ref debrief.ActionRef,
	item *debrief.ActionItem,
	m debrief.ActionMove,
	by string,
) (*debrief.ActionItem, error) {
	from := item.Status
	if from == "" {
		from = debrief.ActionOpen
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	next := *item
	next.Apply(m, by, now)
	ev := debrief.ActionEvent{Ref: ref, At: now, Actor: by, Kind: debrief.ActionEventStatus,
		From: from, To: m.To, Note: strings.TrimSpace(m.Reason)}
	if m.To == debrief.ActionVerified {
		ev.Note, ev.Link = next.Closure.Result, next.Closure.Evidence
	}
	if err := s.store.MoveActionItem(ctx, ref, from, &next, ev); err != nil {
		return nil, err
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "action item moved",
		slog.String("postmortem_id", ref.PostmortemID), slog.Int("number", ref.Number),
		slog.String("to", string(m.To)))
	if s.afterMove != nil {
		s.afterMove(ctx, ref, &next)
	}
	return &next, nil
}

func ownerText(a *debrief.ActionItem) string {
	if strings.TrimSpace(a.Owner) == "" {
		return "no owner yet"
	}
	return a.Owner
}

// ActionQuery is what a list of action items asks for. Empty fields do not
// filter.
type ActionQuery struct {
	// Mine keeps the items the actor owns.
	Mine bool
	// Owner keeps the items of one person or team (by name).
	Owner string
	// Team keeps the items the team owns (by name or by its people).
	Team     string
	Service  string
	Category debrief.Category
	Quadrant string
	// Status keeps one status; "open" keeps every status before done.
	Status  string
	Overdue bool
	Stalled bool
	// PostmortemID keeps the items of one report.
	PostmortemID string

	// LateFirst puts the overdue items first, the longest overdue first,
	// ahead of the ranking: what a team lead chases.
	LateFirst bool
	// Limit and Offset select a page of the list; a Limit of zero lists
	// every item.
	Limit, Offset int
	// CellItems, when above zero, asks for the impact/effort matrix of
	// every listed item, with the first CellItems items of each cell.
	CellItems int
}

// ActionList is a ranked list of items with the date it was made on.
type ActionList struct {
	// Rows are the page asked for, or every item.
	Rows []debrief.ActionRow
	// Total counts the items on every page.
	Total int
	// Matrix is set when the query asked for it (CellItems).
	Matrix *debrief.ActionMatrix
	// Today is the date overdue is measured from ("2006-01-02").
	Today string
}

// Actions lists the items the actor may see that match the query, ranked
// as work is taken: quick wins first, prevention before mitigation, then
// by due date (see debrief.(*ActionItem).Rank). The store ranks, filters
// and pages, so a page costs the same however many items there are.
func (s *Service) Actions(
	ctx context.Context,
	a debrief.Actor,
	q ActionQuery,
) (*ActionList, error) {
	if err := canRead(a); err != nil {
		return nil, err
	}
	today := s.Today()
	f := debrief.ActionFilter{Reader: &a, Service: q.Service, Category: q.Category,
		Stalled: q.Stalled, PostmortemID: q.PostmortemID, Quadrant: q.Quadrant,
		Today: today, LateFirst: q.LateFirst, Limit: q.Limit, Offset: q.Offset}
	switch strings.TrimSpace(q.Status) {
	case "":
	case "open":
		f.Open = true
	default:
		st, err := debrief.ParseActionStatus(q.Status)
		if err != nil {
			return nil, debrief.FieldErrorf("status", "%s", debrief.ErrorMessage(err))
		}
		f.Statuses = []debrief.ActionStatus{st}
	}
	if q.Overdue {
		f.Open, f.DueBefore = true, today
	}
	if q.Mine {
		f.Owners = a.Names()
		if len(f.Owners) == 0 {
			return &ActionList{Today: today}, nil
		}
	}
	if q.Owner != "" {
		f.Owners = append(f.Owners, q.Owner)
	}
	if q.Team != "" {
		t, err := s.Team(q.Team)
		if err != nil {
			return nil, debrief.FieldErrorf("team", "%s", debrief.ErrorMessage(err))
		}
		f.Team = t
	}
	if q.Quadrant != "" && !slices.Contains(debrief.Quadrants, q.Quadrant) {
		return nil, debrief.FieldErrorf("quadrant", "unknown quadrant %q: use %s", q.Quadrant,
			strings.Join(debrief.Quadrants, ", "))
	}
	page, err := s.store.ActionPage(ctx, f, q.CellItems)
	if err != nil {
		return nil, err
	}
	return &ActionList{Rows: page.Rows, Total: page.Total, Matrix: page.Matrix,
		Today: today}, nil
}

// SortActions orders rows as work is taken (see debrief.(*ActionItem).Rank),
// then by report and number so equal ranks keep one order: the order the
// store's lists come in, for rows gathered elsewhere.
func SortActions(rows []debrief.ActionRow) {
	slices.SortStableFunc(rows, func(x, y debrief.ActionRow) int {
		xq, xp, xd := x.Item.Rank()
		yq, yp, yd := y.Item.Rank()
		switch {
		case xq != yq:
			return xq - yq
		case xp != yp:
			return xp - yp
		case xd != yd:
			return strings.Compare(xd, yd)
		case x.Ref.PostmortemID != y.Ref.PostmortemID:
			return strings.Compare(x.Ref.PostmortemID, y.Ref.PostmortemID)
		}
		return x.Ref.Number - y.Ref.Number
	})
}

// Today is the date in the policy calendar's zone, as due dates are read.
func (s *Service) Today() string {
	return s.now().In(s.policy.Calendar().Location()).Format(time.DateOnly)
}
