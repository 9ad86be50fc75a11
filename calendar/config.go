package calendar

import (
	"fmt"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// Config is a calendar as a configuration file writes it.
type Config struct {
	// TimeZone is an IANA zone name ("Europe/Copenhagen"); empty is UTC.
	TimeZone string
	// WorkingDays are weekday names ("mon", "Tuesday"); none means Monday
	// to Friday.
	WorkingDays []string
	Holidays    []HolidayConfig
}

// HolidayConfig is a holiday as a configuration file writes it.
type HolidayConfig struct {
	// Date is YYYY-MM-DD.
	Date string
	Name string
}

// Weekdays are Monday to Friday, the working days when none are named.
var Weekdays = []time.Weekday{
	time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday,
}

// FromConfig makes a calendar from its configuration. Its errors are
// KindInvalid and name the field at fault and its value
// ("working_days[2]: "tues" is not a weekday ...").
func FromConfig(cfg Config) (*Calendar, error) {
	loc, err := LoadZone(cfg.TimeZone)
	if err != nil {
		return nil, debrief.FieldErrorf("time_zone", "time_zone: %v", err)
	}
	working := Weekdays
	if len(cfg.WorkingDays) > 0 {
		working = nil
	}
	for i, s := range cfg.WorkingDays {
		w, err := ParseWeekday(s)
		if err != nil {
			field := fmt.Sprintf("working_days[%d]", i)
			return nil, debrief.FieldErrorf(field, "%s: %v", field, err)
		}
		working = append(working, w)
	}
	holidays := make([]Holiday, len(cfg.Holidays))
	for i, h := range cfg.Holidays {
		d, err := ParseDate(h.Date)
		if err != nil {
			field := fmt.Sprintf("holidays[%d].date", i)
			return nil, debrief.FieldErrorf(field, "%s: %v", field, err)
		}
		holidays[i] = Holiday{Date: d, Name: strings.TrimSpace(h.Name)}
	}
	return New(loc, working, holidays)
}

// LoadZone reads an IANA time zone name; empty and "UTC" are UTC. "Local"
// is refused: a policy must count the same on every machine.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	switch name {
	case "", "UTC":
		return time.UTC, nil
	case "Local":
		return nil, fmt.Errorf("%q depends on the machine: name the zone, "+
			"as in Europe/Copenhagen", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not a time zone: use an IANA name such as "+
			"Europe/Copenhagen, America/New_York or UTC", name)
	}
	return loc, nil
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday,
	"sat": time.Saturday,
}

// ParseWeekday reads a weekday as its three-letter abbreviation ("mon") or
// its full English name ("Monday"), in any case.
func ParseWeekday(s string) (time.Weekday, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if w, ok := weekdayNames[name]; ok {
		return w, nil
	}
	for _, w := range weekdayNames {
		if name == strings.ToLower(w.String()) {
			return w, nil
		}
	}
	return 0, fmt.Errorf("%q is not a weekday: use mon, tue, wed, thu, fri, sat "+
		"or sun", s)
}
