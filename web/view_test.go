package web

import (
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/google/go-cmp/cmp"
)

func TestElapsed(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "+0h 00m"},
		{59 * time.Second, "+0h 00m"},
		{4 * time.Minute, "+0h 04m"},
		{64 * time.Minute, "+1h 04m"},
		{26*time.Hour + 5*time.Minute, "+1d 02h 05m"},
		{-5 * time.Minute, "−0h 05m"},
	}
	for _, tt := range tests {
		if got := elapsed(tt.d); got != tt.want {
			t.Errorf("elapsed(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := map[time.Duration]string{
		0: "", 45 * time.Minute: "45m", 125 * time.Minute: "2h 05m",
		(3*24+4)*time.Hour + 10*time.Minute: "3d 04h 10m",
	}
	for d, want := range tests {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// whyShape renders a forest as "id(children…)" for compact comparison.
func whyShape(ns []*whyNode) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += " "
		}
		s += string(rune('0' + n.ID))
		if len(n.Children) > 0 {
			s += "(" + whyShape(n.Children) + ")"
		}
	}
	return s
}

func TestWhyForest(t *testing.T) {
	tests := []struct {
		name string
		whys []debrief.Why
		want string
	}{
		{"chain", []debrief.Why{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 2}}, "1(2(3))"},
		{"branches keep order", []debrief.Why{
			{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 1}, {ID: 4}, {ID: 5, ParentID: 4},
		}, "1(2 3) 4(5)"},
		{"child before parent", []debrief.Why{{ID: 2, ParentID: 1}, {ID: 1}}, "1(2)"},
		{"missing parent starts a chain", []debrief.Why{{ID: 1}, {ID: 2, ParentID: 9}}, "1 2"},
		{"cycle is cut, not lost", []debrief.Why{
			{ID: 1}, {ID: 2, ParentID: 3}, {ID: 3, ParentID: 2},
		}, "1 2(3)"},
		{"self parent", []debrief.Why{{ID: 1, ParentID: 1}}, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := whyShape(whyForest(tt.whys)); got != tt.want {
				t.Errorf("forest = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGroupsKeepCustomCategories(t *testing.T) {
	causes := []debrief.Cause{
		{Category: "Weather", Text: "storm"},
		{Category: debrief.BoneTechnology, Text: "disk"},
		{Text: "unsorted"},
		{Category: debrief.BonePeople, Text: "handover"},
	}
	var got []string
	for _, g := range causeGroups(causes) {
		got = append(got, g.Label)
	}
	want := []string{"People", "Technology", "Weather", "Not yet categorised"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
}

func TestFormatHelpers(t *testing.T) {
	if got := formatNumber(1250000); got != "1,250,000" {
		t.Errorf("formatNumber = %q", got)
	}
	if got := formatNumber(-1000); got != "-1,000" {
		t.Errorf("formatNumber(-1000) = %q", got)
	}
	long := "The pool size moved from two hundred to twenty"
	if got := shorten(20, long); got != "The pool size moved…" {
		t.Errorf("shorten = %q", got)
	}
	for in, want := range map[string]string{
		"https://x.example/a": "https://x.example/a", "mailto:a@b.example": "mailto:a@b.example",
		"javascript:alert(1)": "", " JavaScript:alert(1)": "", "data:text/html,x": "",
	} {
		if got := safeURL(in); got != want {
			t.Errorf("safeURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := humanize(debrief.StatusInReview); got != "In review" {
		t.Errorf("humanize = %q", got)
	}
}
