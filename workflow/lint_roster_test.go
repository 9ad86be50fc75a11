package workflow_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief/lint"
	"github.com/debrief-oss/debrief/workflow"
)

func TestParseRoster(t *testing.T) {
	got, err := workflow.ParseRoster([]byte(`people:
  - name: " Priya Raman "
    role: database on-call
  - name: Mark Jensen
`), "roster.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []lint.Person{{Name: "Priya Raman", Role: "database on-call"},
		{Name: "Mark Jensen"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("roster (-want +got):\n%s", diff)
	}
	if got, err := workflow.ParseRoster(nil, "empty.yaml"); err != nil || len(got) != 0 {
		t.Errorf("empty file: %v, %v; want no people", got, err)
	}

	for _, bad := range []struct{ data, want string }{
		{"people:\n  - nmae: Priya\n", "field nmae not found"},
		{"people:\n  - role: sre\n", "people[0]: the name is empty"},
		{"people:\n  - name: \"Pri\\u0007ya\"\n", "people[0]: a name or role"},
		{"people:\n  - name: " + strings.Repeat("x", 400) + "\n", "people[0]"},
		{"people: 7\n", "roster.yaml"},
	} {
		_, err := workflow.ParseRoster([]byte(bad.data), "roster.yaml")
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParseRoster(%q) = %v; want an error with %q", bad.data, err, bad.want)
		}
	}
}

func FuzzParseRoster(f *testing.F) {
	f.Add([]byte("people:\n  - name: Priya Raman\n    role: on-call\n"))
	f.Add([]byte("people: []\n"))
	f.Add([]byte("people:\n  - name: [a, b]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		people, err := workflow.ParseRoster(data, "fuzz.yaml")
		if err != nil {
			return
		}
		for _, p := range people {
			if strings.TrimSpace(p.Name) == "" || strings.ContainsAny(p.Name+p.Role, "\n\r\x00") {
				t.Errorf("accepted person %q", p)
			}
		}
		// A roster the parser accepts must be one the checker can use.
		lint.New(lint.Roster{People: people}).Text("x", "Priya Raman paged Mark.")
	})
}
