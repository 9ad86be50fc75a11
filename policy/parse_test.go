package policy

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/calendar"
)

// samePolicy compares policies field by field; calendars compare with
// their Equal method.
var samePolicy = cmp.Options{
	cmp.AllowUnexported(Policy{}, rule{}, recurrence{}, approvers{}, deadlineRule{}),
	cmpopts.EquateEmpty(),
}

func TestDefaultYAMLIsDefault(t *testing.T) {
	p, err := Parse(DefaultYAML(), "default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Default(), p, samePolicy); diff != "" {
		t.Errorf("default.yaml differs from Default() (-Default +file):\n%s", diff)
	}
}

// TestDefaultYAMLDocumentsEveryKey checks that the file people start from
// mentions every key the reader knows.
func TestDefaultYAMLDocumentsEveryKey(t *testing.T) {
	text := string(DefaultYAML())
	for _, keys := range [][]string{topKeys, ruleKeys, recurrenceKeys, learningKeys,
		approverKeys, deadlineKeys, stepKeys, calendarKeys, holidayKeys} {
		for _, k := range keys {
			if !regexp.MustCompile(`(?m)^\s*#.*\b` + k + `\b`).MatchString(text) {
				t.Errorf("no comment in default.yaml mentions the key %q", k)
			}
		}
	}
}

func TestParseEmptyIsDefault(t *testing.T) {
	for _, text := range []string{"", "# nothing yet\n", "---\n", "~\n"} {
		p, err := Parse([]byte(text), "policy.yaml")
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if diff := cmp.Diff(Default(), p, samePolicy); diff != "" {
			t.Errorf("%q is not the default policy:\n%s", text, diff)
		}
	}
}

func TestParseKeepsDefaultsForKeysLeftOut(t *testing.T) {
	p, err := Parse([]byte(`
calendar:
  time_zone: Europe/Copenhagen
  holidays:
    - 2026-12-24
    - {date: 2026-12-25, name: Christmas Day}
deadlines:
  draft: {within: 3 business days}
`), "policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	loc, _ := calendar.LoadZone("Europe/Copenhagen")
	want.cal, _ = calendar.New(loc, calendar.Weekdays, []calendar.Holiday{
		{Date: calendar.Date{Year: 2026, Month: 12, Day: 24}},
		{Date: calendar.Date{Year: 2026, Month: 12, Day: 25}, Name: "Christmas Day"}})
	want.deadlines[1].within = calendar.Span{N: 3, Unit: calendar.BusinessDays}
	if diff := cmp.Diff(want, p, samePolicy); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
}

func TestParseRules(t *testing.T) {
	p, err := Parse([]byte(`
rules:
  - name: sev
    severities: [critical, High, sev3]
    waivable: [p2]
  - name: long minor ones
    severities: [P4]
    longer_than: 1h 30 min
    user_impact: false
  - name: noisy
    recurrence: {count: 5, within: 2 weeks}
`), "policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []rule{
		{name: "sev", severities: []debrief.Severity{"P1", "P2", "P3"},
			waivable: []debrief.Severity{"P2"}},
		{name: "long minor ones", severities: []debrief.Severity{"P4"},
			longerThan: 90 * time.Minute},
		{name: "noisy", recurrence: &recurrence{count: 5, within: 14 * 24 * time.Hour}},
	}
	if diff := cmp.Diff(want, p.rules, samePolicy); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	d := p.Decide(Facts{Incident: resolved("P4", 95), Recurrences: 1}, "on demand")
	if d.Explanation != "required: P4, lasted 95 min > 90 min" {
		t.Errorf("explanation %q", d.Explanation)
	}
}

// brokenPolicies are files Parse refuses, with the start of its error.
var brokenPolicies = []struct {
	name, text, want string
}{
	{"not a duration", "rules:\n  - name: severity\n    severities: [P1]\n" +
		"  - name: duration\n    severities: [P3]\n    longer_than: 6O m\n",
		`policy.yaml line 6: rules[1].longer_than: "6O m" is not a duration`},
	{"no rules", "rules: []\n", "policy.yaml line 1: rules: no rules: no incident would"},
	{"rules left empty", "rules:\n# - name: severity\n", "policy.yaml line 1: rules: no rules"},
	{"unknown top key", "rule:\n  - name: x\n",
		"policy.yaml line 1: rule: unknown key; the keys here are rules, " +
			"learning_requests, deadlines, calendar"},
	{"unknown rule key", "rules:\n  - name: d\n    severities: [P3]\n" +
		"    min_duration: 60m\n",
		"policy.yaml line 4: rules[0].min_duration: unknown key"},
	{"key twice", "calendar:\n  time_zone: UTC\n  time_zone: Europe/Oslo\n",
		"policy.yaml line 3: calendar.time_zone: given twice (first on line 2)"},
	{"YAML syntax", "rules:\n  - name: x\n   severities: [P1]\n",
		"policy.yaml line 1: not valid YAML: did not find expected '-' indicator"},
	{"tab indentation", "rules:\n\t- name: x\n",
		"policy.yaml line 2: not valid YAML: found character that cannot start"},
	{"two documents", "rules: []\n---\nrules: []\n",
		"policy.yaml line 2: a second YAML document"},
	{"a list at the top", "- rules\n", "policy.yaml line 1: expected keys"},
	{"rules not a list", "rules: {name: x}\n",
		"policy.yaml line 1: rules: expected a list"},
	{"rule without a name", "rules:\n  - severities: [P1]\n",
		"policy.yaml line 2: rules[0]: a rule needs a name"},
	{"rule names twice", "rules:\n  - {name: a, severities: [P1]}\n" +
		"  - {name: a, severities: [P2]}\n",
		`policy.yaml line 3: rules[1].name: "a" is the name of rules[0] too`},
	{"rule named like the learning request", "rules:\n" +
		"  - {name: Learning Request, severities: [P1]}\n",
		"policy.yaml line 2: rules[0].name: \"Learning Request\" names the approved"},
	{"severities as one string", "rules:\n  - name: s\n    severities: P1, P2\n",
		`policy.yaml line 3: rules[0].severities: expected a list such as [P1, P2], ` +
			`found "P1, P2"`},
	{"two severities in one item", "rules:\n  - name: s\n    severities: [\"P1, P2\"]\n",
		`policy.yaml line 3: rules[0].severities[0]: "P1, P2": list each severity`},
	{"unknown severity", "rules:\n  - name: s\n    severities:\n      - P1\n      - P9\n",
		`policy.yaml line 5: rules[0].severities[1]: "P9" is not a severity`},
	{"empty severities", "rules:\n  - name: s\n    severities: []\n    user_impact: true\n",
		"policy.yaml line 3: rules[0].severities: an empty list covers no incident"},
	{"a rule for everything", "rules:\n  - name: all\n    user_impact: false\n",
		"policy.yaml line 2: rules[0]: the rule names no severities and no condition"},
	{"waivable outside the rule", "rules:\n  - name: s\n    severities: [P1, P2]\n" +
		"    waivable: [P2, P3]\n",
		"policy.yaml line 4: rules[0].waivable[1]: P3 is not among the rule's " +
			"severities (P1 and P2)"},
	{"yes is not a boolean", "rules:\n  - name: u\n    severities: [P3]\n" +
		"    user_impact: yes\n",
		`policy.yaml line 4: rules[0].user_impact: "yes" is not true or false`},
	{"recurrence without a window", "rules:\n  - name: r\n    recurrence: {count: 3}\n",
		"policy.yaml line 3: rules[0].recurrence: needs count and within"},
	{"recurrence of one", "rules:\n  - name: r\n    recurrence: {count: 1, within: 30d}\n",
		"policy.yaml line 3: rules[0].recurrence.count: 1 is out of range: give 2 to"},
	{"recurrence count not a number", "rules:\n  - name: r\n" +
		"    recurrence: {count: three, within: 30d}\n",
		`policy.yaml line 3: rules[0].recurrence.count: "three" is not a whole number`},
	{"two recurrence windows", "rules:\n  - name: r\n    recurrence: {count: 3, " +
		"within: 30d}\n  - name: s\n    recurrence:\n      count: 5\n      within: 7d\n",
		"policy.yaml line 6: rules[1].recurrence.within: 7 days differs from the " +
			"30 days of rules[0]"},
	{"duration of nothing", "rules:\n  - name: d\n    longer_than: 0m\n",
		`policy.yaml line 3: rules[0].longer_than: "0m" is no time at all`},
	{"duration too long", "rules:\n  - name: d\n    longer_than: 99999w\n",
		`policy.yaml line 3: rules[0].longer_than: "99999w" is longer than 10 years`},
	{"duration without a unit", "rules:\n  - name: d\n    longer_than: 60\n",
		`policy.yaml line 3: rules[0].longer_than: "60" is not a duration`},
	{"an alias", "sevs: &s [P1]\n", "policy.yaml line 1: sevs: unknown key"},
	{"an alias in a rule", "rules:\n  - name: a\n    severities: &s [P1]\n" +
		"  - name: b\n    severities: *s\n",
		"policy.yaml line 5: rules[1].severities: expected a list such as [P1, P2], " +
			"found the alias *s"},
	{"a merge key", "rules:\n  - <<: {name: a}\n    severities: [P1]\n",
		"policy.yaml line 2: rules[0].<<: unknown key"},
	{"approvers nobody", "learning_requests:\n  approvers:\n    roles: []\n",
		"policy.yaml line 3: learning_requests.approvers: name at least one role"},
	{"approver role unknown", "learning_requests:\n  approvers:\n" +
		"    roles: [manager]\n",
		`policy.yaml line 3: learning_requests.approvers.roles[0]: "manager" is not a role`},
	{"approver login bad", "learning_requests:\n  approvers:\n" +
		"    people: [\"ana maria\"]\n",
		`policy.yaml line 3: learning_requests.approvers.people[0]: "ana maria" is not ` +
			`a login name`},
	{"deadline unknown step", "deadlines:\n  review: {within: 2d}\n",
		"policy.yaml line 2: deadlines.review: unknown key; the keys here are meeting, " +
			"draft, final"},
	{"deadline span", "deadlines:\n  draft: {after: meeting, within: 5 working days}\n",
		`policy.yaml line 2: deadlines.draft.within: "5 working days": unknown unit`},
	{"deadline from nowhere", "deadlines:\n  final:\n    after: draft\n",
		`policy.yaml line 3: deadlines.final.after: "draft" is not a moment`},
	{"meeting after meeting", "deadlines:\n  meeting: {after: meeting}\n",
		"policy.yaml line 2: deadlines.meeting.after: the meeting cannot count from itself"},
	{"unknown zone", "calendar:\n  time_zone: Europe/Copenhagn\n",
		`policy.yaml line 2: calendar.time_zone: "Europe/Copenhagn" is not a time zone`},
	{"unknown weekday", "calendar:\n  working_days: [mon, tue, wednes]\n",
		`policy.yaml line 2: calendar.working_days[2]: "wednes" is not a weekday`},
	{"no working days", "calendar:\n  working_days: []\n",
		"policy.yaml line 2: calendar.working_days: name at least one working day"},
	{"bad holiday", "calendar:\n  holidays:\n    - 2026-12-24\n    - 2026-12-32\n",
		`policy.yaml line 4: calendar.holidays[1].date: "2026-12-32" is not a date`},
	{"bad holiday in a mapping", "calendar:\n  holidays:\n" +
		"    - {date: 24.12.2026, name: Christmas Eve}\n",
		`policy.yaml line 3: calendar.holidays[0].date: "24.12.2026" is not a date`},
	{"holiday twice", "calendar:\n  holidays:\n    - 2026-12-24\n" +
		"    - {date: 2026-12-24, name: Eve}\n",
		"policy.yaml line 4: calendar.holidays[1].date: 2026-12-24 is listed twice"},
	{"holiday without a date", "calendar:\n  holidays:\n    - {name: Eve}\n",
		"policy.yaml line 3: calendar.holidays[0]: a holiday needs a date"},
	{"holiday unknown key", "calendar:\n  holidays:\n    - {day: 2026-12-24}\n",
		"policy.yaml line 3: calendar.holidays[0].day: unknown key"},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range brokenPolicies {
		p, err := Parse([]byte(tt.text), "policy.yaml")
		if err == nil {
			t.Errorf("%s: no error (rules %d)", tt.name, len(p.rules))
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s:\n got %s\nwant %s…", tt.name, err, tt.want)
		}
		if debrief.ErrorKind(err) != debrief.KindInvalid {
			t.Errorf("%s: kind %v, want invalid", tt.name, debrief.ErrorKind(err))
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(good, DefaultYAML(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(good); err != nil {
		t.Errorf("Load(default file): %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("calendar:\n  time_zone: Mars/Olympus\n"),
		0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.HasPrefix(err.Error(), bad+" line 2: ") {
		t.Errorf("Load(bad) error %v does not name the file and line", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil ||
		!strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("Load(missing) error %v does not name the file", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#\n", MaxFileBytes)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "the limit is") {
		t.Errorf("Load(big) error %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	tests := map[string]time.Duration{
		"60m": time.Hour, "60 min": time.Hour, "1h": time.Hour, "1 hour": time.Hour,
		"1h30m": 90 * time.Minute, "1 h 30 min": 90 * time.Minute, "30d": 720 * time.Hour,
		"30 days": 720 * time.Hour, "4 weeks": 28 * 24 * time.Hour, "90s": 90 * time.Second,
	}
	for in, want := range tests {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "m", "1.5h", "-1h", "1 fortnight", "1h 30", "PT1H"} {
		if got, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) = %v, want an error", in, got)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := map[time.Duration]string{
		45 * time.Second:                   "45 s",
		12 * time.Minute:                   "12 min",
		74 * time.Minute:                   "74 min",
		60*time.Minute + 30*time.Second:    "60 min 30 s",
		3 * time.Hour:                      "3 h",
		3*time.Hour + 5*time.Minute:        "3 h 5 min",
		24 * time.Hour:                     "1 day",
		30 * 24 * time.Hour:                "30 days",
		26*time.Hour + 30*time.Millisecond: "26 h",
		0:                                  "0 s",
	}
	for d, want := range tests {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestDocsShowDefaultYAML keeps the default file printed in
// docs/policy.md the same as the one debrief ships.
func TestDocsShowDefaultYAML(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "policy.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```yaml\n"+string(DefaultYAML())+"```\n") {
		t.Error("docs/policy.md does not show policy/default.yaml as it is; copy it in")
	}
}
