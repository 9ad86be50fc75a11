package policy

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/yamlnode"
)

// defaultYAML is Default written as a file, every key explained in its
// comments; a test holds the two equal.
//
//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the default policy as a YAML file whose comments
// explain every key: what `debrief policy show` prints, and a start for an
// organisation's own file.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// MaxFileBytes is the largest policy file read.
const MaxFileBytes = 1 << 20

// The keys of a policy file, by where they appear.
var (
	topKeys  = []string{"rules", "learning_requests", "deadlines", "calendar"}
	ruleKeys = []string{"name", "severities", "waivable", "longer_than", "user_impact",
		"critical_process", "recurrence"}
	recurrenceKeys = []string{"count", "within"}
	learningKeys   = []string{"approvers"}
	approverKeys   = []string{"roles", "people"}
	deadlineKeys   = []string{"meeting", "draft", "final"}
	stepKeys       = []string{"after", "within"}
	calendarKeys   = []string{"time_zone", "working_days", "holidays"}
	holidayKeys    = []string{"date", "name"}
)

// Load reads the policy file at path (see Parse).
func Load(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "cannot read the policy: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "cannot read the policy: %v", err)
	}
	return Parse(data, path)
}

// Parse reads a policy from YAML; name is the file's name for errors. Every
// key is optional, and one left out keeps the default's value (see
// DefaultYAML): an empty file is the default policy, and a file with only a
// calendar changes only the calendar. A rules list replaces the default's
// rules as a whole. Unknown keys, keys given twice, aliases and values that
// do not read are refused with a KindInvalid error naming the line, the
// key's path and the value: "policy.yaml line 7: rules[1].longer_than:
// "6O m" is not a duration ...".
func Parse(data []byte, name string) (*Policy, error) {
	if len(data) > MaxFileBytes {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s: the policy has more than %d "+
			"KiB; the limit is %d KiB", name, MaxFileBytes>>10, MaxFileBytes>>10)
	}
	rd := &reader{yamlnode.Reader{Name: name}}
	root, err := rd.Document(data, "a policy")
	if err != nil {
		return nil, err
	}
	if root == nil {
		return Default(), nil
	}
	top, err := rd.Mapping(root, "", topKeys)
	if err != nil {
		return nil, err
	}
	p := Default()
	if e, ok := top["rules"]; ok {
		if p.rules, err = rd.rules(e.Value); err != nil {
			return nil, err
		}
	}
	if e, ok := top["learning_requests"]; ok {
		if err := rd.learning(e.Value, &p.approvers); err != nil {
			return nil, err
		}
	}
	if e, ok := top["deadlines"]; ok {
		if err := rd.deadlines(e.Value, p.deadlines); err != nil {
			return nil, err
		}
	}
	if e, ok := top["calendar"]; ok {
		if p.cal, err = rd.calendar(e.Value); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// learning reads learning_requests. An approvers mapping replaces the
// default's approvers as a whole, and must name someone.
func (rd *reader) learning(n *yaml.Node, a *approvers) error {
	m, err := rd.Mapping(n, "learning_requests", learningKeys)
	if err != nil {
		return err
	}
	e, ok := m["approvers"]
	if !ok {
		return nil
	}
	const path = "learning_requests.approvers"
	am, err := rd.Mapping(e.Value, path, approverKeys)
	if err != nil {
		return err
	}
	*a = approvers{}
	if r, ok := am["roles"]; ok {
		if a.roles, err = rd.roles(r.Value, path+".roles"); err != nil {
			return err
		}
	}
	if p, ok := am["people"]; ok {
		if a.people, err = rd.people(p.Value, path+".people"); err != nil {
			return err
		}
	}
	if len(a.roles) == 0 && len(a.people) == 0 {
		return rd.Fail(e.Value, path, "name at least one role or person, or nobody can "+
			"approve a learning request")
	}
	return nil
}

func (rd *reader) roles(n *yaml.Node, path string) ([]debrief.AccessRole, error) {
	items, err := rd.list(n, path, "[facilitator, admin]")
	if err != nil {
		return nil, err
	}
	var roles []debrief.AccessRole
	for i, item := range items {
		ip := fmt.Sprintf("%s[%d]", path, i)
		s, err := rd.Text(item, ip)
		if err != nil {
			return nil, err
		}
		role, err := debrief.ParseAccessRole(s)
		if err != nil {
			return nil, rd.Fail(item, ip, "%q is not a role: use viewer, contributor, "+
				"facilitator or admin", s)
		}
		if !slices.Contains(roles, role) {
			roles = append(roles, role)
		}
	}
	return roles, nil
}

func (rd *reader) people(n *yaml.Node, path string) ([]string, error) {
	items, err := rd.list(n, path, "[ana, bo]")
	if err != nil {
		return nil, err
	}
	var people []string
	for i, item := range items {
		ip := fmt.Sprintf("%s[%d]", path, i)
		s, err := rd.Text(item, ip)
		if err != nil {
			return nil, err
		}
		if debrief.ValidateUserName(s) != nil {
			return nil, rd.Fail(item, ip, "%q is not a login name: use letters, digits, "+
				"'.', '_' and '-'", s)
		}
		people = append(people, s)
	}
	return people, nil
}
