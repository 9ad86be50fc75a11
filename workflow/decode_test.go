package workflow_test

import (
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

func TestDecodeReportSaysWhereTheInputIsWrong(t *testing.T) {
	tests := []struct {
		name, body, field, message string
	}{
		{"unknown field", `{"title":"x","titel":"y"}`, "titel", `unknown field "titel"`},
		{"wrong type", `{"title":"x","timeline":{"a":1}}`, "timeline", "must be an array"},
		{"nested wrong type", `{"summary":{"narrative":3}}`, "summary.narrative", "must be a string"},
		{"syntax", "{\n  \"title\": \"x\",\n  oops\n}", "", "line 3, column 3"},
		{"truncated", `{"title":"x"`, "", "ends too early"},
		{"empty", ``, "", "body is empty"},
		{"not an object", `[1,2]`, "", "must be a JSON object"},
		{"two values", `{} {}`, "", "more than one JSON value"},
		{"bad time", `{"created_at":"yesterday"}`, "", "does not fit"},
		{"Latin-1", "{\n  \"title\": \"Caf\xe9\"}", "",
			"not valid UTF-8: byte 0xe9 at line 2, column 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := workflow.DecodeReport([]byte(tt.body))
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Fatalf("error %v, want invalid", err)
			}
			if got := debrief.ErrorField(err); got != tt.field {
				t.Errorf("field %q, want %q", got, tt.field)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q does not contain %q", err, tt.message)
			}
		})
	}
}

func TestSectionDecodeRefusesOtherSectionsFields(t *testing.T) {
	sec, _ := workflow.SectionByKey("timeline")
	_, err := sec.Decode([]byte(`{"timeline":[],"title":"sneaky"}`))
	if debrief.ErrorField(err) != "title" {
		t.Errorf("timeline section with a title: %v, want an error on title", err)
	}
	p, err := sec.Decode([]byte(`{"timeline":[{"text":"Alert fired","kind":"detection"}]}`))
	if err != nil || len(p.Timeline) != 1 || p.Timeline[0].Kind != debrief.EventDetection {
		t.Errorf("decoded %+v, %v; want one detection event", p, err)
	}
	if _, err := sec.Decode([]byte("{\"timeline\":[{\"text\":\"\xc3\"}]}")); err == nil ||
		!strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("a section that is not UTF-8: %v, want it refused", err)
	}
	if _, err := workflow.SectionByKey("nope"); debrief.ErrorKind(err) != debrief.KindNotFound {
		t.Errorf("unknown section: %v, want not found", err)
	}
}

// TestDecodeReportDropsTheSource: where a report came from is debrief's
// record, so a body cannot pass a person's write off as an import.
func TestDecodeReportDropsTheSource(t *testing.T) {
	p, err := workflow.DecodeReport([]byte(`{"title":"x","source":{"format":"markdown"}}`))
	if err != nil || p.Source != (debrief.Source{}) {
		t.Errorf("decoded source %+v, %v; want none", p.Source, err)
	}
}

func FuzzDecodeReport(f *testing.F) {
	f.Add([]byte(`{"title":"x","timeline":[{"text":"a","time":"2026-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"analysis":{"whys":[{"id":1,"answer":"a"},{"id":2,"parent_id":1}]}}`))
	f.Add([]byte(`{"impacts":[{"minutes_down":1e308}]}`))
	f.Add([]byte("{\"title\":\"\xff\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := workflow.DecodeReport(data)
		if err != nil {
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Fatalf("decode error of kind %v: %v", debrief.ErrorKind(err), err)
			}
			return
		}
		// Whatever decodes must validate without panicking, and every
		// refusal must name its field or be about the whole report.
		if err := p.Validate(); err != nil && debrief.ErrorKind(err) != debrief.KindInvalid {
			t.Fatalf("validate error of kind %v: %v", debrief.ErrorKind(err), err)
		}
	})
}
