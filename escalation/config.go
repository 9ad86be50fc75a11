// Package escalation keeps action items from being forgotten: on a
// schedule it finds overdue, stalled and possibly ineffective items, takes
// each escalation step once, and works through the notifications those
// steps queued until each is delivered or has failed for good. Steps and
// notifications are rows in the store, written in one transaction per
// step, so a restarted server neither repeats nor skips one.
package escalation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
)

// Who a step tells.
const (
	TellOwner = "owner"
	TellLead  = "lead"
	TellTeam  = "team"
)

// The events that can be routed to channels: each step's name, and these.
const (
	EventStalled = "stalled"
	EventRecheck = "recheck"
)

// Step is one rung of the escalation ladder: once an item is overdue by
// AfterDays, the people Tell names are told.
type Step struct {
	Name      string   `yaml:"name"`
	AfterDays Days     `yaml:"after_days"`
	Tell      []string `yaml:"tell"`
}

// Days is a whole number of days in the configuration file: 1.5 or "two"
// is refused rather than read as 1 or 0.
type Days int

// UnmarshalYAML takes whole numbers only.
func (d *Days) UnmarshalYAML(n *yaml.Node) error {
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
		return fmt.Errorf("line %d: %q is not a whole number of days", n.Line, n.Value)
	}
	*d = Days(v)
	return nil
}

// Config is the escalation policy, the teams that own items, and which
// channels each event goes to.
type Config struct {
	Steps []Step `yaml:"steps"`
	// StalledAfterDays marks an open item stalled for the weekly review
	// when it has not changed for this many days.
	StalledAfterDays Days `yaml:"stalled_after_days"`
	// BaseURL is the address of the web app, for links in messages.
	BaseURL string `yaml:"base_url"`
	// Routes maps an event (a step's name, "stalled", "recheck") to the
	// channels it goes to, for items whose team has no routes of its own.
	Routes map[string][]string `yaml:"routes"`
	Teams  []TeamConfig        `yaml:"-"`
}

// TeamConfig is a team with its own routes.
type TeamConfig struct {
	debrief.Team
	Routes map[string][]string
}

// Default is the policy of the issue the team agreed on: overdue by a day
// tells the owner, by a week the owner's team lead; no change in two weeks
// marks an item stalled for the weekly review. Routes are empty until
// channels are configured.
func Default() *Config {
	return &Config{
		Steps: []Step{
			{Name: "overdue", AfterDays: 1, Tell: []string{TellOwner}},
			{Name: "escalated", AfterDays: 7, Tell: []string{TellLead}},
		},
		StalledAfterDays: 14,
		Routes:           map[string][]string{},
	}
}

// file is the configuration file's shape. Channels and trackers are read
// by their own packages from the same file.
type file struct {
	Escalation *struct {
		Steps            []Step              `yaml:"steps"`
		StalledAfterDays *Days               `yaml:"stalled_after_days"`
		BaseURL          string              `yaml:"base_url"`
		Routes           map[string][]string `yaml:"routes"`
	} `yaml:"escalation"`
	Teams map[string]struct {
		Lead     string              `yaml:"lead"`
		Members  []string            `yaml:"members"`
		Services []string            `yaml:"services"`
		Routes   map[string][]string `yaml:"routes"`
	} `yaml:"teams"`
	Channels yaml.Node `yaml:"channels"`
	Trackers yaml.Node `yaml:"trackers"`
}

// Load reads the configuration file at path (see Parse).
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "read %s: %v", path,
			errors.Unwrap(err))
	}
	return Parse(data, path)
}

// Parse reads the escalation and teams sections of a configuration, over
// the defaults; name is the file's name for errors. Unknown keys are
// refused, naming the line; channels and trackers are left to their
// packages. Routes must name channels that exist: see CheckRoutes.
func Parse(data []byte, name string) (*Config, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s: %s", name, yamlMessage(err))
	}
	c := Default()
	if e := f.Escalation; e != nil {
		if e.Steps != nil {
			c.Steps = e.Steps
		}
		if e.StalledAfterDays != nil {
			c.StalledAfterDays = *e.StalledAfterDays
		}
		c.BaseURL = strings.TrimRight(strings.TrimSpace(e.BaseURL), "/")
		if u, err := url.Parse(c.BaseURL); c.BaseURL != "" && (err != nil ||
			(u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil) {
			return nil, debrief.Errorf(debrief.KindInvalid, "%s: escalation.base_url %q is "+
				"not a web address like https://debrief.example.com", name, e.BaseURL)
		}
		if e.Routes != nil {
			c.Routes = e.Routes
		}
	}
	names := make([]string, 0, len(f.Teams))
	for n := range f.Teams {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		t := f.Teams[n]
		c.Teams = append(c.Teams, TeamConfig{Team: debrief.Team{Name: n, Lead: t.Lead,
			Members: t.Members, Services: t.Services}, Routes: t.Routes})
	}
	// The ladder climbs in order of days, however the file lists it.
	slices.SortStableFunc(c.Steps, func(a, b Step) int { return int(a.AfterDays - b.AfterDays) })
	if err := c.check(); err != nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s: %s", name, err.Error())
	}
	return c, nil
}

func (c *Config) check() error {
	seen := map[string]bool{}
	for i, s := range c.Steps {
		where := fmt.Sprintf("escalation.steps[%d]", i)
		switch {
		case strings.TrimSpace(s.Name) == "":
			return fmt.Errorf("%s has no name", where)
		case s.Name == EventStalled || s.Name == EventRecheck:
			return fmt.Errorf("%s: %q names another event; choose another name", where, s.Name)
		case seen[s.Name]:
			return fmt.Errorf("%s: the name %q is given twice", where, s.Name)
		case s.AfterDays < 1:
			return fmt.Errorf("%s.after_days is %d; a step comes at least a day after "+
				"the due date", where, s.AfterDays)
		case len(s.Tell) == 0:
			return fmt.Errorf("%s.tell is empty: say who is told (owner, lead, team)", where)
		}
		seen[s.Name] = true
		for _, who := range s.Tell {
			if who != TellOwner && who != TellLead && who != TellTeam {
				return fmt.Errorf("%s.tell: unknown %q; use owner, lead or team", where, who)
			}
		}
	}
	if c.StalledAfterDays < 0 {
		return fmt.Errorf("escalation.stalled_after_days is %d; use 0 to switch it off "+
			"or a number of days", c.StalledAfterDays)
	}
	teams := map[string]bool{}
	for _, t := range c.Teams {
		if !reTeamName.MatchString(t.Name) {
			return fmt.Errorf("teams.%s: a team's name is letters, digits, '.', '_' and '-' "+
				"(it is part of the team's page address)", t.Name)
		}
		if teams[strings.ToLower(t.Name)] {
			return fmt.Errorf("teams.%s: another team has this name in another case", t.Name)
		}
		teams[strings.ToLower(t.Name)] = true
	}
	check := func(where string, routes map[string][]string) error {
		for ev := range routes {
			if !seen[ev] && ev != EventStalled && ev != EventRecheck {
				return fmt.Errorf("%s: %q is neither a step nor stalled or recheck", where, ev)
			}
		}
		return nil
	}
	if err := check("escalation.routes", c.Routes); err != nil {
		return err
	}
	for _, t := range c.Teams {
		if err := check("teams."+t.Name+".routes", t.Routes); err != nil {
			return err
		}
	}
	return nil
}

// yamlMessage words a YAML decoding error for people: an unknown key is
// named as such, not by the Go type it was decoded into.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	msg = reUnknownKey.ReplaceAllString(msg, `unknown key "$1"`)
	return reWrongShape.ReplaceAllStringFunc(msg, func(m string) string {
		found := reWrongShape.FindStringSubmatch(m)
		return "expected " + shapeWanted(found[3]) + ", found " + shapeNames[found[1]] +
			found[2]
	})
}

var (
	reTeamName   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	reUnknownKey = regexp.MustCompile(`field (\S+) not found in type [^\n]*`)
	reWrongShape = regexp.MustCompile("cannot unmarshal !!(\\w+)( `[^`]*`)? into ([^\\n]*)")
	shapeNames   = map[string]string{"seq": "a list", "map": "keys", "str": "the word",
		"int": "the number", "float": "the number", "bool": "a yes or no"}
)

// shapeWanted names what a Go type in a decoding error takes, in words.
func shapeWanted(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map[") || strings.HasPrefix(goType, "struct") ||
		strings.HasPrefix(goType, "escalation."):
		return "keys"
	case strings.Contains(goType, "Days") || strings.HasSuffix(goType, "int"):
		return "a whole number"
	}
	return "a value"
}

// CheckRoutes refuses a route naming a channel that is not configured.
func (c *Config) CheckRoutes(channels map[string]bool) error {
	check := func(where string, routes map[string][]string) error {
		for ev, names := range routes {
			for _, n := range names {
				if !channels[n] {
					return debrief.Errorf(debrief.KindInvalid, "%s.%s names channel %q, "+
						"which is not configured under channels", where, ev, n)
				}
			}
		}
		return nil
	}
	if err := check("escalation.routes", c.Routes); err != nil {
		return err
	}
	for _, t := range c.Teams {
		if err := check("teams."+t.Name+".routes", t.Routes); err != nil {
			return err
		}
	}
	return nil
}

// DomainTeams lists the teams as the domain knows them.
func (c *Config) DomainTeams() []debrief.Team {
	out := make([]debrief.Team, len(c.Teams))
	for i, t := range c.Teams {
		out[i] = t.Team
	}
	return out
}

// routes returns the channels an event goes to for an item of the team.
func (c *Config) routes(team *TeamConfig, event string) []string {
	if team != nil && team.Routes != nil {
		if r, ok := team.Routes[event]; ok {
			return r
		}
	}
	return c.Routes[event]
}

// teamOf returns the configured team owning the item, or nil.
func (c *Config) teamOf(item *debrief.ActionItem) *TeamConfig {
	for i := range c.Teams {
		if c.Teams[i].Owns(item) {
			return &c.Teams[i]
		}
	}
	return nil
}
