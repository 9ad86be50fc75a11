package debrief

import (
	"context"
	"time"
)

// ActionStore keeps the tracking of action items: their status history,
// the escalation steps taken, the notifications queued for delivery and the
// calendar feeds. An item's words belong to its report (PostmortemStore);
// its tracking is written here only, so a report save never undoes a move.
type ActionStore interface {
	// ActionItems lists the items matching the filter, ranked as work is
	// taken (by (*ActionItem).Rank, then report and number), each with what
	// the lists show of its report: all of them, or the page f.Limit and
	// f.Offset select.
	ActionItems(ctx context.Context, f ActionFilter) ([]ActionRow, error)
	// ActionPage returns the page of ranked items the filter selects, how
	// many match in all and, when cellItems is above zero, the impact/effort
	// matrix of every matching item with the first cellItems items of each
	// cell (see ActionMatrix).
	ActionPage(ctx context.Context, f ActionFilter, cellItems int) (*ActionPage, error)
	// MoveActionItem writes the item's tracking and the event recording the
	// change, provided its stored status is still from; otherwise it fails
	// with KindConflict and writes nothing.
	MoveActionItem(
		ctx context.Context,
		ref ActionRef,
		from ActionStatus,
		item *ActionItem,
		ev ActionEvent,
	) error
	// ActionEvents returns the item's history, oldest first.
	ActionEvents(ctx context.Context, ref ActionRef) ([]ActionEvent, error)
	// AddActionEvent records an entry in the item's history.
	AddActionEvent(ctx context.Context, ev ActionEvent) error
	// TakeStep records an escalation step with its event, its deliveries
	// and its mark on the item, all in one transaction, unless the step was
	// taken before: then it changes nothing and returns false.
	TakeStep(ctx context.Context, s Step) (bool, error)
	// ClaimDelivery leases the oldest delivery that is due and not leased,
	// counting the attempt, or returns nil when none is.
	ClaimDelivery(ctx context.Context, lease time.Duration) (*Delivery, error)
	// FinishDelivery records the outcome of a claimed delivery's attempt:
	// sent, to be retried at a time, or failed for good. The item's history
	// gets the event given, when any.
	FinishDelivery(ctx context.Context, d *Delivery, ev *ActionEvent) error
	// SetTicket links the item to a tracker issue, or updates what is known
	// of it, recording the event when one is given.
	SetTicket(ctx context.Context, ref ActionRef, t *Ticket, ev *ActionEvent) error
	// ActionByTicket finds the item linked to a tracker issue.
	ActionByTicket(ctx context.Context, system, key string) (ActionRef, error)
	// LaterIncident returns the first incident, other than the one given,
	// that started after the time and shares a service and the category.
	LaterIncident(
		ctx context.Context,
		services []string,
		category Category,
		after time.Time,
		except string,
	) (*Incident, error)
}

// ActionFilter narrows a list of action items. Empty fields do not filter.
type ActionFilter struct {
	// Owners keeps items whose owner is one of these names (any case).
	Owners   []string
	Service  string
	Category Category
	// Statuses keeps items in one of these statuses.
	Statuses []ActionStatus
	// Open keeps items not yet done or verified.
	Open bool
	// DueBefore keeps items due before this date ("2006-01-02").
	DueBefore string
	// Stalled keeps items marked stalled.
	Stalled bool
	// PostmortemID keeps the items of one report.
	PostmortemID string
	// Team keeps the items the team owns (see (*Team).Owns).
	Team *Team
	// Quadrant keeps the items of one quadrant of the matrix (see
	// Quadrants).
	Quadrant string
	// Reader, when set, keeps only the items of reports Reader may read.
	Reader *Actor

	// Today ("2006-01-02") is the date overdue is measured from, for
	// LateFirst and the matrix's overdue marks; when empty no item is late.
	Today string
	// LateFirst puts the overdue items first, the longest overdue first,
	// ahead of the ranking: what a team lead chases.
	LateFirst bool
	// Limit and Offset select a page of the ranked items; a Limit of zero
	// or less means every item from Offset on.
	Limit, Offset int
}

// ActionPage is a page of ranked action items.
type ActionPage struct {
	Rows []ActionRow
	// Total counts every matching item, on any page.
	Total int
	// Matrix places every matching item on the impact/effort matrix, when
	// it was asked for.
	Matrix *ActionMatrix
}

// ActionMatrix is the impact/effort matrix of a list: how many items each
// cell holds, and the first of them.
type ActionMatrix struct {
	// Cells are the cells holding items, any order.
	Cells []ActionCell
	// Unrated counts the items without an impact or an effort, which no
	// cell holds.
	Unrated int
}

// ActionCell is one cell of the impact/effort matrix.
type ActionCell struct {
	Impact, Effort Level
	// Count, Prevention and Late count the cell's items, those for
	// prevention and those overdue on the filter's Today.
	Count, Prevention, Late int
	// Items are the cell's first items as the matrix shows them:
	// prevention first, then open before finished, overdue before on time,
	// then by rank. Their Services are not read.
	Items []ActionRow
}

// ActionRow is an action item with what lists show of its report.
type ActionRow struct {
	Ref        ActionRef  `json:"ref"`
	Item       ActionItem `json:"item"`
	Title      string     `json:"postmortem_title"`
	Report     Status     `json:"postmortem_status"`
	Severity   Severity   `json:"severity,omitempty"`
	Category   Category   `json:"category,omitempty"`
	Services   []string   `json:"services,omitempty"`
	IncidentID string     `json:"incident_id,omitempty"`
	StartedAt  time.Time  `json:"started_at,omitzero"`
	// Since is the item's last change, or when it was added when it has
	// not changed since.
	Since time.Time `json:"since,omitzero"`
}

// Step is an escalation step to take on one item: its name (unique per
// item, the due date included, so a new due date starts the steps again),
// the event for the item's history, the notifications to queue, and the
// mark the step leaves on the item.
type Step struct {
	Ref        ActionRef
	Name       string
	Event      ActionEvent
	Deliveries []Delivery
	// Stall marks the item stalled.
	Stall bool
	// Recheck flags the item for review, naming the later incident.
	Recheck string
}

// DeliveryState is where a queued notification is.
type DeliveryState string

// The delivery states.
const (
	DeliveryPending DeliveryState = "pending"
	DeliverySent    DeliveryState = "sent"
	DeliveryFailed  DeliveryState = "failed"
)

// Delivery is one notification queued for one channel.
type Delivery struct {
	ID int64
	// Key is unique: the same notification is queued once.
	Key        string
	Channel    string
	Recipients []string
	Ref        ActionRef
	Event      string
	// Message is the notification as JSON, as the notifier reads it.
	Message   []byte
	State     DeliveryState
	Attempts  int
	NextAt    time.Time
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
}
