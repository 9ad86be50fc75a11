package timestamp

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"04:49 PM UTC", "2016-08-18T19:00:00Z", "2022-05-?? HH:mm", "13:55 PM PST",
		"**June 14th, 2022, 10:00 AM:** text", "12:48 (6:48 PDT): x", "(", "((((",
		"4/21/23-4/25/23", "20202-01-16 12:00", "Thursday 2 June", "1649 hrs", "~",
		"2024-03-01T10:00:00+25:00", "9999-12-31 23:59", "0001-01-01 00:00",
		"2024-03-10 02:30 ET", "2024-11-03 01:30 America/New_York",
	} {
		f.Add(seed, "PST", 2021, 5, 26)
	}
	f.Fuzz(func(t *testing.T, text, zone string, year, month, day int) {
		p := NewParser()
		p.SetZone(zone)
		p.SetDate(year, month, day)
		for _, got := range []Time{p.Parse(text), p.Entry(text)} {
			checkInvariants(t, text, got)
		}
		got, rest, ok := p.EntryPrefix(text)
		if ok {
			checkInvariants(t, text, got)
			if !strings.Contains(text, got.Text) || !strings.Contains(text, rest) {
				t.Errorf("prefix %q / rest %q not taken from %q", got.Text, rest, text)
			}
		}
	})
}

func checkInvariants(t *testing.T, text string, got Time) {
	t.Helper()
	if !strings.Contains(text, got.Text) {
		t.Errorf("Text %q is not part of %q", got.Text, text)
	}
	if !got.UTC.IsZero() {
		if got.Precision < PrecisionMinute {
			t.Errorf("moment %v with precision %v", got.UTC, got.Precision)
		}
		if got.Has(FlagImpossible) || got.Has(FlagUnparsed) {
			t.Errorf("moment %v with flags %v", got.UTC, got.Flags)
		}
		if got.UTC.Location().String() != "UTC" {
			t.Errorf("moment not in UTC: %v", got.UTC)
		}
		// A zone may move a moment across New Year, but no further.
		if y := got.UTC.Year(); y < MinYear-1 || y > MaxYear+1 {
			t.Errorf("moment %v outside the plausible years", got.UTC)
		}
	}
	if got.Has(FlagImpossible) && got.Problem == "" {
		t.Errorf("impossible without a problem")
	}
}
