package escalation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/notify"
)

// Store is what the runner needs of storage.
type Store interface {
	debrief.ActionStore
	Users(ctx context.Context) ([]debrief.User, error)
	// StepsTaken lists the steps taken by debrief.StepKey, so that a scan
	// tries only new ones.
	StepsTaken(ctx context.Context) (map[string]bool, error)
	// IncidentRestricted reports whether a report of the incident is
	// restricted, so a recheck note does not name it.
	IncidentRestricted(ctx context.Context, incidentID string) (bool, error)
	Postmortem(ctx context.Context, id string) (*debrief.Postmortem, error)
}

// Runner takes escalation steps and delivers the notifications they queue.
type Runner struct {
	Store    Store
	Config   *Config
	Channels map[string]notify.Channel
	// Zone is where due dates are read; nil is UTC.
	Zone *time.Location
	// Now is the clock; nil is time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// Lease is how long a claimed delivery is kept from other workers; a
	// worker that dies mid-send leaves it to be sent again after this.
	Lease time.Duration
	// Retry spaces the attempts of a failing delivery; MaxAttempts ends
	// them.
	Retry       notify.RetryPolicy
	MaxAttempts int
	// SendTimeout bounds one attempt.
	SendTimeout time.Duration
	// Poll, when set, runs on each of Run's rounds before the scan: the
	// trackers' statuses are read, so that an item finished in Jira is not
	// escalated as overdue.
	Poll func(ctx context.Context) error
}

const actorName = "debrief"

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (r *Runner) today() string {
	zone := r.Zone
	if zone == nil {
		zone = time.UTC
	}
	return r.now().In(zone).Format(time.DateOnly)
}

// Scan takes every escalation step that is due now and not yet taken, and
// returns how many it took. A step that would tell nobody (no channel is
// routed for it, or nobody told has an address) is left for a later scan,
// so configuring notifications later still sends it; stalled and recheck
// marks are taken regardless.
func (r *Runner) Scan(ctx context.Context) (int, error) {
	sc := &scan{r: r, ctx: ctx, reports: map[string]*debrief.Postmortem{}}
	var err error
	if sc.users, err = r.Store.Users(ctx); err != nil {
		return 0, err
	}
	if sc.done, err = r.Store.StepsTaken(ctx); err != nil {
		return 0, err
	}
	open, err := r.Store.ActionItems(ctx, debrief.ActionFilter{Open: true})
	if err != nil {
		return 0, err
	}
	for i := range open {
		if open[i].Report == debrief.StatusArchived {
			continue // an archived report is history: nobody is chased for it
		}
		if err := sc.overdue(&open[i]); err != nil {
			return sc.taken, err
		}
		if err := sc.stalled(&open[i]); err != nil {
			return sc.taken, err
		}
	}
	return sc.taken, sc.rechecks()
}

// scan is one Scan's state: the people, the steps taken before, and the
// reports read so far (only those with a new step are read).
type scan struct {
	r       *Runner
	ctx     context.Context
	users   []debrief.User
	done    map[string]bool
	reports map[string]*debrief.Postmortem
	taken   int
}

// isNew reports whether the step was not taken before.
func (sc *scan) isNew(ref debrief.ActionRef, name string) bool {
	return !sc.done[debrief.StepKey(ref, name)]
}

// overdue takes the steps an overdue item has reached. A step's name
// carries the due date, so an item given a new date climbs again.
func (sc *scan) overdue(row *debrief.ActionRow) error {
	days := row.Item.DaysOverdue(sc.r.today())
	for _, st := range sc.r.Config.Steps {
		name := st.Name + "@" + row.Item.Due
		if days < int(st.AfterDays) || !sc.isNew(row.Ref, name) {
			continue
		}
		if len(sc.r.Config.routes(sc.r.Config.teamOf(&row.Item), st.Name)) == 0 {
			continue // no channel to tell: nothing is read or taken until there is one
		}
		late := plural(days, "day")
		note := fmt.Sprintf("%s: overdue by %s (due %s)", st.Name, late, row.Item.Due)
		subject := fmt.Sprintf("Action item %s is overdue by %s: %s", row.Ref, late,
			short(row.Item.Description))
		s, err := sc.step(row, name, st.Name, st.Tell, note, subject)
		if debrief.IsNotFound(err) {
			return nil // the report went since the list was read
		}
		if err != nil {
			return err
		}
		if len(s.Deliveries) == 0 {
			continue // nobody can be told yet: tried again at the next scan
		}
		if err := sc.take(s); err != nil {
			return err
		}
	}
	return nil
}

// stalled marks an open item stalled when it has not changed for the
// configured days.
func (sc *scan) stalled(row *debrief.ActionRow) error {
	after := sc.r.Config.StalledAfterDays
	if after == 0 || row.Item.Stalled || row.Since.IsZero() {
		return nil
	}
	idle := sc.r.now().Sub(row.Since)
	name := EventStalled + "@" + row.Since.UTC().Format(time.RFC3339)
	if idle < time.Duration(after)*24*time.Hour || !sc.isNew(row.Ref, name) {
		return nil
	}
	note := fmt.Sprintf("no change in %s; on the weekly review",
		plural(int(idle.Hours()/24), "day"))
	s, err := sc.step(row, name, EventStalled, []string{TellOwner}, note,
		fmt.Sprintf("Action item %s has stalled: %s", row.Ref, short(row.Item.Description)))
	if debrief.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	s.Stall = true
	s.Event.Kind = debrief.ActionEventStalled
	return sc.take(s)
}

// rechecks flags verified items followed by a later incident on the same
// service and category: the fix may not have worked. An incident of a
// restricted report is not named.
func (sc *scan) rechecks() error {
	verified, err := sc.r.Store.ActionItems(sc.ctx, debrief.ActionFilter{
		Statuses: []debrief.ActionStatus{debrief.ActionVerified}})
	if err != nil {
		return err
	}
	for i := range verified {
		row := &verified[i]
		if row.Item.Recheck != "" || row.Item.VerifiedAt.IsZero() {
			continue
		}
		later, err := sc.r.Store.LaterIncident(sc.ctx, row.Services, row.Category,
			row.Item.VerifiedAt, row.IncidentID)
		if debrief.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		// The step's name goes into delivery keys, which receivers see:
		// it carries a digest of the incident's ID, not the ID.
		sum := sha256.Sum256([]byte(later.ID))
		name := EventRecheck + ":" + hex.EncodeToString(sum[:8])
		if !sc.isNew(row.Ref, name) {
			continue
		}
		hidden, err := sc.r.Store.IncidentRestricted(sc.ctx, later.ID)
		if err != nil {
			return err
		}
		which, mark := "incident "+later.ID, later.ID
		if hidden {
			which, mark = "an incident of a restricted report", debrief.RecheckRestricted
		}
		note := fmt.Sprintf("%s on %s (%s) started %s, after this item was verified; "+
			"the fix may not have worked", which, strings.Join(row.Services, ", "),
			row.Category, later.StartedAt.UTC().Format("2006-01-02 15:04 MST"))
		s, err := sc.step(row, name, EventRecheck, []string{TellOwner}, note,
			fmt.Sprintf("Action item %s needs a second look: a later incident on the same "+
				"service", row.Ref))
		if debrief.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		s.Recheck = mark
		s.Event.Kind = debrief.ActionEventRecheck
		if !hidden {
			s.Event.Link = "/incidents/" + later.ID
		}
		if err := sc.take(s); err != nil {
			return err
		}
	}
	return nil
}

// take records the step.
func (sc *scan) take(s debrief.Step) error {
	ok, err := sc.r.Store.TakeStep(sc.ctx, s)
	if debrief.IsNotFound(err) {
		return nil // the item went with an edit since the list was read
	}
	if err != nil {
		return err
	}
	if ok {
		sc.taken++
		sc.r.logger().LogAttrs(sc.ctx, slog.LevelInfo, "escalation step taken",
			slog.String("postmortem_id", s.Ref.PostmortemID),
			slog.Int("number", s.Ref.Number), slog.String("step", s.Name))
	}
	return nil
}

// report reads the item's report once a scan.
func (sc *scan) report(id string) (*debrief.Postmortem, error) {
	if p, ok := sc.reports[id]; ok {
		return p, nil
	}
	p, err := sc.r.Store.Postmortem(sc.ctx, id)
	if err != nil {
		return nil, err
	}
	sc.reports[id] = p
	return p, nil
}

// step builds a step with its event and a delivery for each channel the
// event is routed to. Only people who may read the report are told by
// e-mail; a restricted report's words never go to a channel, only that an
// item of it needs attention and the link.
func (sc *scan) step(
	row *debrief.ActionRow,
	name, event string,
	tell []string,
	note, subject string,
) (debrief.Step, error) {
	r := sc.r
	p, err := sc.report(row.Ref.PostmortemID)
	if err != nil {
		return debrief.Step{}, err
	}
	team := r.Config.teamOf(&row.Item)
	told, readers, addresses := sc.told(p, &row.Item, team, tell)
	s := debrief.Step{Ref: row.Ref, Name: name, Event: debrief.ActionEvent{Ref: row.Ref,
		At: r.now(), Actor: actorName, Kind: debrief.ActionEventStep, Note: note}}
	switch {
	case len(told) == 0 && row.Item.OwnerIsTeam && team == nil:
		s.Event.Note += "; no person to tell: no team named " + row.Item.Owner +
			" is configured"
	case len(told) == 0 && strings.TrimSpace(row.Item.Owner) == "":
		s.Event.Note += "; no person to tell: the item has no owner"
	case len(told) == 0:
		s.Event.Note += "; no person to tell: the owner's team has no lead"
	case len(readers) == 0:
		s.Event.Note += fmt.Sprintf("; no person told: the %d it was for may not read the "+
			"report", len(told))
	default:
		s.Event.Note += "; tells " + strings.Join(readers, ", ")
		if len(readers) < len(told) {
			s.Event.Note += fmt.Sprintf(" (%d not told: they may not read the report)",
				len(told)-len(readers))
		}
	}

	full := r.message(row, "action."+event, subject, note)
	if team != nil {
		full.Item.Team = team.Name
	}
	outside := full
	if p.Visibility == debrief.VisibilityRestricted {
		outside = r.restrictedMessage(full)
	}
	for _, ch := range r.Config.routes(team, event) {
		m := outside
		d := debrief.Delivery{Channel: ch, Ref: row.Ref, Event: m.Event}
		if isMailer(r.Channels[ch]) {
			if len(addresses) == 0 {
				continue
			}
			m, d.Recipients = full, addresses
		}
		m.Key = fmt.Sprintf("%s/%s/%s", row.Ref, name, ch)
		d.Key = m.Key
		d.Message, _ = json.Marshal(m)
		s.Deliveries = append(s.Deliveries, d)
	}
	return s, nil
}

// restrictedMessage is what a channel is told of an item of a restricted
// report: that it needs attention, and where; not its words.
func (r *Runner) restrictedMessage(m notify.Message) notify.Message {
	ref := debrief.ActionRef{PostmortemID: m.Item.PostmortemID, Number: m.Item.Number}
	m.Subject = fmt.Sprintf("Action item %s of a restricted report needs attention (%s)",
		ref, strings.TrimPrefix(m.Event, "action."))
	m.Text = "The report is restricted: open debrief to read it.\n"
	m.Item = notify.ItemInfo{PostmortemID: m.Item.PostmortemID, Number: m.Item.Number,
		Due: m.Item.Due, Status: m.Item.Status, Team: m.Item.Team}
	return m
}

// Personal is a channel that writes to people (as e-mail does) rather
// than to a place (a webhook, a Slack channel): it is given the addresses
// of those told who may read the report, and the report's words.
type Personal interface {
	notify.Channel
	Personal() bool
}

func isMailer(c notify.Channel) bool {
	switch c := c.(type) {
	case *notify.Mailer, notify.Mailer:
		return true
	case Personal:
		return c.Personal()
	}
	return false
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// told names the people the step tells (owner, lead, team), those of them
// who may read the report, and the e-mail addresses known for those.
func (sc *scan) told(
	p *debrief.Postmortem,
	item *debrief.ActionItem,
	team *TeamConfig,
	tell []string,
) (names, readers, addresses []string) {
	seen := map[string]bool{}
	add := func(name string) {
		k := strings.ToLower(strings.TrimSpace(name))
		if k == "" || seen[k] {
			return
		}
		seen[k] = true
		names = append(names, strings.TrimSpace(name))
		reads := p.Visibility != debrief.VisibilityRestricted
		var mail []string
		for _, u := range sc.users {
			if u.Disabled || !(strings.EqualFold(u.Name, k) ||
				strings.EqualFold(strings.TrimSpace(u.DisplayName), k)) {
				continue
			}
			if !p.VisibleTo(debrief.Actor{UserID: u.ID, Name: u.Name,
				DisplayName: u.DisplayName, Role: u.Role}) {
				continue
			}
			reads = true
			if u.Email != "" {
				mail = append(mail, u.Email)
			}
		}
		if reads {
			readers = append(readers, strings.TrimSpace(name))
			addresses = append(addresses, mail...)
		}
	}
	for _, who := range tell {
		switch {
		case who == TellOwner && !item.OwnerIsTeam:
			add(item.Owner)
		case who == TellOwner && team != nil, who == TellLead && team != nil:
			add(team.Lead)
		case who == TellTeam && team != nil:
			for _, person := range team.People() {
				add(person)
			}
		}
	}
	return names, readers, addresses
}

// message is the notification about the item.
func (r *Runner) message(row *debrief.ActionRow, event, subject, note string) notify.Message {
	link := fmt.Sprintf("/postmortems/%s/actions/%d", row.Ref.PostmortemID, row.Ref.Number)
	if r.Config.BaseURL != "" {
		link = r.Config.BaseURL + link
	}
	text := fmt.Sprintf("%s\n\nItem: %s\nOwner: %s\nDue: %s\nStatus: %s\nReport: %s\n",
		note, row.Item.Description, orNone(row.Item.Owner), orNone(row.Item.Due),
		row.Item.Status.Label(), row.Title)
	return notify.Message{Event: event, Subject: subject, Text: text, URL: link, At: r.now(),
		Item: notify.ItemInfo{PostmortemID: row.Ref.PostmortemID, PostmortemTitle: row.Title,
			Number: row.Ref.Number, Description: row.Item.Description, Owner: row.Item.Owner,
			Due: row.Item.Due, Status: string(row.Item.Status)}}
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "none"
	}
	return s
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 80 {
		return string(r[:79]) + "…"
	}
	return s
}
