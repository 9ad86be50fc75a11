package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
)

// reader walks a policy file's YAML nodes by hand rather than decoding
// into structs, so that every error can name the file, the line, the key's
// path and the value at fault, and so that unknown keys, duplicate keys and
// aliases are refused rather than ignored or expanded.
type reader struct {
	name string
}

// fail returns a KindInvalid error about the node at path:
// "policy.yaml line 7: rules[1].longer_than: "6O m" is not a duration".
func (rd *reader) fail(n *yaml.Node, path, format string, args ...any) error {
	where := fmt.Sprintf("%s line %d", rd.name, n.Line)
	if path != "" {
		where += ": " + path
	}
	return &debrief.Error{Kind: debrief.KindInvalid, Field: path,
		Message: where + ": " + fmt.Sprintf(format, args...)}
}

// entry is a key of a mapping and its value.
type entry struct{ key, value *yaml.Node }

// mapping reads a mapping whose keys must be among known. A null value (a
// key written with nothing after it) is an empty mapping.
func (rd *reader) mapping(n *yaml.Node, path string, known []string) (map[string]entry, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, rd.fail(n, path, "expected keys (%s), found %s",
			strings.Join(known, ", "), describe(n))
	}
	m := make(map[string]entry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, rd.fail(k, path, "a key must be a plain word, found %s", describe(k))
		}
		kp := join(path, k.Value)
		if !slices.Contains(known, k.Value) {
			return nil, rd.fail(k, kp, "unknown key; the keys here are %s",
				strings.Join(known, ", "))
		}
		if prev, dup := m[k.Value]; dup {
			return nil, rd.fail(k, kp, "given twice (first on line %d)", prev.key.Line)
		}
		m[k.Value] = entry{k, v}
	}
	return m, nil
}

// join makes the path of a key under parent.
func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// list reads a sequence; null is an empty one. A single value is refused
// rather than read as a list of one: "P1, P2" would be one severity.
func (rd *reader) list(n *yaml.Node, path, example string) ([]*yaml.Node, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, rd.fail(n, path, "expected a list such as %s, found %s", example,
			describe(n))
	}
	return n.Content, nil
}

// text reads a non-empty scalar, trimmed.
func (rd *reader) text(n *yaml.Node, path string) (string, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return "", rd.fail(n, path, "expected a value, found %s", describe(n))
	}
	s := strings.TrimSpace(n.Value)
	if s == "" {
		return "", rd.fail(n, path, "is empty")
	}
	return s, nil
}

// boolean reads true or false. YAML 1.1's yes, no, on and off are refused:
// their meaning depends on the reader.
func (rd *reader) boolean(n *yaml.Node, path string) (bool, error) {
	s, err := rd.text(n, path)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, rd.fail(n, path, "%q is not true or false", s)
}

// integer reads a whole number from min to max.
func (rd *reader) integer(n *yaml.Node, path string, min, max int) (int, error) {
	s, err := rd.text(n, path)
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, rd.fail(n, path, "%q is not a whole number", s)
	}
	if v < min || v > max {
		return 0, rd.fail(n, path, "%d is out of range: give %d to %d", v, min, max)
	}
	return v, nil
}

// duration reads an elapsed time (see parseDuration).
func (rd *reader) duration(n *yaml.Node, path string) (time.Duration, error) {
	s, err := rd.text(n, path)
	if err != nil {
		return 0, err
	}
	d, err := parseDuration(s)
	if err != nil {
		return 0, rd.fail(n, path, "%v", err)
	}
	return d, nil
}

// severities reads a list of severities onto the ladder with
// debrief.ParseSeverity, so "critical" is P1; repeats count once.
func (rd *reader) severities(n *yaml.Node, path string) ([]debrief.Severity, error) {
	items, err := rd.list(n, path, "[P1, P2]")
	if err != nil {
		return nil, err
	}
	var sevs []debrief.Severity
	for i, item := range items {
		ip := fmt.Sprintf("%s[%d]", path, i)
		s, err := rd.text(item, ip)
		if err != nil {
			return nil, err
		}
		// ParseSeverity stops at a comma ("P2, high" is P2), which here
		// would drop the second of two severities written as one item.
		if strings.ContainsAny(s, ",;/") {
			return nil, rd.fail(item, ip, "%q: list each severity as its own item, "+
				"as in [P1, P2]", s)
		}
		sev, _, ok := debrief.ParseSeverity(s)
		if !ok {
			return nil, rd.fail(item, ip, "%q is not a severity: use P1, P2, P3 or P4 "+
				"(or critical, high, medium, low)", s)
		}
		if !slices.Contains(sevs, sev) {
			sevs = append(sevs, sev)
		}
	}
	return sevs, nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// describe names what a node holds, for an error that found the wrong one.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "keys"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return fmt.Sprintf("the alias *%s (aliases are not read in a policy: "+
			"write the value out)", n.Value)
	case isNull(n):
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

// maxDuration bounds durations in a policy: anything longer is a mistake.
const maxDuration = 3660 * 24 * time.Hour

var (
	reDurationPart = regexp.MustCompile(`^([0-9]+)\s*([a-z]+)\s*`)
	durationUnits  = map[string]time.Duration{
		"s": time.Second, "sec": time.Second, "secs": time.Second,
		"second": time.Second, "seconds": time.Second,
		"m": time.Minute, "min": time.Minute, "mins": time.Minute,
		"minute": time.Minute, "minutes": time.Minute,
		"h": time.Hour, "hr": time.Hour, "hrs": time.Hour,
		"hour": time.Hour, "hours": time.Hour,
		"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
		"w": 7 * 24 * time.Hour, "week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
	}
)

// parseDuration reads an elapsed time as whole numbers with units, as an
// SRE writes it: "60m", "60 min", "1h30m", "2 hours", "30d", "4 weeks".
// A day is 24 hours here: these are lengths of incidents and windows, not
// dates on a calendar.
func parseDuration(s string) (time.Duration, error) {
	rest := strings.ToLower(strings.TrimSpace(s))
	bad := fmt.Errorf("%q is not a duration: write a whole number and a unit, "+
		"as in 60m, 90 min, 2h or 30d", s)
	if rest == "" {
		return 0, bad
	}
	var total time.Duration
	for rest != "" {
		m := reDurationPart.FindStringSubmatch(rest)
		if m == nil {
			return 0, bad
		}
		unit, ok := durationUnits[m[2]]
		n, err := strconv.Atoi(m[1])
		if !ok || err != nil {
			return 0, bad
		}
		if time.Duration(n) > maxDuration/unit || total+time.Duration(n)*unit > maxDuration {
			return 0, fmt.Errorf("%q is longer than 10 years", s)
		}
		total += time.Duration(n) * unit
		rest = rest[len(m[0]):]
	}
	if total == 0 {
		return 0, fmt.Errorf("%q is no time at all: give a length above zero", s)
	}
	return total, nil
}
