package calendar

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

// zone loads a zone the tests count in.
func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at reads "2026-03-27 18:00" as a wall time in loc. It fails on a wall
// time loc skips or shows twice: a test names those with atUTC instead.
func at(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	if v.Format("2006-01-02 15:04") != s {
		t.Fatalf("%s does not exist in %s", s, loc)
	}
	return v
}

// atUTC reads "2026-03-27 18:00" as a UTC moment.
func atUTC(t *testing.T, s string) time.Time {
	t.Helper()
	return at(t, time.UTC, s)
}

func mustCalendar(t *testing.T, cfg Config) *Calendar {
	t.Helper()
	c, err := FromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// yearEnd is a Danish office calendar around the turn of 2026/27.
func yearEnd(t *testing.T) *Calendar {
	return mustCalendar(t, Config{TimeZone: "Europe/Copenhagen",
		WorkingDays: []string{"mon", "tue", "wed", "thu", "fri"},
		Holidays: []HolidayConfig{{"2026-12-24", "Christmas Eve"},
			{"2026-12-25", "Christmas Day"}, {"2026-12-26", "Boxing Day"},
			{"2026-12-31", "New Year's Eve"}, {"2027-01-01", "New Year's Day"}}})
}

const wall = "2006-01-02 15:04 MST"

func TestFromConfigErrors(t *testing.T) {
	tests := []struct {
		cfg   Config
		field string
		says  string
	}{
		{Config{TimeZone: "Europe/Copenhagn"}, "time_zone", `"Europe/Copenhagn" is not a time zone`},
		{Config{TimeZone: "Local"}, "time_zone", "depends on the machine"},
		{Config{WorkingDays: []string{"mon", "tues"}}, "working_days[1]",
			`"tues" is not a weekday`},
		{Config{Holidays: []HolidayConfig{{Date: "2026-12-25"}, {Date: "2026-13-01"}}},
			"holidays[1].date", `"2026-13-01" is not a date`},
		{Config{Holidays: []HolidayConfig{{Date: "25/12/2026"}}}, "holidays[0].date",
			`"25/12/2026" is not a date`},
		{Config{Holidays: []HolidayConfig{{Date: "2026-12-25"}, {Date: "2026-12-25"}}},
			"holidays[1].date", "2026-12-25 is listed twice"},
	}
	for _, tt := range tests {
		_, err := FromConfig(tt.cfg)
		if err == nil {
			t.Errorf("%+v: no error", tt.cfg)
			continue
		}
		if got := debrief.ErrorField(err); got != tt.field {
			t.Errorf("%+v: field %q, want %q (%v)", tt.cfg, got, tt.field, err)
		}
		if !strings.Contains(err.Error(), tt.says) || !strings.HasPrefix(err.Error(), tt.field) {
			t.Errorf("%+v: error %q does not start with %q and say %q",
				tt.cfg, err, tt.field, tt.says)
		}
	}
}

func TestFromConfigDefaults(t *testing.T) {
	c := mustCalendar(t, Config{})
	if c.Location() != time.UTC {
		t.Errorf("zone %v, want UTC", c.Location())
	}
	if got := c.WorkingDays(); len(got) != 5 || got[0] != time.Monday {
		t.Errorf("working days %v, want Monday to Friday", got)
	}
	full := mustCalendar(t, Config{WorkingDays: []string{"Sunday", "MON", " sat "}})
	want := []time.Weekday{time.Sunday, time.Monday, time.Saturday}
	if got := full.WorkingDays(); len(got) != 3 || got[0] != want[0] || got[2] != want[2] {
		t.Errorf("working days %v, want %v", got, want)
	}
}

func TestIsBusinessDay(t *testing.T) {
	cph := yearEnd(t)
	loc := cph.Location()
	tokyo := mustCalendar(t, Config{TimeZone: "Asia/Tokyo",
		Holidays: []HolidayConfig{{Date: "2026-12-25"}}})
	tests := []struct {
		c    *Calendar
		t    time.Time
		want bool
	}{
		{cph, at(t, loc, "2026-12-23 23:59"), true},
		{cph, at(t, loc, "2026-12-24 00:00"), false}, // Christmas Eve, a Thursday
		{cph, at(t, loc, "2026-12-28 09:00"), true},
		{cph, at(t, loc, "2027-01-02 09:00"), false}, // Saturday
		// 23:30 UTC on the 23rd is already the 24th in Copenhagen.
		{cph, atUTC(t, "2026-12-23 23:30"), false},
		// 20:00 UTC on Thursday the 24th is Christmas Day in Tokyo.
		{tokyo, atUTC(t, "2026-12-24 20:00"), false},
		{tokyo, atUTC(t, "2026-12-24 14:00"), true},
	}
	for _, tt := range tests {
		if got := tt.c.IsBusinessDay(tt.t); got != tt.want {
			t.Errorf("IsBusinessDay(%s in %s) = %v, want %v",
				tt.t.Format(wall), tt.c.Location(), got, tt.want)
		}
	}
	if name, ok := cph.HolidayName(at(t, loc, "2026-12-25 12:00")); !ok ||
		name != "Christmas Day" {
		t.Errorf("HolidayName(2026-12-25) = %q, %v", name, ok)
	}
}

// dayCase is a start, a count, and the moment it should reach with the
// elapsed time in between.
type dayCase struct {
	name    string
	c       *Calendar
	from    time.Time
	n       int
	want    time.Time
	elapsed time.Duration
}

func checkDays(t *testing.T, fn string, add func(*Calendar, time.Time, int) time.Time,
	tests []dayCase) {
	t.Helper()
	for _, tt := range tests {
		got := add(tt.c, tt.from, tt.n)
		if !got.Equal(tt.want) || got.Location() != tt.c.Location() {
			t.Errorf("%s: %s(%s, %d) = %s, want %s", tt.name, fn, tt.from.Format(wall),
				tt.n, got.Format(wall), tt.want.In(tt.c.Location()).Format(wall))
		}
		if tt.elapsed != 0 && got.Sub(tt.from) != tt.elapsed {
			t.Errorf("%s: %v elapsed, want %v", tt.name, got.Sub(tt.from), tt.elapsed)
		}
	}
}

func TestAddDays(t *testing.T) {
	cph := mustCalendar(t, Config{TimeZone: "Europe/Copenhagen"})
	ny := mustCalendar(t, Config{TimeZone: "America/New_York"})
	tokyo := mustCalendar(t, Config{TimeZone: "Asia/Tokyo"})
	c, n := cph.Location(), ny.Location()
	day := 24 * time.Hour
	checkDays(t, "AddDays", (*Calendar).AddDays, []dayCase{
		{"Copenhagen spring forward", cph, at(t, c, "2026-03-25 10:00"), 7,
			at(t, c, "2026-04-01 10:00"), 7*day - time.Hour},
		{"Copenhagen fall back", cph, at(t, c, "2026-10-21 10:00"), 7,
			at(t, c, "2026-10-28 10:00"), 7*day + time.Hour},
		{"New York spring forward", ny, at(t, n, "2026-03-05 09:00"), 7,
			at(t, n, "2026-03-12 09:00"), 7*day - time.Hour},
		{"New York fall back", ny, at(t, n, "2026-10-29 09:00"), 7,
			at(t, n, "2026-11-05 09:00"), 7*day + time.Hour},
		{"the day the clocks go forward is 23 hours", cph, at(t, c, "2026-03-28 10:00"), 1,
			at(t, c, "2026-03-29 10:00"), 23 * time.Hour},
		// 02:30 does not exist on these days: the clocks jump from 02:00
		// to 03:00, so the deadline is half an hour after the jump.
		{"Copenhagen wall time skipped", cph, at(t, c, "2026-03-28 02:30"), 1,
			atUTC(t, "2026-03-29 01:30"), 0},
		{"New York wall time skipped", ny, at(t, n, "2026-03-07 02:30"), 1,
			atUTC(t, "2026-03-08 07:30"), 0},
		// 02:30 (01:30 in New York) happens twice: the first one counts.
		{"Copenhagen wall time twice", cph, at(t, c, "2026-10-24 02:30"), 1,
			atUTC(t, "2026-10-25 00:30"), 0},
		{"New York wall time twice", ny, at(t, n, "2026-10-31 01:30"), 1,
			atUTC(t, "2026-11-01 05:30"), 0},
		{"the second 02:30 stays itself", cph, atUTC(t, "2026-10-25 01:30"), 0,
			atUTC(t, "2026-10-25 01:30"), 0},
		{"from the second 02:30 to the next day", cph, atUTC(t, "2026-10-25 01:30"), 1,
			at(t, c, "2026-10-26 02:30"), 0},
		{"year end", cph, at(t, c, "2026-12-28 15:00"), 7, at(t, c, "2027-01-04 15:00"), 0},
		{"backwards over the year end", cph, at(t, c, "2027-01-01 08:00"), -1,
			at(t, c, "2026-12-31 08:00"), 0},
		// 20:00 UTC on the 24th is 05:00 on the 25th in Tokyo.
		{"Tokyo counts from its own date", tokyo, atUTC(t, "2026-12-24 20:00"), 1,
			atUTC(t, "2026-12-25 20:00"), day},
	})
}

func TestAddBusinessDays(t *testing.T) {
	cph := mustCalendar(t, Config{TimeZone: "Europe/Copenhagen"})
	ny := mustCalendar(t, Config{TimeZone: "America/New_York"})
	everyDay := mustCalendar(t, Config{TimeZone: "Europe/Copenhagen",
		WorkingDays: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}})
	holidays := yearEnd(t)
	tokyo := mustCalendar(t, Config{TimeZone: "Asia/Tokyo",
		Holidays: []HolidayConfig{{Date: "2026-12-25"}}})
	c, n := cph.Location(), ny.Location()
	checkDays(t, "AddBusinessDays", (*Calendar).AddBusinessDays, []dayCase{
		{"Friday evening over spring forward", cph, at(t, c, "2026-03-27 18:00"), 5,
			at(t, c, "2026-04-03 18:00"), 7*24*time.Hour - time.Hour},
		{"Friday evening over fall back", cph, at(t, c, "2026-10-23 18:00"), 1,
			at(t, c, "2026-10-26 18:00"), 73 * time.Hour},
		{"New York Friday over spring forward", ny, at(t, n, "2026-03-06 17:00"), 1,
			at(t, n, "2026-03-09 17:00"), 71 * time.Hour},
		{"New York Friday over fall back", ny, at(t, n, "2026-10-30 17:00"), 1,
			at(t, n, "2026-11-02 17:00"), 73 * time.Hour},
		{"Saturday counts from Monday", cph, at(t, c, "2026-03-28 10:00"), 5,
			at(t, c, "2026-04-06 10:00"), 0},
		{"zero from Saturday is Monday", cph, at(t, c, "2026-03-28 10:00"), 0,
			at(t, c, "2026-03-30 10:00"), 0},
		{"zero from a business day is itself", cph, at(t, c, "2026-03-27 18:00"), 0,
			at(t, c, "2026-03-27 18:00"), 0},
		{"negative counts as zero", cph, at(t, c, "2026-03-27 18:00"), -3,
			at(t, c, "2026-03-27 18:00"), 0},
		{"onto a skipped wall time", everyDay, at(t, c, "2026-03-28 02:30"), 1,
			atUTC(t, "2026-03-29 01:30"), 0},
		{"onto a doubled wall time", everyDay, at(t, c, "2026-10-24 02:30"), 1,
			atUTC(t, "2026-10-25 00:30"), 0},
		{"year end over Christmas and New Year", holidays,
			at(t, c, "2026-12-23 10:00"), 5, at(t, c, "2027-01-05 10:00"), 0},
		{"holiday on the start day", holidays, at(t, c, "2026-12-24 09:00"), 1,
			at(t, c, "2026-12-29 09:00"), 0},
		{"New Year's Eve and Day then a weekend", holidays,
			at(t, c, "2026-12-30 16:00"), 1, at(t, c, "2027-01-04 16:00"), 0},
		// Thursday in UTC, Christmas Day in Tokyo: counting starts on
		// Monday the 28th, so one business day later is Tuesday 05:00.
		{"Tokyo holiday by local date", tokyo, atUTC(t, "2026-12-24 20:00"), 1,
			atUTC(t, "2026-12-28 20:00"), 0},
	})
}

func TestAddHours(t *testing.T) {
	cph := mustCalendar(t, Config{TimeZone: "Europe/Copenhagen"})
	ny := mustCalendar(t, Config{TimeZone: "America/New_York"})
	c, n := cph.Location(), ny.Location()
	checkDays(t, "AddHours", (*Calendar).AddHours, []dayCase{
		// The wall clock moves 49 hours when the clocks go forward...
		{"Copenhagen spring forward", cph, at(t, c, "2026-03-28 12:00"), 48,
			at(t, c, "2026-03-30 13:00"), 48 * time.Hour},
		// ...and 47 when they go back.
		{"Copenhagen fall back", cph, at(t, c, "2026-10-24 12:00"), 48,
			at(t, c, "2026-10-26 11:00"), 48 * time.Hour},
		{"New York fall back", ny, at(t, n, "2026-10-31 12:00"), 48,
			at(t, n, "2026-11-02 11:00"), 48 * time.Hour},
		{"over the year end", cph, at(t, c, "2026-12-31 20:00"), 48,
			at(t, c, "2027-01-02 20:00"), 48 * time.Hour},
	})
}

func TestEqual(t *testing.T) {
	a, b := yearEnd(t), yearEnd(t)
	if !a.Equal(b) {
		t.Error("two calendars from one configuration differ")
	}
	other := mustCalendar(t, Config{TimeZone: "Europe/Copenhagen"})
	if a.Equal(other) {
		t.Error("a calendar without holidays equals one with them")
	}
}
