package escalation

import (
	"context"
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
// returns how many it took.
func (r *Runner) Scan(ctx context.Context) (int, error) {
	users, err := r.Store.Users(ctx)
	if err != nil {
		return 0, err
	}
	open, err := r.Store.ActionItems(ctx, debrief.ActionFilter{Open: true})
	if err != nil {
		return 0, err
	}
	var steps []debrief.Step
	for i := range open {
		steps = append(steps, r.overdueSteps(&open[i], users)...)
		if s := r.stalledStep(&open[i], users); s != nil {
			steps = append(steps, *s)
		}
	}
	rechecks, err := r.recheckSteps(ctx, users)
	if err != nil {
		return 0, err
	}
	done, err := r.Store.StepsTaken(ctx)
	if err != nil {
		return 0, err
	}
	taken := 0
	for _, s := range append(steps, rechecks...) {
		if done[debrief.StepKey(s.Ref, s.Name)] {
			continue // taken before; TakeStep would refuse it too, but a write costs
		}
		ok, err := r.Store.TakeStep(ctx, s)
		if debrief.IsNotFound(err) {
			continue // the item went with an edit since the list was read
		}
		if err != nil {
			return taken, err
		}
		if ok {
			taken++
			r.logger().LogAttrs(ctx, slog.LevelInfo, "escalation step taken",
				slog.String("postmortem_id", s.Ref.PostmortemID),
				slog.Int("number", s.Ref.Number), slog.String("step", s.Name))
		}
	}
	return taken, nil
}

// overdueSteps returns the steps an overdue item has reached. A step's name
// carries the due date, so an item given a new date climbs again.
func (r *Runner) overdueSteps(row *debrief.ActionRow, users []debrief.User) []debrief.Step {
	days := row.Item.DaysOverdue(r.today())
	var out []debrief.Step
	for _, st := range r.Config.Steps {
		if days < st.AfterDays {
			continue
		}
		note := fmt.Sprintf("%s: overdue by %d days (due %s)", st.Name, days, row.Item.Due)
		if days == 1 {
			note = fmt.Sprintf("%s: overdue by 1 day (due %s)", st.Name, row.Item.Due)
		}
		msg := r.message(row, "action."+st.Name,
			fmt.Sprintf("Action item %s is overdue by %d days: %s", row.Ref, days,
				short(row.Item.Description)), note)
		out = append(out, r.step(row, st.Name+"@"+row.Item.Due, st.Name, st.Tell, note, msg,
			users))
	}
	return out
}

// stalledStep marks an open item stalled when it has not changed for the
// configured days.
func (r *Runner) stalledStep(row *debrief.ActionRow, users []debrief.User) *debrief.Step {
	if r.Config.StalledAfterDays == 0 || row.Item.Stalled || row.Since.IsZero() {
		return nil
	}
	idle := r.now().Sub(row.Since)
	if idle < time.Duration(r.Config.StalledAfterDays)*24*time.Hour {
		return nil
	}
	days := int(idle.Hours() / 24)
	note := fmt.Sprintf("no change in %d days; on the weekly review", days)
	msg := r.message(row, "action."+EventStalled, fmt.Sprintf("Action item %s has stalled: %s",
		row.Ref, short(row.Item.Description)), note)
	s := r.step(row, EventStalled+"@"+row.Since.UTC().Format(time.RFC3339), EventStalled,
		[]string{TellOwner}, note, msg, users)
	s.Stall = true
	s.Event.Kind = debrief.ActionEventStalled
	return &s
}

// recheckSteps flags verified items followed by a later incident on the
// same service and category: the fix may not have worked.
func (r *Runner) recheckSteps(ctx context.Context, users []debrief.User) ([]debrief.Step, error) {
	verified, err := r.Store.ActionItems(ctx, debrief.ActionFilter{
		Statuses: []debrief.ActionStatus{debrief.ActionVerified}})
	if err != nil {
		return nil, err
	}
	var out []debrief.Step
	for i := range verified {
		row := &verified[i]
		if row.Item.Recheck != "" || row.Item.VerifiedAt.IsZero() {
			continue
		}
		later, err := r.Store.LaterIncident(ctx, row.Services, row.Category,
			row.Item.VerifiedAt, row.IncidentID)
		if debrief.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		note := fmt.Sprintf("incident %s on %s (%s) started %s, after this item was "+
			"verified; the fix may not have worked", later.ID, strings.Join(row.Services, ", "),
			row.Category, later.StartedAt.Format("2006-01-02 15:04 MST"))
		msg := r.message(row, "action."+EventRecheck, fmt.Sprintf("Action item %s needs a "+
			"second look: a later incident on the same service", row.Ref), note)
		s := r.step(row, EventRecheck+":"+later.ID, EventRecheck, []string{TellOwner}, note,
			msg, users)
		s.Recheck = later.ID
		s.Event.Kind = debrief.ActionEventRecheck
		s.Event.Link = "/incidents/" + later.ID
		out = append(out, s)
	}
	return out, nil
}

// step builds a step with its event and a delivery for each channel the
// event is routed to.
func (r *Runner) step(
	row *debrief.ActionRow,
	name, event string,
	tell []string,
	note string,
	msg notify.Message,
	users []debrief.User,
) debrief.Step {
	team := r.Config.teamOf(&row.Item)
	if team != nil {
		msg.Item.Team = team.Name
	}
	told, addresses := r.told(&row.Item, team, tell, users)
	s := debrief.Step{Ref: row.Ref, Name: name, Event: debrief.ActionEvent{Ref: row.Ref,
		At: r.now(), Actor: actorName, Kind: debrief.ActionEventStep, Note: note}}
	if len(told) > 0 {
		s.Event.Note += "; tells " + strings.Join(told, ", ")
	}
	for _, ch := range r.Config.routes(team, event) {
		m := msg
		m.Key = fmt.Sprintf("%s/%s/%s", row.Ref, name, ch)
		d := debrief.Delivery{Key: m.Key, Channel: ch, Ref: row.Ref, Event: m.Event}
		if isMailer(r.Channels[ch]) {
			if len(addresses) == 0 {
				s.Event.Note += fmt.Sprintf("; no e-mail address is known for %s",
					strings.Join(told, ", "))
				continue
			}
			d.Recipients = addresses
		}
		d.Message, _ = json.Marshal(m)
		s.Deliveries = append(s.Deliveries, d)
	}
	return s
}

func isMailer(c notify.Channel) bool {
	switch c.(type) {
	case *notify.Mailer, notify.Mailer:
		return true
	}
	return false
}

// told names the people the step tells (owner, lead, team) and the e-mail
// addresses known for them.
func (r *Runner) told(
	item *debrief.ActionItem,
	team *TeamConfig,
	tell []string,
	users []debrief.User,
) (names, addresses []string) {
	seen := map[string]bool{}
	add := func(name string) {
		k := strings.ToLower(strings.TrimSpace(name))
		if k == "" || seen[k] {
			return
		}
		seen[k] = true
		names = append(names, strings.TrimSpace(name))
		for _, u := range users {
			if !u.Disabled && u.Email != "" && (strings.EqualFold(u.Name, k) ||
				strings.EqualFold(strings.TrimSpace(u.DisplayName), k)) {
				addresses = append(addresses, u.Email)
			}
		}
	}
	for _, who := range tell {
		switch {
		case who == TellOwner && !item.OwnerIsTeam:
			add(item.Owner)
		case who == TellOwner && team != nil, who == TellLead && team != nil:
			add(team.Lead)
		case who == TellTeam && team != nil:
			for _, p := range team.People() {
				add(p)
			}
		}
	}
	return names, addresses
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
