package debrief

import (
	"strings"
	"testing"
)

func TestParseSeverity(t *testing.T) {
	tests := []struct {
		in   string
		want Severity
		note bool
	}{
		{"Critical", "P1", false}, {"SEV1", "P1", false}, {"sev-1", "P1", false},
		{"SEV 1", "P1", false}, {"S1", "P1", false}, {"1", "P1", false},
		{"High", "P2", false}, {"major", "P2", false}, {"Sev2", "P2", false},
		{"Major (High Impact, Service Degradation)", "P2", false},
		{"P2 - customer facing", "P2", false},
		{"Medium", "P3", false}, {"moderate", "P3", false}, {"sev3", "P3", false},
		{"low", "P4", false}, {"Minor", "P4", false}, {"SEV4", "P4", false},
		{"P0", "P1", true}, {"SEV0", "P1", true},
		{"TBD", "", false}, {"P7", "", false}, {"very bad", "", false},
	}
	for _, tt := range tests {
		got, note, ok := ParseSeverity(tt.in)
		if got != tt.want || ok != (tt.want != "") || (note != "") != tt.note {
			t.Errorf("ParseSeverity(%q) = %q, %q, %v; want %q (note %v)",
				tt.in, got, note, ok, tt.want, tt.note)
		}
	}
}

func TestNormalizeSeverity(t *testing.T) {
	tests := []struct {
		in   Severity
		want Severity
	}{
		{"", ""}, {"P3", "P3"}, {" critical ", "P1"}, {"sev1", "P1"}, {"High", "P2"},
		{"SEV-4", "P4"},
	}
	for _, tt := range tests {
		got, err := NormalizeSeverity("severity", tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeSeverity(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	_, err := NormalizeSeverity("incident.severity", "catastrophic")
	if ErrorField(err) != "incident.severity" || !strings.Contains(err.Error(), "P1, P2, P3 or P4") {
		t.Errorf("NormalizeSeverity(catastrophic) = %v, want an error on incident.severity "+
			"listing the ladder", err)
	}
}
