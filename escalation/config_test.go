package escalation

import (
	"strings"
	"testing"
)

func TestParseNamesWhatIsWrong(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"escalation:\n  stalled_after_days: 1.5\n", `line 2: "1.5" is not a whole number`},
		{"escalation:\n  stalled_after_dayz: 3\n", `line 2: unknown key "stalled_after_dayz"`},
		{"chanels: {}\n", `line 1: unknown key "chanels"`},
		{"escalation:\n  base_url: javascript:alert(1)\n", "base_url"},
		{"escalation:\n  steps: [{name: a, after_days: 0, tell: [owner]}]\n", "after_days"},
		{"escalation:\n  steps: [{name: a, after_days: 2, tell: [boss]}]\n", `unknown "boss"`},
		{"escalation:\n  routes: {overdu: [x]}\n", `"overdu"`},
		{"teams: {a/b: {lead: x}}\n", "teams.a/b: a team's name"},
		{"teams: {ops: {lead: x}, Ops: {lead: y}}\n", "another case"},
		{"escalation:\n  base_url: https://u:p@d.example\n", "base_url"},
		{"teams: [a]\n", "line 1: expected keys, found a list"},
		{"escalation:\n  steps: [{name: a, after_days: 2, tell: owner}]\n",
			"expected a list, found the word `owner`"},
	} {
		_, err := Parse([]byte(c.body), "a.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) ||
			!strings.HasPrefix(err.Error(), "a.yaml: ") {
			t.Errorf("%q: %v; want a.yaml: … %s", c.body, err, c.want)
		}
	}
	c, err := Parse([]byte("escalation:\n  steps:\n"+
		"    - {name: late, after_days: 7, tell: [lead]}\n"+
		"    - {name: early, after_days: 1, tell: [owner]}\n"), "a.yaml")
	if err != nil || c.Steps[0].Name != "early" {
		t.Fatalf("steps are not climbed in order of days: %+v, %v", c, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("escalation:\n  steps: [{name: a, after_days: 2, tell: [owner]}]\n"))
	f.Add([]byte("teams:\n  ops: {lead: lee, members: [dana], routes: {stalled: [x]}}\n"))
	f.Add([]byte("escalation: {stalled_after_days: 0, base_url: 'https://d.example'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "f.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.yaml: ") {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		for i := 1; i < len(c.Steps); i++ {
			if c.Steps[i].AfterDays < c.Steps[i-1].AfterDays {
				t.Fatalf("steps out of order: %+v", c.Steps)
			}
		}
		if c.StalledAfterDays < 0 {
			t.Fatalf("negative stalled days accepted")
		}
	})
}
