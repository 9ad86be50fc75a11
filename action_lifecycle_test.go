package debrief

import (
	"strings"
	"testing"
	"time"
)

func TestCheckActionMove(t *testing.T) {
	closure := &Closure{Implemented: true, Tested: true, Documented: true,
		Result: "alert fired in staging", Evidence: "https://grafana.example/d/1"}
	cases := []struct {
		from  ActionStatus
		move  ActionMove
		field string // "" when allowed
	}{
		{ActionOpen, ActionMove{To: ActionInProgress}, ""},
		{"", ActionMove{To: ActionDone}, ""},
		{ActionOpen, ActionMove{To: ActionOpen}, "to"},
		{ActionOpen, ActionMove{To: ActionVerified, Closure: closure}, "to"},
		{ActionOpen, ActionMove{To: ActionBlocked}, "reason"},
		{ActionOpen, ActionMove{To: ActionBlocked, Reason: "  "}, "reason"},
		{ActionDone, ActionMove{To: ActionOpen}, "reason"},
		{ActionBlocked, ActionMove{To: ActionOpen}, ""},
		{ActionDone, ActionMove{To: ActionVerified}, "closure"},
		{ActionDone, ActionMove{To: ActionVerified, Closure: &Closure{Implemented: true}},
			"closure"},
		{ActionDone, ActionMove{To: ActionVerified, Closure: &Closure{Implemented: true,
			Tested: true, Documented: true, Result: "ok", Evidence: "ftp://x"}}, "closure"},
		{ActionDone, ActionMove{To: ActionVerified, Closure: closure}, ""},
		{ActionVerified, ActionMove{To: ActionDone}, "to"},
		{ActionOpen, ActionMove{To: ActionInProgress,
			Reason: strings.Repeat("x", MaxMoveText+1)}, "reason"},
		{ActionOpen, ActionMove{To: ActionInProgress, Reason: "bad\xff"}, "reason"},
	}
	for _, c := range cases {
		err := CheckActionMove(&ActionItem{Status: c.from}, c.move)
		if got := ErrorField(err); got != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%q → %+v: %v; want field %q", c.from, c.move, err, c.field)
		}
	}
}

func TestParseActionRef(t *testing.T) {
	for in, want := range map[string]ActionRef{
		"incident-42#3": {"incident-42", 3}, "a/b/7": {"a/b", 7}, " x#1 ": {"x", 1},
	} {
		got, err := ParseActionRef(in)
		if err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "#3", "x#", "x#0", "x#-1", "x#y", "plain"} {
		if _, err := ParseActionRef(bad); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
}

func TestQuadrantsAndRank(t *testing.T) {
	item := func(impact, effort Level, p Purpose, due string) *ActionItem {
		return &ActionItem{Impact: impact, Effort: effort, Purpose: p, Due: due}
	}
	if q := item(LevelMedium, LevelMedium, "", "").Quadrant(); q != QuadrantQuickWin {
		t.Errorf("2/2 is %q", q)
	}
	if q := item(LevelLow, LevelHigh, "", "").Quadrant(); q != QuadrantDeprioritise {
		t.Errorf("1/3 is %q", q)
	}
	if q := item("", LevelHigh, "", "").Quadrant(); q != "" {
		t.Errorf("unrated is %q", q)
	}
	a, b := item(LevelHigh, LevelLow, PurposePrevention, "2027-01-01"),
		item(LevelHigh, LevelLow, PurposeMitigation, "2026-01-01")
	aq, ap, _ := a.Rank()
	bq, bp, _ := b.Rank()
	if aq != bq || ap >= bp {
		t.Errorf("prevention does not rank above mitigation in one quadrant")
	}
	var l Level
	for in, want := range map[string]Level{`3`: LevelHigh, `"2"`: LevelMedium,
		`"low"`: LevelLow} {
		if err := l.UnmarshalJSON([]byte(in)); err != nil || l != want {
			t.Errorf("%s: %v %v", in, l, err)
		}
	}
	if err := l.UnmarshalJSON([]byte(`4`)); err == nil {
		t.Error("impact 4 was read")
	}
}

func TestReopenClearsTheVerification(t *testing.T) {
	item := &ActionItem{Status: ActionDone}
	closure := &Closure{Implemented: true, Tested: true, Documented: true, Result: "ok",
		Evidence: "https://e.example/1"}
	item.Apply(ActionMove{To: ActionVerified, Closure: closure}, "dana", time.Now())
	if item.Closure == nil || item.VerifiedBy != "dana" {
		t.Fatalf("verified: %+v", item)
	}
	item.Apply(ActionMove{To: ActionOpen, Reason: "failed again"}, "lee", time.Now())
	if item.Closure != nil || item.VerifiedBy != "" || !item.VerifiedAt.IsZero() {
		t.Fatalf("reopened item keeps its verification: %+v", item)
	}
	ev := ActionEvent{Kind: ActionEventStatus, From: ActionVerified, To: ActionOpen,
		Note: "failed again"}
	if got := ev.Describe(); got != "moved from verified to open: failed again" {
		t.Errorf("history line %q", got)
	}
}

func TestDaysOverdueFarBack(t *testing.T) {
	item := &ActionItem{Due: "1900-01-01"}
	if got := item.DaysOverdue("2026-01-01"); got != 46021 {
		t.Errorf("days since 1900: %d", got)
	}
	if (&ActionItem{Due: "2026-01-01", Status: ActionDone}).DaysOverdue("2026-02-01") != 0 {
		t.Error("a done item counts as overdue")
	}
}

func TestEvidenceNeedsAHost(t *testing.T) {
	for link, ok := range map[string]bool{"https://x.example/a": true, "https:///x": false,
		"http://": false, "javascript:alert(1)": false, "https://x y": false} {
		c := Closure{Implemented: true, Tested: true, Documented: true, Result: "r",
			Evidence: link}
		if got := len(c.Missing()) == 0; got != ok {
			t.Errorf("%q accepted %v, want %v", link, got, ok)
		}
	}
}
