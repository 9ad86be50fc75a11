package lint

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

func TestRoster(t *testing.T) {
	c := New(Roster{
		People: []Person{
			{Name: "Will Thompson", Role: "incident commander"},
			{Name: "Grant Okafor", Role: "release manager"},
		},
		Systems: []string{"Jarvis", "Otto"},
	})
	tests := []struct {
		text string
		want []string // the flagged names
	}{
		{"Will paged the database team at 03:10.", []string{"Will"}},
		{"Will the new limiter cope with bursts?", nil},
		{"Grant approved the rollback.", []string{"Grant"}},
		{"Grant types other than client_credentials were rejected.", nil},
		{"Jarvis reported a successful rollout.", nil},
		{"Otto scaled the pool to zero overnight.", nil},
		{"Mark Jensen wrote the timeline.", []string{"Mark Jensen"}},
		{"We will mark the node pool as deprecated.", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range c.Text("summary", tt.text) {
			if f.Rule == "pii.name" {
				got = append(got, tt.text[f.Start:f.End])
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q: names (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestFindingRoleAndPlace(t *testing.T) {
	c := New(Roster{People: []Person{{Name: "Ayşe Demir", Role: "on-call engineer"}}})
	text := "Summary line.\nThe handover was late; Ayşe Demir forgot to escalate."
	got := c.Text("timeline", text)
	want := []Finding{
		{
			Rule: "pii.name", Severity: Warning, Section: "timeline", Line: 2, Column: 24,
			Start: 37, End: 48, Message: `"Ayşe Demir" looks like a person's name`,
			Suggestion:  `Use the person's role: "the on-call engineer".`,
			Replacement: "the on-call engineer",
		},
		{
			Rule: "blame.person-failed", Severity: Warning, Section: "timeline", Line: 2,
			Column: 35, Start: 49, End: 58,
		},
	}
	if len(got) != 2 {
		t.Fatalf("got %d findings, want 2: %+v", len(got), got)
	}
	if diff := cmp.Diff(want[0], got[0]); diff != "" {
		t.Errorf("name finding (-want +got):\n%s", diff)
	}
	g := got[1]
	g.Message, g.Suggestion = "", ""
	if diff := cmp.Diff(want[1], g); diff != "" {
		t.Errorf("blame finding (-want +got):\n%s", diff)
	}
	data, err := json.Marshal(got[0])
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rule", "severity", "section", "line", "column", "start",
		"end", "message", "suggestion"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("JSON of a finding lacks %q: %s", k, data)
		}
	}
}

func TestEmbeddedRulesLoad(t *testing.T) {
	if _, err := loadRules(rulesYAML); err != nil {
		t.Fatal(err)
	}
	if _, err := loadRules([]byte("labels: [")); err == nil {
		t.Error("a broken rules file loaded without an error")
	}
}

func TestTeamMemberWithoutRoleIsAResponder(t *testing.T) {
	p := &debrief.Postmortem{Team: []debrief.TeamMember{{Name: "Priya Raman"}}}
	for _, f := range New(ReportRoster(p)).Text("summary", "Priya Raman restarted the pods.") {
		if f.Rule == "pii.name" && f.Replacement != "a responder" {
			t.Fatalf("replacement %q, want \"a responder\"", f.Replacement)
		}
	}
}

// TestDocumentRosterKeepsPeople checks that a team member whose first name
// the report also writes in lower case ("the priya dashboard") is still
// found and replaced by their role.
func TestDocumentRosterKeepsPeople(t *testing.T) {
	p := &debrief.Postmortem{Team: []debrief.TeamMember{
		{Name: "Priya", Role: debrief.RoleIncidentCommander}}}
	text := "Priya forgot to renew the certificate. The priya dashboard went red."
	got := Redact(text, New(DocumentRoster(p, text)).Text("document", text))
	if want := "The incident commander forgot"; !strings.Contains(got, want) {
		t.Errorf("redacted: %q, want it to contain %q", got, want)
	}
}

// TestLowerCaseLogin checks that a roster name written in lower case, as a
// login is ("carl"), is a person where it acts as one: the subject of a
// verb. As a plain word it stays a word.
func TestLowerCaseLogin(t *testing.T) {
	c := New(Roster{People: []Person{{Name: "carl", Role: "on-call engineer"},
		{Name: "Will Turner", Role: "incident commander"}}})
	tests := []struct {
		text string
		want []string
	}{
		{"carl forgot to restart the pod.", []string{"pii.name", "blame.person-failed"}},
		{"Then carl restarted the pod.", []string{"pii.name"}},
		{"We will restart the pod.", nil},
		{"The carl script restarted the pod.", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range c.Text("summary", tt.text) {
			got = append(got, f.Rule)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q: rules (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestRosterFirstNameInContext checks that a roster person's first name
// used as a system's name ("the Jarvis service") is not taken for them.
func TestRosterFirstNameInContext(t *testing.T) {
	c := New(Roster{People: []Person{{Name: "Jarvis Cocker", Role: "release manager"}}})
	for text, want := range map[string]bool{
		"Will the Jarvis service recover on its own?": false,
		"The Jarvis queue backed up.":                 false,
		"Jarvis paged the database team.":             true,
	} {
		got := false
		for _, f := range c.Text("s", text) {
			got = got || f.Rule == "pii.name"
		}
		if got != want {
			t.Errorf("%q: name %v, want %v", text, got, want)
		}
	}
}
