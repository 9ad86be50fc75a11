package lint

import (
	"strings"
	"testing"
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
