package timeline

import (
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/google/go-cmp/cmp"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// texts returns the events' texts, cut to their first n bytes.
func texts(events []debrief.TimelineEvent, n int) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Text
		if len(out[i]) > n {
			out[i] = out[i][:n]
		}
	}
	return out
}

func TestCheckAndChronological(t *testing.T) {
	at := func(s string) time.Time { return utc("2024-01-15T" + s + ":00Z") }
	in := []debrief.TimelineEvent{
		{Text: "before any time"},
		{Time: at("10:00"), Text: "a"},
		{Time: at("10:30"), Text: "b", Flag: debrief.FlagOutOfOrder}, // stale flag
		{Time: at("10:10"), Text: "c", Flag: debrief.FlagApproximate},
		{Text: "note on c"},
		{Time: at("10:05"), Text: "d", Flag: debrief.FlagImpossible},
		{Time: at("11:00"), Text: "e"},
	}
	checked := Check(in)
	var flags []string
	for _, e := range checked {
		flags = append(flags, e.Flag)
	}
	wantFlags := []string{"", "", "", "out_of_order", "", "impossible", ""}
	if diff := cmp.Diff(wantFlags, flags); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
	if in[2].Flag != debrief.FlagOutOfOrder {
		t.Errorf("Check changed its input")
	}
	wantOrder := []string{"before any time", "a", "d", "c", "note on c", "b", "e"}
	if diff := cmp.Diff(wantOrder, texts(Chronological(checked), 50)); diff != "" {
		t.Errorf("chronological (-want +got):\n%s", diff)
	}
}

func TestMerge(t *testing.T) {
	at := func(s string) time.Time { return utc("2024-01-15T" + s + ":00Z") }
	existing := []debrief.TimelineEvent{
		{Time: at("10:00"), Text: "alert fired", Source: "report"},
		{Time: at("12:00"), Text: "resolved", Source: "report"},
	}
	added := []debrief.TimelineEvent{
		{Time: at("10:00"), Text: "  alert\n fired ", Source: "paste"}, // already there
		{Time: at("11:00"), Text: "rolled back", Source: "paste"},
		{Time: at("11:00"), Text: "rolled back", Source: "paste"}, // twice in the paste
		{Time: at("12:30"), Text: "all clear", Source: "paste"},
	}
	merged, skipped := Merge(existing, added)
	if skipped != 2 {
		t.Errorf("skipped = %d, want 2", skipped)
	}
	want := []string{"alert fired", "resolved", "rolled back", "all clear"}
	if diff := cmp.Diff(want, texts(merged, 50)); diff != "" {
		t.Errorf("merged (-want +got):\n%s", diff)
	}
	if merged[2].Flag != debrief.FlagOutOfOrder || merged[3].Flag != "" {
		t.Errorf("flags = %q, %q", merged[2].Flag, merged[3].Flag)
	}
}

func TestFromAlerts(t *testing.T) {
	in := []debrief.IncidentEvent{
		{At: utc("2024-01-15T10:00:00Z"), Kind: debrief.EventDetection, Source: "pagerduty",
			Status: debrief.AlertFiring, Text: "Triggered: db down"},
		{At: utc("2024-01-15T09:59:00Z"), Kind: debrief.EventEscalation, Source: "pagerduty",
			Status: debrief.AlertAcknowledged},
	}
	got := FromAlerts(in)
	want := []debrief.TimelineEvent{
		{Time: in[0].At, TimeText: "2024-01-15 10:00:00 UTC", Text: "Triggered: db down",
			Kind: debrief.EventDetection, Source: "alert"},
		{Time: in[1].At, TimeText: "2024-01-15 09:59:00 UTC", Text: "pagerduty alert acknowledged",
			Kind: debrief.EventEscalation, Source: "alert", Flag: debrief.FlagOutOfOrder},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
