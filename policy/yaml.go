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
	"github.com/debrief-oss/debrief/internal/yamlnode"
)

// reader walks a policy file's YAML nodes by hand rather than decoding
// into structs, so that every error can name the file, the line, the key's
// path and the value at fault, and so that unknown keys, duplicate keys and
// aliases are refused rather than ignored or expanded.
type reader struct{ yamlnode.Reader }

// list reads a sequence; null is an empty one. A single value is refused
// rather than read as a list of one: "P1, P2" would be one severity.
func (rd *reader) list(n *yaml.Node, path, example string) ([]*yaml.Node, error) {
	if yamlnode.IsNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, rd.Fail(n, path, "expected a list such as %s, found %s", example,
			yamlnode.Describe(n))
	}
	return n.Content, nil
}

// boolean reads true or false. YAML 1.1's yes, no, on and off are refused:
// their meaning depends on the reader.
func (rd *reader) boolean(n *yaml.Node, path string) (bool, error) {
	s, err := rd.Text(n, path)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(s) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, rd.Fail(n, path, "%q is not true or false", s)
}

// integer reads a whole number from min to max.
func (rd *reader) integer(n *yaml.Node, path string, min, max int) (int, error) {
	s, err := rd.Text(n, path)
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, rd.Fail(n, path, "%q is not a whole number", s)
	}
	if v < min || v > max {
		return 0, rd.Fail(n, path, "%d is out of range: give %d to %d", v, min, max)
	}
	return v, nil
}

// duration reads an elapsed time (see parseDuration).
func (rd *reader) duration(n *yaml.Node, path string) (time.Duration, error) {
	s, err := rd.Text(n, path)
	if err != nil {
		return 0, err
	}
	d, err := parseDuration(s)
	if err != nil {
		return 0, rd.Fail(n, path, "%v", err)
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
		s, err := rd.Text(item, ip)
		if err != nil {
			return nil, err
		}
		// ParseSeverity stops at a comma ("P2, high" is P2), which here
		// would drop the second of two severities written as one item.
		if strings.ContainsAny(s, ",;/") {
			return nil, rd.Fail(item, ip, "%q: list each severity as its own item, "+
				"as in [P1, P2]", s)
		}
		sev, _, ok := debrief.ParseSeverity(s)
		if !ok {
			return nil, rd.Fail(item, ip, "%q is not a severity: use P1, P2, P3 or P4 "+
				"(or critical, high, medium, low)", s)
		}
		if !slices.Contains(sevs, sev) {
			sevs = append(sevs, sev)
		}
	}
	return sevs, nil
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
