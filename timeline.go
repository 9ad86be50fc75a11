package debrief

import "time"

// EventKind says what a timeline event was in the response.
type EventKind string

// The timeline event kinds. The zero kind is a plain event.
const (
	EventOther         EventKind = ""
	EventDetection     EventKind = "detection"
	EventEscalation    EventKind = "escalation"
	EventAction        EventKind = "action"
	EventCommunication EventKind = "communication"
	EventMitigation    EventKind = "mitigation"
	EventResolution    EventKind = "resolution"
)

// EventKinds lists the named kinds in the order a response usually meets them.
var EventKinds = []EventKind{
	EventDetection, EventEscalation, EventAction,
	EventCommunication, EventMitigation, EventResolution,
}

// TimelineEvent is one entry of the incident's chronology. The original text
// is kept beside the parsed time, so a reader can always check the parse.
type TimelineEvent struct {
	// Time is the parsed moment in UTC; zero when TimeText could not be
	// parsed to a full moment.
	Time time.Time `json:"time,omitzero"`
	// TimeText is the timestamp as the author wrote it ("04:49 PM UTC",
	// "2022-06-02 HH:mm").
	TimeText string    `json:"time_text,omitempty"`
	Text     string    `json:"text"`
	Kind     EventKind `json:"kind,omitempty"`
	// Source says where the event came from: "report", "chat", "alert", "manual".
	Source string `json:"source,omitempty"`
	// Flag marks a time that is doubtful rather than silently fixed:
	// "out_of_order", "impossible", "unparsed", "approximate".
	Flag string `json:"flag,omitempty"`
}

// The timeline event flags.
const (
	FlagOutOfOrder  = "out_of_order"
	FlagImpossible  = "impossible"
	FlagUnparsed    = "unparsed"
	FlagApproximate = "approximate"
)
