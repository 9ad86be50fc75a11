package policy

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/calendar"
	"github.com/debrief-oss/debrief/internal/yamlnode"
)

// The bounds of a policy's rules: more than a few dozen rules, or a rule
// name longer than a line, is a mistake.
const (
	maxRules       = 100
	maxRuleNameLen = 100
	maxRecurrence  = 10000
)

// rules reads the rules list: each rule named once, and every recurrence
// condition counted over one window, since the caller counts only one.
func (rd *reader) rules(n *yaml.Node) ([]rule, error) {
	items, err := rd.list(n, "rules", "[{name: severity, severities: [P1, P2]}]")
	if err != nil {
		return nil, err
	}
	if len(items) > maxRules {
		return nil, rd.Fail(n, "rules", "%d rules; the limit is %d", len(items), maxRules)
	}
	if len(items) == 0 {
		// An empty list (every rule commented out) would require no
		// postmortem for anything, P1 included: surely not what was meant.
		return nil, rd.Fail(n, "rules", "no rules: no incident would ever need a "+
			"postmortem; leave the key out to keep the default rules")
	}
	rules := make([]rule, 0, len(items))
	window := -1
	for i, item := range items {
		path := fmt.Sprintf("rules[%d]", i)
		r, m, err := rd.rule(item, path)
		if err != nil {
			return nil, err
		}
		if j := slices.IndexFunc(rules, func(o rule) bool { return o.name == r.name }); j >= 0 {
			return nil, rd.Fail(m["name"].Value, path+".name", "%q is the name of rules[%d] "+
				"too: each rule needs a name of its own", r.name, j)
		}
		if r.recurrence != nil && window >= 0 &&
			r.recurrence.within != rules[window].recurrence.within {
			return nil, rd.Fail(m["recurrence"].Value, path+".recurrence.within",
				"%s differs from the %s of rules[%d]: incidents are counted over one "+
					"window, so every recurrence rule needs the same within",
				formatDuration(r.recurrence.within),
				formatDuration(rules[window].recurrence.within), window)
		}
		if r.recurrence != nil && window < 0 {
			window = i
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// rule reads one rule, and returns its keys for the errors about how it
// fits with the others.
func (rd *reader) rule(n *yaml.Node, path string) (rule, map[string]yamlnode.Entry, error) {
	var r rule
	m, err := rd.Mapping(n, path, ruleKeys)
	if err != nil {
		return r, nil, err
	}
	e, ok := m["name"]
	if !ok {
		return r, nil, rd.Fail(n, path, "a rule needs a name: every decision it makes "+
			"shows it")
	}
	if r.name, err = rd.ruleName(e.Value, path+".name"); err != nil {
		return r, nil, err
	}
	if e, ok := m["severities"]; ok {
		if r.severities, err = rd.severities(e.Value, path+".severities"); err != nil {
			return r, nil, err
		}
		if len(r.severities) == 0 {
			return r, nil, rd.Fail(e.Value, path+".severities", "an empty list covers no "+
				"incident: list severities, or leave the key out to cover every severity")
		}
	}
	if err := rd.conditions(m, path, &r); err != nil {
		return r, nil, err
	}
	if len(r.severities) == 0 && !r.hasCondition() {
		return r, nil, rd.Fail(n, path, "the rule names no severities and no condition, "+
			"so it would require a postmortem for every incident: list severities or "+
			"a condition")
	}
	if e, ok := m["waivable"]; ok {
		if r.waivable, err = rd.waivable(e.Value, path+".waivable", r.severities); err != nil {
			return r, nil, err
		}
	}
	return r, m, nil
}

func (rd *reader) ruleName(n *yaml.Node, path string) (string, error) {
	name, err := rd.Text(n, path)
	switch {
	case err != nil:
		return "", err
	case len(name) > maxRuleNameLen:
		return "", rd.Fail(n, path, "the name has %d bytes; the limit is %d", len(name),
			maxRuleNameLen)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", rd.Fail(n, path, "the name holds a control character")
	case strings.EqualFold(name, LearningRule):
		return "", rd.Fail(n, path, "%q names the approved learning request in decisions: "+
			"call the rule something else", name)
	}
	return name, nil
}

// conditions reads a rule's conditions. false is the same as leaving a
// flag out: a rule cannot ask for an incident without user impact.
func (rd *reader) conditions(m map[string]yamlnode.Entry, path string, r *rule) error {
	var err error
	if e, ok := m["longer_than"]; ok {
		if r.longerThan, err = rd.duration(e.Value, path+".longer_than"); err != nil {
			return err
		}
	}
	if e, ok := m["user_impact"]; ok {
		if r.userImpact, err = rd.boolean(e.Value, path+".user_impact"); err != nil {
			return err
		}
	}
	if e, ok := m["critical_process"]; ok {
		if r.criticalProcess, err = rd.boolean(e.Value, path+".critical_process"); err != nil {
			return err
		}
	}
	if e, ok := m["recurrence"]; ok {
		if r.recurrence, err = rd.recurrence(e.Value, path+".recurrence"); err != nil {
			return err
		}
	}
	return nil
}

func (rd *reader) recurrence(n *yaml.Node, path string) (*recurrence, error) {
	m, err := rd.Mapping(n, path, recurrenceKeys)
	if err != nil {
		return nil, err
	}
	c, okCount := m["count"]
	w, okWithin := m["within"]
	if !okCount || !okWithin {
		return nil, rd.Fail(n, path, "needs count and within, as in {count: 3, within: 30d}")
	}
	var r recurrence
	// A count of one would be every incident: the incident counts itself.
	if r.count, err = rd.integer(c.Value, path+".count", 2, maxRecurrence); err != nil {
		return nil, err
	}
	if r.within, err = rd.duration(w.Value, path+".within"); err != nil {
		return nil, err
	}
	return &r, nil
}

// waivable reads the severities a rule may be waived for, which must be
// among the rule's own when it lists any.
func (rd *reader) waivable(
	n *yaml.Node,
	path string,
	covered []debrief.Severity,
) ([]debrief.Severity, error) {
	sevs, err := rd.severities(n, path)
	if err != nil {
		return nil, err
	}
	if len(covered) == 0 {
		return sevs, nil
	}
	// severities read every item, so each one parses here.
	for i, item := range n.Content {
		s, _, _ := debrief.ParseSeverity(item.Value)
		if !slices.Contains(covered, s) {
			return nil, rd.Fail(item, fmt.Sprintf("%s[%d]", path, i), "%s is not among "+
				"the rule's severities (%s)", s, joinSeverities(covered, "and"))
		}
	}
	return sevs, nil
}

// deadlines reads the steps given and changes those of ds, the default's.
func (rd *reader) deadlines(n *yaml.Node, ds []deadlineRule) error {
	m, err := rd.Mapping(n, "deadlines", deadlineKeys)
	if err != nil {
		return err
	}
	for i := range ds {
		e, ok := m[string(ds[i].kind)]
		if !ok {
			continue
		}
		if err := rd.step(e.Value, "deadlines."+string(ds[i].kind), &ds[i]); err != nil {
			return err
		}
	}
	return nil
}

func (rd *reader) step(n *yaml.Node, path string, d *deadlineRule) error {
	m, err := rd.Mapping(n, path, stepKeys)
	if err != nil {
		return err
	}
	if e, ok := m["after"]; ok {
		s, err := rd.Text(e.Value, path+".after")
		if err != nil {
			return err
		}
		switch s = strings.ToLower(s); {
		case s != afterResolution && s != afterMeeting:
			return rd.Fail(e.Value, path+".after", "%q is not a moment a deadline counts "+
				"from: use resolution or meeting", s)
		case s == afterMeeting && d.kind == debrief.DeadlineMeeting:
			return rd.Fail(e.Value, path+".after", "the meeting cannot count from itself: "+
				"use resolution")
		}
		d.after = s
	}
	if e, ok := m["within"]; ok {
		s, err := rd.Text(e.Value, path+".within")
		if err != nil {
			return err
		}
		if d.within, err = calendar.ParseSpan(s); err != nil {
			return rd.Fail(e.Value, path+".within", "%v", err)
		}
	}
	return nil
}
