package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
)

// Trackers keeps action items in step with their tickets in Jira and
// GitHub (see docs/trackers.md): it makes a ticket from an item, applies
// the ticket's status changes to the item as the tracker's own actor
// ("jira", "github"), and pushes a person's moves to the ticket.
//
// Two rules keep the sides from chasing each other: a change whose status
// is the one debrief last knew the ticket to have is an echo and is
// skipped (tracker.Echo), and a move applied from a tracker is never
// pushed back to it.
type Trackers struct {
	s       *Service
	clients map[string]tracker.Client
	// baseURL is the web app's address, for the item's link in a new
	// ticket; "" leaves the link relative.
	baseURL string
}

// pushTimeout bounds the push of a person's move to a ticket: it runs
// inside their request, so a slow tracker must not hold it for long.
const pushTimeout = 15 * time.Second

// NewTrackers links the service to the trackers given and has every move
// a person makes on an item with a ticket pushed to that ticket. baseURL
// is the web app's address, for links in new tickets.
func NewTrackers(s *Service, baseURL string, clients ...tracker.Client) *Trackers {
	t := &Trackers{s: s, clients: map[string]tracker.Client{},
		baseURL: strings.TrimRight(baseURL, "/")}
	for _, c := range clients {
		t.clients[string(c.System())] = c
	}
	s.afterMove = t.push
	return t
}

// Client returns the tracker of that system ("jira", "github"), or false
// when it is not configured.
func (t *Trackers) Client(system string) (tracker.Client, bool) {
	c, ok := t.clients[strings.ToLower(strings.TrimSpace(system))]
	return c, ok
}

// CreateTicket makes a ticket in the tracker from the item and links it,
// recording who did in the item's history. It needs the contributor role
// and a readable report; an item that already has a ticket is a conflict.
func (t *Trackers) CreateTicket(
	ctx context.Context,
	a debrief.Actor,
	ref debrief.ActionRef,
	system string,
) (*debrief.Ticket, error) {
	if !a.Can(debrief.AccessContributor) {
		return nil, debrief.Errorf(debrief.KindForbidden,
			"making a ticket from an action item needs the contributor role")
	}
	c, ok := t.Client(system)
	if !ok {
		return nil, debrief.FieldErrorf("system", "no tracker %q is configured: use %s",
			system, t.systems())
	}
	p, err := t.s.visible(ctx, a, ref.PostmortemID)
	if err != nil {
		return nil, err
	}
	item := findItem(p, ref.Number)
	if item == nil {
		return nil, debrief.Errorf(debrief.KindNotFound, "action item %s not found", ref)
	}
	if item.Ticket != nil {
		return nil, debrief.Errorf(debrief.KindConflict,
			"action item %s already has a ticket: %s", ref, item.Ticket.Key)
	}

	made, err := c.Create(ctx, t.issue(p, item))
	if err != nil {
		return nil, err
	}
	now := t.s.now().UTC().Truncate(time.Microsecond)
	tk := &debrief.Ticket{System: string(made.System), Key: made.Key, URL: made.URL,
		Status: made.Status, SyncedAt: now}
	note := c.System().Title() + " " + made.Key
	if len(made.Dropped) > 0 {
		note += " (left out: " + strings.Join(made.Dropped, ", ") + ")"
	}
	ev := &debrief.ActionEvent{Ref: ref, At: now, Actor: a.Name,
		Kind: debrief.ActionEventTicket, Note: note, Link: made.URL}
	if err := t.s.store.SetTicket(ctx, ref, tk, ev); err != nil {
		return nil, err
	}
	t.s.logger.LogAttrs(ctx, slog.LevelInfo, "action item ticket created",
		slog.String("postmortem_id", ref.PostmortemID), slog.Int("number", ref.Number),
		slog.String("system", tk.System), slog.Int64("user_id", a.UserID))
	return tk, nil
}

func (t *Trackers) systems() string {
	var names []string
	for _, s := range []tracker.System{tracker.SystemJira, tracker.SystemGitHub} {
		if _, ok := t.clients[string(s)]; ok {
			names = append(names, string(s))
		}
	}
	if len(names) == 0 {
		return "none is configured"
	}
	return strings.Join(names, " or ")
}

// issue is the ticket made from an item: its words, and a link back.
func (t *Trackers) issue(p *debrief.Postmortem, item *debrief.ActionItem) tracker.Issue {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(item.Description))
	fmt.Fprintf(&b, "Action item %d of the postmortem: %s\n\n", item.Number,
		strings.TrimSpace(p.Title))
	fmt.Fprintf(&b, "Owner: %s\n", ownerText(item))
	if item.Due != "" {
		fmt.Fprintf(&b, "Due: %s\n", item.Due)
	}
	if m := strings.TrimSpace(item.SuccessMetric); m != "" {
		fmt.Fprintf(&b, "Success metric: %s\n", m)
	}
	fmt.Fprintf(&b, "\nTracked in debrief: %s/postmortems/%s/actions/%d\n",
		t.baseURL, p.ID, item.Number)
	in := tracker.Issue{
		Title: fmt.Sprintf("[%s#%d] %s", p.ID, item.Number,
			strings.TrimSpace(item.Description)),
		Body: b.String(), Due: item.Due, Labels: []string{"postmortem"},
	}
	if item.Category != "" {
		in.Labels = append(in.Labels, string(item.Category))
	}
	return in
}

// ApplyChange brings the item linked to the ticket in step with the
// ticket's new status, as the tracker's actor. It answers whether the
// item or what is known of its ticket changed: a change of a ticket no
// item is linked to, or an echo of what debrief already knew, changes
// nothing. A move the lifecycle refuses (a tracker cannot verify, nor
// take a verified item back to in progress) is recorded in the item's
// history, not made.
func (t *Trackers) ApplyChange(ctx context.Context, c tracker.Change) (bool, error) {
	ref, err := t.s.store.ActionByTicket(ctx, string(c.System), c.Key)
	if debrief.ErrorKind(err) == debrief.KindNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	p, err := t.s.store.Postmortem(ctx, ref.PostmortemID)
	if err != nil {
		return false, err
	}
	item := findItem(p, ref.Number)
	if item == nil || item.Ticket == nil {
		return false, nil
	}
	known := item.Ticket
	if tracker.Echo(known.Status, c) || tracker.Echo(known.Pushed, c) {
		return false, nil
	}

	actor := string(c.System)
	name := c.System.Title() + " " + c.Key
	note := fmt.Sprintf("%s is %q", name, c.Status)
	if m, ok := t.move(item, c); ok {
		err := debrief.CheckActionMove(item, m)
		if err == nil {
			_, err = t.s.applyMove(context.WithValue(ctx, fromTracker{}, true),
				ref, item, m, actor)
			if debrief.ErrorKind(err) == debrief.KindConflict {
				// Another delivery of the same change moved it first.
				return false, nil
			}
			if err != nil {
				return false, err
			}
		} else {
			note += "; not applied: " + debrief.ErrorMessage(err)
		}
	}

	now := t.s.now().UTC().Truncate(time.Microsecond)
	tk := *known
	tk.Status, tk.SyncedAt = c.Status, now
	ev := &debrief.ActionEvent{Ref: ref, At: now, Actor: actor,
		Kind: debrief.ActionEventSynced, Note: note, Link: known.URL}
	if err := t.s.store.SetTicket(ctx, ref, &tk, ev); err != nil {
		return false, err
	}
	return true, nil
}

// fromTracker marks the context of a move applied from a tracker, which
// must not be pushed back to it.
type fromTracker struct{}

// move is the move a change asks of the item, or false when it asks none:
// the status means nothing to debrief, or the item is already there (a
// verified item counts as done).
func (t *Trackers) move(item *debrief.ActionItem, c tracker.Change) (debrief.ActionMove, bool) {
	from := item.Status
	if from == "" {
		from = debrief.ActionOpen
	}
	to := c.State
	if to == "" || to == from || to == debrief.ActionDone && from == debrief.ActionVerified {
		return debrief.ActionMove{}, false
	}
	reason := strings.TrimSpace(c.Reason)
	if reason == "" && (to == debrief.ActionBlocked || from.Closed()) {
		// The lifecycle asks why an item is blocked or reopened; the
		// tracker's status is all there is to say.
		reason = fmt.Sprintf("%s %s is %q", c.System.Title(), c.Key, c.Status)
	}
	return debrief.ActionMove{To: to, Reason: reason}, true
}

// push moves the ticket of an item a person moved. It never fails the
// move: a tracker that refuses or is down leaves a note in the item's
// history, and the next poll shows the ticket as it is.
func (t *Trackers) push(ctx context.Context, ref debrief.ActionRef, item *debrief.ActionItem) {
	if item.Ticket == nil || ctx.Value(fromTracker{}) != nil {
		return
	}
	c, ok := t.Client(item.Ticket.System)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pushTimeout)
	defer cancel()

	name := c.System().Title() + " " + item.Ticket.Key
	moved, err := c.Move(ctx, item.Ticket.Key, item.Status)
	now := t.s.now().UTC().Truncate(time.Microsecond)
	ev := &debrief.ActionEvent{Ref: ref, At: now, Actor: string(c.System()),
		Kind: debrief.ActionEventSynced, Link: item.Ticket.URL}
	if err != nil {
		ev.Note = fmt.Sprintf("could not move %s: %s", name, debrief.ErrorMessage(err))
		t.s.logger.LogAttrs(ctx, slog.LevelWarn, "action item ticket not moved",
			slog.String("postmortem_id", ref.PostmortemID), slog.Int("number", ref.Number),
			slog.String("system", item.Ticket.System), slog.String("error", err.Error()))
		if err := t.s.store.AddActionEvent(ctx, *ev); err != nil {
			t.s.logger.LogAttrs(ctx, slog.LevelError, "action item event not recorded",
				slog.String("postmortem_id", ref.PostmortemID), slog.String("error", err.Error()))
		}
		return
	}
	tk := *item.Ticket
	if moved.Key != "" {
		tk.Key = moved.Key
	}
	tk.Status, tk.Pushed, tk.SyncedAt = moved.Status, moved.Status, now
	if strings.EqualFold(moved.Status, item.Ticket.Status) {
		ev = nil // the ticket already said so: nothing worth a history line
	} else {
		ev.Note = fmt.Sprintf("moved %s to %q", name, moved.Status)
	}
	if err := t.s.store.SetTicket(ctx, ref, &tk, ev); err != nil {
		t.s.logger.LogAttrs(ctx, slog.LevelError, "action item ticket not updated",
			slog.String("postmortem_id", ref.PostmortemID), slog.String("error", err.Error()))
	}
}

// Poll reads the ticket of every item not yet verified that has one, and
// applies each status as a webhook's change would be: the schedule that
// catches up with webhooks that were lost or never set up. It answers how
// many items changed; a ticket it cannot read is skipped and the first
// such error returned after the rest are done.
func (t *Trackers) Poll(ctx context.Context) (int, error) {
	// Done items are read too: a ticket reopened in the tracker reopens
	// the item. A verified one is settled in debrief.
	rows, err := t.s.store.ActionItems(ctx, debrief.ActionFilter{Statuses: []debrief.ActionStatus{
		debrief.ActionOpen, debrief.ActionInProgress, debrief.ActionBlocked, debrief.ActionDone}})
	if err != nil {
		return 0, err
	}
	changed := 0
	var first error
	for _, r := range rows {
		tk := r.Item.Ticket
		if tk == nil {
			continue
		}
		c, ok := t.Client(tk.System)
		if !ok {
			continue
		}
		got, err := c.Fetch(ctx, tk.Key)
		if err == nil {
			var ok bool
			ok, err = t.ApplyChange(ctx, tracker.Change{System: c.System(), Key: tk.Key,
				Status: got.Status, State: got.State})
			if ok {
				changed++
			}
		}
		if err != nil && first == nil {
			first = fmt.Errorf("poll %s ticket of %s: %w", tk.System, r.Ref, err)
		}
		if ctx.Err() != nil {
			return changed, ctx.Err()
		}
	}
	return changed, first
}
