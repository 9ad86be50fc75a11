package alerting

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/corpus"
)

// genericSeeds are bodies of debrief's generic shape, which the corpus
// has none of.
var genericSeeds = []string{
	`{"group_key":"g","status":"firing","time":"2026-03-07T10:00:00Z","title":"t",` +
		`"severity":"P2","services":["api"],"category":"Performance",` +
		`"url":"https://example.com/a","user_impact":true}`,
	`{"events":[{"group_key":"g","alert_key":"a","status":"resolved",` +
		`"time":"2026-03-07T10:00:00.123456789+02:00","ends_at":"2026-03-07T08:00:00Z"}]}`,
}

// seedFuzz adds every alerting payload of the corpus, when there is one,
// and the generic seeds: each parser is also fed the others' bodies.
func seedFuzz(f *testing.F) {
	for _, s := range genericSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(alertBody(`{"status":"resolved","labels":{"alertname":"A"},` +
		`"startsAt":"2026-03-07T10:00:00Z","endsAt":"2026-03-07T11:00:00Z"}`)))
	reports := corpus.Lookup()
	if reports == "" {
		return
	}
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(reports), "payloads", "*", "*.json"))
	for _, file := range files {
		if strings.Contains(filepath.ToSlash(file), "/slack-export/") {
			continue
		}
		if body, err := os.ReadFile(file); err == nil {
			f.Add(body)
		}
	}
}

// fuzzParse checks the promises Parse keeps for whatever source is sent:
// no panic; either events that each pass eventProblem, or an invalid-input
// error with a short, readable message.
func fuzzParse(f *testing.F, source debrief.AlertSource) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Parse(source, body)
		if err != nil {
			msg := debrief.ErrorMessage(err)
			if debrief.ErrorKind(err) != debrief.KindInvalid || msg == "" ||
				!utf8.ValidString(msg) || len(msg) > 600 {
				t.Fatalf("error of kind %v: %q", debrief.ErrorKind(err), msg)
			}
			return
		}
		for _, ev := range events {
			if problem := eventProblem(source, ev); problem != "" {
				t.Fatalf("event %+v has %s", ev, problem)
			}
		}
	})
}

func FuzzParseAlertmanager(f *testing.F) { fuzzParse(f, debrief.SourceAlertmanager) }
func FuzzParseGrafana(f *testing.F)      { fuzzParse(f, debrief.SourceGrafana) }
func FuzzParsePagerDuty(f *testing.F)    { fuzzParse(f, debrief.SourcePagerDuty) }
func FuzzParseOpsgenie(f *testing.F)     { fuzzParse(f, debrief.SourceOpsgenie) }
func FuzzParseGeneric(f *testing.F)      { fuzzParse(f, debrief.SourceGeneric) }

// FuzzVerifyPagerDutySignature checks that a header holding the body's
// signature is accepted whatever else it holds, and that a header is
// accepted only when it holds that signature.
func FuzzVerifyPagerDutySignature(f *testing.F) {
	body := `{"event":{"event_type":"incident.triggered"}}`
	f.Add([]byte(body), sign(body, "s"), "s")
	f.Add([]byte(body), "v1=,v1=zz,v2=00,,=", "secret")
	f.Add([]byte{}, "v1="+strings.Repeat("0", 64), "")
	f.Fuzz(func(t *testing.T, body []byte, header, secret string) {
		err := VerifyPagerDutySignature(body, header, secret)
		want := sign(string(body), secret)[3:]
		holds := strings.Contains(strings.ToLower(header), want)
		if err == nil && (secret == "" || !holds) {
			t.Fatalf("accepted header %q for secret %q", header, secret)
		}
		if err != nil && debrief.ErrorKind(err) != debrief.KindUnauthorized {
			t.Fatalf("error of kind %v: %v", debrief.ErrorKind(err), err)
		}
		if secret != "" {
			if err := VerifyPagerDutySignature(body, header+",v1="+want, secret); err != nil {
				t.Fatalf("refused a header with the right signature: %v", err)
			}
		}
	})
}
