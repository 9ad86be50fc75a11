package debrief

import (
	"strings"
	"testing"
	"time"
)

func TestIncidentValidateNamesItsOwnFields(t *testing.T) {
	start := time.Date(2026, 3, 7, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		in    Incident
		field string
	}{
		{"fine", Incident{Title: "Queue backlog", Status: IncidentMitigated,
			StartedAt: start, ResolvedAt: start.Add(time.Hour)}, ""},
		{"unknown status", Incident{Title: "x", Status: "exploded"}, "status"},
		{"long title", Incident{Title: strings.Repeat("t", MaxTitleLen+1)}, "title"},
		{"service", Incident{Title: "x", Services: []string{"api", "a\x00b"}}, "services[1]"},
		{"resolved first", Incident{Title: "x", StartedAt: start,
			ResolvedAt: start.Add(-time.Minute)}, "resolved_at"},
	}
	for _, tt := range tests {
		err := tt.in.Validate()
		if got := ErrorField(err); got != tt.field || (err == nil) != (tt.field == "") {
			t.Errorf("%s: Validate() = %v (field %q), want field %q", tt.name, err, got, tt.field)
		}
	}

	// In a report the same rules name the fields under "incident.".
	p := Postmortem{Status: StatusDraft, Incident: Incident{Status: "exploded"}}
	if got := ErrorField(p.Validate()); got != "incident.status" {
		t.Errorf("report with a bad incident status: field %q, want incident.status", got)
	}
}

func TestParseIncidentStatusReadsAnyCase(t *testing.T) {
	if got, err := ParseIncidentStatus(" Resolved "); got != IncidentResolved || err != nil {
		t.Errorf("ParseIncidentStatus(Resolved) = %q, %v", got, err)
	}
	if _, err := ParseIncidentStatus("closed"); ErrorField(err) != "status" {
		t.Errorf("ParseIncidentStatus(closed) = %v, want an error about status", err)
	}
}
