package markdown

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// nativeRoundTrip writes p and parses it back.
func nativeRoundTrip(t *testing.T, p *debrief.Postmortem) (*Result, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatalf("Write: %v", err)
	}
	res, err := Parse(Document{Name: "report.md", Data: buf.Bytes()})
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, buf.Bytes())
	}
	return res, buf.Bytes()
}

// TestNativeRoundTrip is the format's property: for any report, Parse of
// Write gives back the report in normal form, field for field, without
// warnings; and the normal form is stable.
func TestNativeRoundTrip(t *testing.T) {
	cases := 600
	if testing.Short() {
		cases = 100
	}
	for seed := range uint64(cases) {
		p := newNativeGenerator(seed).postmortem()
		want := Normalize(p)
		res, out := nativeRoundTrip(t, p)
		if diff := cmp.Diff(want, res.Postmortem); diff != "" {
			t.Fatalf("seed %d: Parse(Write(p)) differs from Normalize(p) (-want +got):\n%s\n%s",
				seed, diff, keepOutput(t, out))
		}
		if len(res.Warnings) > 0 {
			t.Fatalf("seed %d: warnings on debrief's own output: %v\n%s",
				seed, res.Warnings, keepOutput(t, out))
		}
		if diff := cmp.Diff(want, Normalize(want)); diff != "" {
			t.Fatalf("seed %d: Normalize is not idempotent:\n%s", seed, diff)
		}
		var again bytes.Buffer
		if err := Write(&again, res.Postmortem); err != nil || !bytes.Equal(out, again.Bytes()) {
			t.Fatalf("seed %d: writing the parsed report again changed the file (err %v)",
				seed, err)
		}
	}
}

// TestEditedProseIsImported checks that the body, not a hidden copy, is
// the source of truth: a reviewer's edit to the narrative is what comes in.
func TestEditedProseIsImported(t *testing.T) {
	p := nativeFullReport()
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(buf.String(), "The checkout service",
		"After a review, the checkout service", 1)
	res, err := Parse(Document{Name: "x.md", Data: []byte(edited)})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Postmortem.Summary.Narrative; !strings.HasPrefix(got, "After a review,") {
		t.Errorf("narrative after edit = %q", got)
	}
}

func TestNormalizeWhyOrder(t *testing.T) {
	whys := []debrief.Why{
		{ID: 3, ParentID: 1, Answer: "c"},
		{ID: 1, Answer: "a"},
		{ID: 2, ParentID: 1, Answer: "b"},
		{ID: 4, ParentID: 3, Answer: "d"},
		{ID: 7, ParentID: 8, Answer: "cycle 7"},
		{ID: 8, ParentID: 7, Answer: "cycle 8"},
		{ID: 5, ParentID: 99, Answer: "orphan"},
	}
	got := Normalize(&debrief.Postmortem{Analysis: debrief.Analysis{Whys: whys}}).Analysis.Whys
	var order []int
	for _, w := range got {
		order = append(order, w.ID)
	}
	if diff := cmp.Diff([]int{1, 3, 4, 2, 5, 7, 8}, order); diff != "" {
		t.Errorf("why order (-want +got):\n%s", diff)
	}
}

func TestNormalizeEmptyAndTimes(t *testing.T) {
	p := &debrief.Postmortem{Tags: []string{}, Fields: map[string]string{},
		Title: "bad \xff and \x00"}
	n := Normalize(p)
	if n.Tags != nil || n.Fields != nil {
		t.Errorf("empty slice or map kept: %#v %#v", n.Tags, n.Fields)
	}
	if n.Title != "bad \uFFFD and \uFFFD" {
		t.Errorf("title = %q", n.Title)
	}
	if p.Tags == nil {
		t.Error("Normalize changed its argument")
	}
}

// keepOutput saves a failing case's file for inspection, as it is too long
// to read in the test log, and says where it is.
func keepOutput(t *testing.T, out []byte) string {
	t.Helper()
	f, err := os.CreateTemp("", "debrief-native-*.md")
	if err != nil {
		return "(the file could not be kept: " + err.Error() + ")"
	}
	defer f.Close()
	f.Write(out)
	return "the file written is kept in " + f.Name()
}

// TestNativeKeepsActionTracking: an item's verification, ticket and marks,
// which its table row does not show, come back from the front matter.
func TestNativeKeepsActionTracking(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	p := &debrief.Postmortem{ID: "pm-1", Title: "Replica lag", Status: debrief.StatusFinal,
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Alert on lag", Owner: "dana",
				Status: debrief.ActionVerified, Closure: &debrief.Closure{Implemented: true,
					Tested: true, Documented: true, Result: "fired in 40 s",
					Evidence: "https://grafana.example/d/1"},
				VerifiedBy: "dana", VerifiedAt: at, UpdatedBy: "dana", UpdatedAt: at,
				Ticket: &debrief.Ticket{System: "jira", Key: "OPS-7",
					URL: "https://j.example/OPS-7", Status: "Done", SyncedAt: at},
				Recheck: "inc-9"},
			{Number: 2, Description: "Runbook", Status: debrief.ActionOpen, Stalled: true},
		}}
	res, out := nativeRoundTrip(t, p)
	if diff := cmp.Diff(Normalize(p).ActionItems, res.Postmortem.ActionItems); diff != "" {
		t.Fatalf("items after the round trip (-want +got):\n%s\n%s", diff, out)
	}
}
