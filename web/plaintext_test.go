package web

import (
	"strings"
	"testing"
)

func TestSummaryTextReadsOnlyTheStart(t *testing.T) {
	long := "**Start** " + strings.Repeat("word ", 1<<20)
	got := summaryText(40, long)
	if got != "Start word word word word word word…" {
		t.Errorf("summaryText = %q", got)
	}
}
