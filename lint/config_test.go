package lint

import (
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

func TestConfigSwitchesOffRegradesAndAllows(t *testing.T) {
	c, err := ParseConfig([]byte("rules:\n  blame.hindsight: off\n  pii.name: info\n"+
		"allow: [Hellman]\n"), "lint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := "Obviously, Priya forgot the flag. Hellman paged the team."
	got := c.Apply(New(Roster{}).Text("document", text), text)
	for _, f := range got {
		span := text[f.Start:f.End]
		switch {
		case f.Rule == "blame.hindsight":
			t.Errorf("a rule switched off still reports: %+v", f)
		case f.Rule == "pii.name" && f.Severity != Info:
			t.Errorf("pii.name not regraded: %+v", f)
		case strings.Contains(span, "Hellman"):
			t.Errorf("an allowed word is reported: %+v", f)
		}
	}

	for _, bad := range []string{"rules:\n  pii.name: maybe\n", "rulez: {}\n"} {
		if _, err := ParseConfig([]byte(bad), "lint.yaml"); err == nil ||
			!strings.Contains(err.Error(), "lint.yaml") {
			t.Errorf("%q: %v, want an error naming the file", bad, err)
		}
	}
}

func TestInlineMarkerAcceptsOneFindingWithAReason(t *testing.T) {
	text := "<!-- debrief-lint: accept pii.name: the vendor asked to be named -->\n" +
		"Priya restarted the broker.\n" +
		"Priya restarted it again.\n" +
		"<!-- debrief-lint: accept blame.human-error -->\n" +
		"It was human error.\n"
	got := Accept(New(Roster{}).Text("document", text), text)
	lines := map[int][]string{}
	for _, f := range got {
		lines[f.Line] = append(lines[f.Line], f.Rule)
	}
	if len(lines[2]) != 0 {
		t.Errorf("the name on line 2 was accepted by the marker above it: %v", lines[2])
	}
	if len(lines[3]) == 0 {
		t.Error("the marker accepted more than the one finding after it")
	}
	if !strings.Contains(strings.Join(lines[4], " "), "lint.accept-reason") ||
		!strings.Contains(strings.Join(lines[5], " "), "blame.human-error") {
		t.Errorf("a marker without a reason must accept nothing and say so: %v", lines)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("rules:\n  pii.name: off\nallow: [Hellman]\n"))
	f.Add([]byte("rules: {blame.judgement: info}\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data, "lint.yaml")
		if err != nil {
			return
		}
		text := "Obviously, Priya forgot the flag."
		for _, fd := range c.Apply(New(Roster{}).Text("document", text), text) {
			switch fd.Severity {
			case Error, Warning, Info:
			default:
				t.Fatalf("a config gave severity %q", fd.Severity)
			}
		}
	})
}

func FuzzAccept(f *testing.F) {
	f.Add("<!-- debrief-lint: accept pii.name: asked to be named -->\nPriya restarted it.\n")
	f.Add("<!-- debrief-lint: accept blame.human-error -->\nhuman error\n")
	f.Fuzz(func(t *testing.T, text string) {
		for _, fd := range Accept(New(Roster{}).Text("document", text), text) {
			if fd.Line < 0 || fd.Rule == "" {
				t.Fatalf("finding %+v", fd)
			}
		}
	})
}

// TestConfigRefusesUnknownRules checks that a misspelt rule id is refused
// with a message, and that a family ("blame.*") regrades all its rules.
func TestConfigRefusesUnknownRules(t *testing.T) {
	for _, bad := range []string{"rules:\n  pii.nmae: off\n", "rules:\n  complete: off\n",
		"rules:\n  nope.*: off\n"} {
		_, err := ParseConfig([]byte(bad), "lint.yaml")
		if err == nil || !strings.Contains(err.Error(), "no rule") {
			t.Errorf("%q: %v, want an error saying there is no such rule", bad, err)
		}
	}
	c, err := ParseConfig([]byte("rules:\n  blame.*: info\n  complete.*: off\n"), "lint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := "Obviously, the engineer forgot the flag. It was human error."
	found := append(New(Roster{}).Text("document", text),
		Completeness(&debrief.Postmortem{})...)
	got := c.Apply(found, text)
	if len(got) == 0 {
		t.Fatal("blame.* info dropped every finding")
	}
	for _, f := range got {
		if strings.HasPrefix(f.Rule, "complete.") || f.Severity != Info {
			t.Errorf("blame.* info, complete.* off: %+v", f)
		}
	}
}

// TestMarkersSaySoWhenTheyAcceptNothing checks markers that cannot accept
// anything: an unknown rule, a family, a completeness rule, a reason of
// invisible characters only; and that a marker in upper case or over two
// lines works.
func TestMarkersSaySoWhenTheyAcceptNothing(t *testing.T) {
	tests := []struct {
		marker, rule string // rule: the finding left about the marker, "" for none
	}{
		{"<!-- debrief-lint: accept pii.nmae: vendor asked -->", "lint.accept-rule"},
		{"<!-- debrief-lint: accept blame.*: vendor asked -->", "lint.accept-rule"},
		{"<!-- debrief-lint: accept complete.timeline: no time -->", "lint.accept-rule"},
		{"<!-- debrief-lint: accept pii.name: \u200b -->", "lint.accept-reason"},
		{"<!-- debrief-lint: accept pii.name: \x00 -->", "lint.accept-reason"},
		{"<!-- DEBRIEF-LINT: ACCEPT pii.name: the vendor asked -->", ""},
		{"<!-- debrief-lint: accept pii.name:\nthe vendor asked -->", ""},
	}
	for _, tt := range tests {
		text := tt.marker + "\nPriya restarted the broker.\n"
		var rules []string
		for _, f := range Accept(New(Roster{}).Text("document", text), text) {
			rules = append(rules, f.Rule)
		}
		want := []string{"pii.name", tt.rule}
		if tt.rule == "" {
			want = nil
		}
		if strings.Join(rules, " ") != strings.Join(want, " ") &&
			!(len(want) == 2 && strings.Join(rules, " ") == want[1]+" "+want[0]) {
			t.Errorf("%q: findings %q, want %q", tt.marker, rules, want)
		}
	}
}
