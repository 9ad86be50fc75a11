package debrief

import "testing"

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
