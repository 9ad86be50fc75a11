package policy

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/calendar"
)

// calendar reads the calendar section. Package calendar checks the values;
// the nodes recorded here turn the field its errors name into a line.
func (rd *reader) calendar(n *yaml.Node) (*calendar.Calendar, error) {
	m, err := rd.Mapping(n, "calendar", calendarKeys)
	if err != nil {
		return nil, err
	}
	var cfg calendar.Config
	nodes := map[string]*yaml.Node{}
	if e, ok := m["time_zone"]; ok {
		if cfg.TimeZone, err = rd.Text(e.Value, "calendar.time_zone"); err != nil {
			return nil, err
		}
		nodes["time_zone"] = e.Value
	}
	if e, ok := m["working_days"]; ok {
		if cfg.WorkingDays, err = rd.workingDays(e.Value, nodes); err != nil {
			return nil, err
		}
	}
	if e, ok := m["holidays"]; ok {
		if cfg.Holidays, err = rd.holidays(e.Value, nodes); err != nil {
			return nil, err
		}
	}
	c, err := calendar.FromConfig(cfg)
	if err != nil {
		field := debrief.ErrorField(err)
		at, ok := nodes[field]
		if !ok {
			at = n
		}
		msg := strings.TrimPrefix(debrief.ErrorMessage(err), field+": ")
		return nil, rd.Fail(at, "calendar."+field, "%s", msg)
	}
	return c, nil
}

func (rd *reader) workingDays(n *yaml.Node, nodes map[string]*yaml.Node) ([]string, error) {
	const path = "calendar.working_days"
	items, err := rd.list(n, path, "[mon, tue, wed, thu, fri]")
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, rd.Fail(n, path, "name at least one working day, or no business "+
			"day would ever come")
	}
	days := make([]string, len(items))
	for i, item := range items {
		field := fmt.Sprintf("working_days[%d]", i)
		if days[i], err = rd.Text(item, "calendar."+field); err != nil {
			return nil, err
		}
		nodes[field] = item
	}
	return days, nil
}

// holidays reads a list whose items are a date ("2026-12-25") or a date
// with a name ({date: 2026-12-25, name: Christmas Day}).
func (rd *reader) holidays(
	n *yaml.Node,
	nodes map[string]*yaml.Node,
) ([]calendar.HolidayConfig, error) {
	items, err := rd.list(n, "calendar.holidays", "[2026-12-25, 2027-01-01]")
	if err != nil {
		return nil, err
	}
	hs := make([]calendar.HolidayConfig, len(items))
	for i, item := range items {
		field := fmt.Sprintf("holidays[%d]", i)
		path := "calendar." + field
		date := item
		if item.Kind == yaml.MappingNode {
			m, err := rd.Mapping(item, path, holidayKeys)
			if err != nil {
				return nil, err
			}
			e, ok := m["date"]
			if !ok {
				return nil, rd.Fail(item, path, "a holiday needs a date, as in "+
					"{date: 2026-12-25, name: Christmas Day}")
			}
			date = e.Value
			if e, ok := m["name"]; ok {
				if hs[i].Name, err = rd.holidayName(e.Value, path+".name"); err != nil {
					return nil, err
				}
			}
		}
		if hs[i].Date, err = rd.Text(date, path+".date"); err != nil {
			return nil, err
		}
		nodes[field+".date"] = date
	}
	return hs, nil
}

func (rd *reader) holidayName(n *yaml.Node, path string) (string, error) {
	name, err := rd.Text(n, path)
	if err != nil {
		return "", err
	}
	if len(name) > debrief.MaxTitleLen || strings.ContainsFunc(name, isControl) ||
		strings.ContainsAny(name, "\n\r\t") {
		return "", rd.Fail(n, path, "a holiday's name is one line of at most %d bytes",
			debrief.MaxTitleLen)
	}
	return name, nil
}
