package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

// FuzzParse checks that any file is refused with an error that names it,
// or read into a policy that decides and counts deadlines without
// panicking, for an incident of every kind the facts can describe.
func FuzzParse(f *testing.F) {
	f.Add(DefaultYAML())
	f.Add([]byte(copenhagen))
	for _, b := range brokenPolicies {
		f.Add([]byte(b.text))
	}
	facts := fuzzFacts()
	resolvedAt := time.Date(2026, 10, 23, 16, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") ||
				debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Fatalf("error %q (%v) does not name the file or is not invalid input",
					err, debrief.ErrorKind(err))
			}
			return
		}
		for _, fact := range facts {
			d := p.Decide(fact, "fuzz")
			if d.Explanation == "" || !strings.HasPrefix(d.Explanation,
				strings.ReplaceAll(string(d.Outcome), "_", " ")+":") {
				t.Fatalf("decision %s explained as %q", d.Outcome, d.Explanation)
			}
		}
		for _, meeting := range []time.Time{{}, resolvedAt.Add(30 * time.Hour)} {
			ds := p.Deadlines(resolvedAt, meeting)
			if len(ds) != 3 {
				t.Fatalf("%d deadlines", len(ds))
			}
			for _, d := range ds {
				if d.Due.Before(resolvedAt) || d.Rule == "" {
					t.Fatalf("the %s is due %v, before resolution at %v (%s)", d.Kind,
						d.Due, resolvedAt, d.Rule)
				}
			}
		}
	})
}

// fuzzFacts are incidents of every severity, open and resolved, with every
// flag, and with waivers and learning requests.
func fuzzFacts() []Facts {
	var fs []Facts
	for _, sev := range []debrief.Severity{"P1", "P2", "P3", "P4", "", "odd"} {
		for _, in := range []debrief.Incident{resolved(sev, 74), open(sev)} {
			in.UserImpact, in.CriticalProcess = sev == "P3", sev == "P4"
			fs = append(fs, Facts{Incident: in, Recurrences: 3},
				Facts{Incident: in, Requests: []debrief.PolicyRequest{
					waiver("ana", "planned"), learning("bo", ""), learning("di", "cy")}})
		}
	}
	return fs
}
