package debrief

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ActionRef names one action item: its report and its number there. It is
// written "<report id>#<number>", for example "db-failover-2026#3".
type ActionRef struct {
	PostmortemID string `json:"postmortem_id"`
	Number       int    `json:"number"`
}

// String writes the reference as "<report id>#<number>".
func (r ActionRef) String() string { return r.PostmortemID + "#" + strconv.Itoa(r.Number) }

// ParseActionRef reads "<report id>#<number>" (or "<report id>/<number>").
func ParseActionRef(s string) (ActionRef, error) {
	s = strings.TrimSpace(s)
	cut := strings.LastIndexAny(s, "#/")
	if cut <= 0 {
		return ActionRef{}, FieldErrorf("action", "%q does not name an action item: "+
			"write the report id, '#' and the item's number, like incident-42#3", s)
	}
	n, err := strconv.Atoi(s[cut+1:])
	if err != nil || n <= 0 {
		return ActionRef{}, FieldErrorf("action",
			"%q does not end in an action item number after '#'", s)
	}
	return ActionRef{PostmortemID: s[:cut], Number: n}, nil
}

// Closure is what verifying an action item needs: the change is in place,
// it was tested, the documentation says so, and the owner recorded what
// was checked and where the evidence is.
type Closure struct {
	Implemented bool   `json:"implemented"`
	Tested      bool   `json:"tested"`
	Documented  bool   `json:"documented"`
	Result      string `json:"result,omitempty"`
	Evidence    string `json:"evidence,omitempty"`
}

// Missing lists what the closure still lacks, in words, or nothing when
// the item can be verified.
func (c Closure) Missing() []string {
	var m []string
	if !c.Implemented {
		m = append(m, "confirm it is implemented")
	}
	if !c.Tested {
		m = append(m, "confirm it was tested")
	}
	if !c.Documented {
		m = append(m, "confirm the documentation is updated")
	}
	if strings.TrimSpace(c.Result) == "" {
		m = append(m, "record what was checked and what it showed")
	}
	if !isWebLink(c.Evidence) {
		m = append(m, "give a link (http or https) to the evidence")
	}
	return m
}

func isWebLink(s string) bool {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		!strings.ContainsAny(s, " \t\r\n")
}

// ActionMove is a requested change of an action item's status.
type ActionMove struct {
	To ActionStatus `json:"to"`
	// Reason says why: required when blocking or reopening, a note otherwise.
	Reason string `json:"reason,omitempty"`
	// Closure is required to verify.
	Closure *Closure `json:"closure,omitempty"`
}

// actionMoves are the lifecycle's allowed moves. Reopening takes a done or
// verified item back to open; a blocked item goes back to where work
// resumes.
var actionMoves = map[ActionStatus][]ActionStatus{
	ActionOpen:       {ActionInProgress, ActionBlocked, ActionDone},
	ActionInProgress: {ActionOpen, ActionBlocked, ActionDone},
	ActionBlocked:    {ActionOpen, ActionInProgress, ActionDone},
	ActionDone:       {ActionVerified, ActionOpen, ActionInProgress},
	ActionVerified:   {ActionOpen},
}

// NextActionStatuses lists the statuses an item in the given status may
// move to, in lifecycle order.
func NextActionStatuses(from ActionStatus) []ActionStatus {
	return actionMoves[from.orOpen()]
}

func (s ActionStatus) orOpen() ActionStatus {
	if s == "" {
		return ActionOpen
	}
	return s
}

// Label is the status as people write it ("in progress").
func (s ActionStatus) Label() string {
	return strings.ReplaceAll(string(s.orOpen()), "_", " ")
}

// Closed reports whether no more work is expected on the item.
func (s ActionStatus) Closed() bool { return s == ActionDone || s == ActionVerified }

// ParseActionStatus reads a status by name ("in progress", "In-Progress").
func ParseActionStatus(s string) (ActionStatus, error) {
	v := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	for _, st := range ActionStatuses {
		if ActionStatus(v) == st {
			return st, nil
		}
	}
	return "", FieldErrorf("to", "unknown action status %q: use open, in_progress, "+
		"blocked, done or verified", s)
}

// MaxMoveText bounds each text a move carries (a reason, a verification
// result, an evidence link), in bytes: a history entry is a line or a
// paragraph, not a document.
const MaxMoveText = 4000

// CheckMoveText refuses a move whose texts are too long or not text,
// naming the field as the API's JSON names it.
func CheckMoveText(m ActionMove) error {
	texts := [][2]string{{"reason", m.Reason}}
	if m.Closure != nil {
		texts = append(texts, [2]string{"closure.result", m.Closure.Result},
			[2]string{"closure.evidence", m.Closure.Evidence})
	}
	for _, t := range texts {
		if len(t[1]) > MaxMoveText {
			return FieldErrorf(t[0], "%s is too long: write at most %d bytes", t[0],
				MaxMoveText)
		}
		if !utf8.ValidString(t[1]) || strings.ContainsRune(t[1], 0) {
			return FieldErrorf(t[0], "%s must be UTF-8 text", t[0])
		}
	}
	return nil
}

// CheckActionMove says whether the item may make the move: KindInvalid when
// the lifecycle has no such move or the move lacks what it needs (a reason
// to block or reopen, the closure to verify).
func CheckActionMove(a *ActionItem, m ActionMove) error {
	if err := CheckMoveText(m); err != nil {
		return err
	}
	from := a.Status.orOpen()
	if m.To == from {
		return FieldErrorf("to", "the item is already %s", from.Label())
	}
	allowed := false
	for _, to := range actionMoves[from] {
		allowed = allowed || to == m.To
	}
	if !allowed {
		return FieldErrorf("to", "an action item cannot go from %s to %s",
			from.Label(), m.To.Label())
	}
	reason := strings.TrimSpace(m.Reason)
	switch {
	case m.To == ActionBlocked && reason == "":
		return FieldErrorf("reason", "say what blocks the item")
	case m.To == ActionOpen && from.Closed() && reason == "":
		return FieldErrorf("reason", "say why the item is reopened")
	case m.To == ActionVerified && m.Closure == nil:
		return FieldErrorf("closure", "verifying needs the closure criteria: %s",
			strings.Join(Closure{}.Missing(), ", "))
	case m.To == ActionVerified:
		if missing := m.Closure.Missing(); len(missing) > 0 {
			return FieldErrorf("closure", "the item cannot be verified yet: %s",
				strings.Join(missing, ", "))
		}
	}
	return nil
}

// Apply makes the move on the item, as the actor at the given time. The
// caller has checked it with CheckActionMove.
func (a *ActionItem) Apply(m ActionMove, by string, at time.Time) {
	a.Status = m.To
	a.BlockedReason = ""
	if m.To == ActionBlocked {
		a.BlockedReason = strings.TrimSpace(m.Reason)
	}
	if m.To == ActionVerified {
		c := *m.Closure
		c.Result, c.Evidence = strings.TrimSpace(c.Result), strings.TrimSpace(c.Evidence)
		a.Closure = &c
		a.VerifiedBy, a.VerifiedAt = by, at
	} else if m.To == ActionOpen || m.To == ActionInProgress {
		// Reopened: the verification no longer holds (the history keeps it).
		a.Closure, a.VerifiedBy, a.VerifiedAt = nil, "", time.Time{}
	}
	a.Stalled = false
	a.UpdatedBy, a.UpdatedAt = by, at
}

// OwnedBy reports whether the owner field names the actor (by login or
// display name, ignoring case).
func (a *ActionItem) OwnedBy(actor Actor) bool {
	owner := strings.ToLower(strings.TrimSpace(a.Owner))
	if owner == "" || a.OwnerIsTeam {
		return false
	}
	for _, n := range actor.Names() {
		if strings.ToLower(n) == owner {
			return true
		}
	}
	return false
}

// Ticket links an action item to an issue in an outside tracker.
type Ticket struct {
	// System is "jira" or "github".
	System string `json:"system"`
	// Key is the tracker's name for the issue ("OPS-12", "acme/ops#7").
	Key string `json:"key"`
	URL string `json:"url,omitempty"`
	// Status is the tracker's own status name when last seen.
	Status   string    `json:"status,omitempty"`
	SyncedAt time.Time `json:"synced_at,omitzero"`
	// Pushed is the status debrief last asked the tracker for, so that the
	// echo of its own change is not applied back.
	Pushed string `json:"-"`
}

// ActionEventKind says what happened to an action item.
type ActionEventKind string

// The kinds of action item history.
const (
	ActionEventCreated  ActionEventKind = "created"
	ActionEventStatus   ActionEventKind = "status"
	ActionEventStep     ActionEventKind = "escalation"
	ActionEventNotified ActionEventKind = "notified"
	ActionEventFailed   ActionEventKind = "notification_failed"
	ActionEventStalled  ActionEventKind = "stalled"
	ActionEventTicket   ActionEventKind = "ticket"
	ActionEventSynced   ActionEventKind = "synced"
	ActionEventRecheck  ActionEventKind = "recheck"
	ActionEventOwner    ActionEventKind = "owner"
)

// ActionEvent is one entry of an item's history: who did what, when.
type ActionEvent struct {
	ID    int64           `json:"id"`
	Ref   ActionRef       `json:"ref"`
	At    time.Time       `json:"at"`
	Actor string          `json:"actor"`
	Kind  ActionEventKind `json:"kind"`
	From  ActionStatus    `json:"from,omitempty"`
	To    ActionStatus    `json:"to,omitempty"`
	Note  string          `json:"note,omitempty"`
	Link  string          `json:"link,omitempty"`
}

// eventWords say what an event of each kind was, before its note.
var eventWords = map[ActionEventKind]string{
	ActionEventStep:     "escalation step",
	ActionEventNotified: "notified",
	ActionEventFailed:   "notification failed",
	ActionEventStalled:  "marked stalled",
	ActionEventTicket:   "ticket linked",
	ActionEventSynced:   "tracker status",
	ActionEventRecheck:  "flagged for review",
	ActionEventOwner:    "owner changed",
}

// Describe says what the event was, in one line without the actor.
func (e ActionEvent) Describe() string {
	switch e.Kind {
	case ActionEventStatus:
		moved := fmt.Sprintf("moved from %s to %s", e.From.Label(), e.To.Label())
		if e.Note != "" {
			moved += ": " + e.Note
		}
		return moved
	case ActionEventCreated:
		return "added to the report"
	}
	if prefix, ok := eventWords[e.Kind]; ok {
		return prefix + ": " + e.Note
	}
	return string(e.Kind)
}

// DaysOverdue counts the whole days since the item was due, on the date
// today ("2006-01-02"); 0 when it is not due yet, has no date or is done.
func (a *ActionItem) DaysOverdue(today string) int {
	if a.Due == "" || a.Due >= today || a.Status.Closed() {
		return 0
	}
	due, err1 := time.Parse(time.DateOnly, a.Due)
	now, err2 := time.Parse(time.DateOnly, today)
	if err1 != nil || err2 != nil {
		return 0
	}
	// Counted on Unix seconds: a Duration overflows past 292 years.
	return int((now.Unix() - due.Unix()) / 86400)
}

// StepKey names an escalation step taken on an item, as the store lists
// the steps taken.
func StepKey(ref ActionRef, step string) string { return ref.String() + " " + step }

// RecheckRestricted is the recheck mark of an item whose later incident
// belongs to a restricted report: the item is flagged without naming it.
const RecheckRestricted = "restricted"

// StartTracking settles the status an item's tracking starts with when a
// report brings it in as history (an import): a verified item without its
// closure criteria starts as done, a blocked one without a reason gets one
// saying so. It returns a note for the item's history, or "".
func (a *ActionItem) StartTracking() string {
	switch {
	case a.Status == "":
		a.Status = ActionOpen
	case a.Status == ActionVerified && (a.Closure == nil || len(a.Closure.Missing()) > 0):
		a.Status, a.Closure, a.VerifiedBy, a.VerifiedAt = ActionDone, nil, "", time.Time{}
		return "brought in as verified without its closure criteria: recorded as done; " +
			"verify it with them"
	case a.Status == ActionBlocked && strings.TrimSpace(a.BlockedReason) == "":
		a.BlockedReason = "no reason was given where the item came from"
		return "brought in as blocked without a reason"
	}
	return ""
}
