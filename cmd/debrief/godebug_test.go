package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

// TestServerReadsTheWidestEditorForm: the binary's urlmaxqueryparams lets
// an action items form of debrief.MaxListLen rows (and the editor's spare
// rows), 15 inputs each, through.
func TestServerReadsTheWidestEditorForm(t *testing.T) {
	fields := (debrief.MaxListLen+100)*15 + 10
	if _, err := url.ParseQuery(strings.Repeat("a=1&", fields-1) + "a=1"); err != nil {
		t.Errorf("a form of %d fields: %v", fields, err)
	}
}
