package debrief_test

import (
	"slices"
	"testing"

	"github.com/debrief-oss/debrief"
)

func TestGuessEventKind(t *testing.T) {
	tests := map[string]debrief.EventKind{
		"Automated monitoring detects increased error rates": debrief.EventDetection,
		"Chia operations alarms fire":                        debrief.EventDetection,
		"on-call paged":                                      debrief.EventDetection,
		"paged in the DBA":                                   debrief.EventEscalation,
		"Incident declared, rollback attempted":              debrief.EventEscalation,
		"Rollback fails due to ArgoCD configuration issues":  debrief.EventOther,
		"failed over to the standby":                         debrief.EventMitigation,
		"Operations engineers revert site repo changes":      debrief.EventMitigation,
		"Service fully restored":                             debrief.EventResolution,
		"alert resolved":                                     debrief.EventResolution,
		"all clear given":                                    debrief.EventResolution,
		"Status page updated with incident details":          debrief.EventCommunication,
		"customers notified by e-mail":                       debrief.EventCommunication,
		"Manual configuration changes deployed":              debrief.EventAction,
		"Mempool is back to zero.":                           debrief.EventOther,
	}
	for text, want := range tests {
		if got := debrief.GuessEventKind(text); got != want {
			t.Errorf("debrief.GuessEventKind(%q) = %q, want %q", text, got, want)
		}
	}
	if !slices.Contains(debrief.EventKinds, debrief.GuessEventKind("restarted the pods")) {
		t.Errorf("an action is not a known kind")
	}
}
