package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in   string
		want Span
		text string
	}{
		{"48h", Span{48, Hours}, "48 hours"},
		{"48 hours", Span{48, Hours}, "48 hours"},
		{"1 Hour", Span{1, Hours}, "1 hour"},
		{"7d", Span{7, Days}, "7 days"},
		{" 1 day ", Span{1, Days}, "1 day"},
		{"1 week", Span{7, Days}, "7 days"},
		{"2w", Span{14, Days}, "14 days"},
		{"5 business days", Span{5, BusinessDays}, "5 business days"},
		{"5  Business   Days", Span{5, BusinessDays}, "5 business days"},
		{"1 business day", Span{1, BusinessDays}, "1 business day"},
		{"3bd", Span{3, BusinessDays}, "3 business days"},
	}
	for _, tt := range tests {
		got, err := ParseSpan(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSpan(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			continue
		}
		if got.String() != tt.text {
			t.Errorf("ParseSpan(%q).String() = %q, want %q", tt.in, got, tt.text)
		}
		if again, err := ParseSpan(got.String()); err != nil || again != got {
			t.Errorf("%q does not read back: %v, %v", got, again, err)
		}
	}
}

func TestParseSpanErrors(t *testing.T) {
	tests := []struct{ in, says string }{
		{"", "is not a span"},
		{"48", "is not a span"},
		{"4O h", `unknown unit "o h"`},
		{"-2 days", "is not a span"},
		{"1.5 days", "is not a span"},
		{"60 minutes", `unknown unit "minutes"`},
		{"5 working days", `unknown unit "working days"`},
		{"0 days", "must be 1 to 9999"},
		{"10000 hours", "must be 1 to 9999"},
		{"1500 weeks", "must be 1 to 9999"},
		{"99999999999999999999 days", "must be 1 to 9999"},
		{"1317624576693539402 weeks", "must be 1 to 9999"},
	}
	for _, tt := range tests {
		_, err := ParseSpan(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("ParseSpan(%q) error %v, want one saying %q", tt.in, err, tt.says)
		}
	}
}

func TestAdd(t *testing.T) {
	c := yearEnd(t)
	loc := c.Location()
	from := at(t, loc, "2026-12-23 10:00")
	tests := []struct {
		s    Span
		want string
	}{
		{Span{48, Hours}, "2026-12-25 10:00"},
		{Span{7, Days}, "2026-12-30 10:00"},
		{Span{5, BusinessDays}, "2027-01-05 10:00"},
	}
	for _, tt := range tests {
		if got := c.Add(from, tt.s); !got.Equal(at(t, loc, tt.want)) {
			t.Errorf("Add(%s, %v) = %s, want %s", from.Format(wall), tt.s,
				got.Format(wall), tt.want)
		}
	}
}

// FuzzParseSpan checks that any text is refused or read into a span that
// writes back to itself and can be added without running away.
func FuzzParseSpan(f *testing.F) {
	for _, s := range []string{"48 hours", "5 business days", "1 week", "7d", "3bd",
		"0 days", "9999 business days", "4O h"} {
		f.Add(s)
	}
	c, err := FromConfig(Config{TimeZone: "Europe/Copenhagen",
		Holidays: []HolidayConfig{{Date: "2026-12-25"}}})
	if err != nil {
		f.Fatal(err)
	}
	from := time.Date(2026, 12, 23, 10, 0, 0, 0, c.Location())
	f.Fuzz(func(t *testing.T, s string) {
		span, err := ParseSpan(s)
		if err != nil {
			return
		}
		if span.N < 1 || span.N > MaxSpan {
			t.Fatalf("ParseSpan(%q) = %v, outside 1..%d", s, span, MaxSpan)
		}
		if again, err := ParseSpan(span.String()); err != nil || again != span {
			t.Fatalf("%q reads back as %v, %v", span, again, err)
		}
		if !c.Add(from, span).After(from) {
			t.Fatalf("adding %v does not move forward", span)
		}
	})
}
