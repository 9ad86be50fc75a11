package debrief

import (
	"strings"
	"testing"
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
