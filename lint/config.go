package lint

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Config is a team's adjustments to the checker, from a YAML file:
//
//	rules:
//	  pii.name: off          # switch a rule off
//	  blame.hindsight: error # or give it another severity
//	allow: [Hellman, Ashburn] # words never reported
type Config struct {
	// Rules maps a rule id to "off" or a severity.
	Rules map[string]string `yaml:"rules"`
	// Allow lists words and phrases never reported, matched ignoring case.
	Allow []string `yaml:"allow"`
}

// LoadConfig reads a config file, refusing unknown keys and values by line.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConfig(data, path)
}

// ParseConfig reads a config; name is the file's name for messages.
func ParseConfig(data []byte, name string) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rules := make([]string, 0, len(c.Rules))
	for rule := range c.Rules {
		rules = append(rules, rule)
	}
	sort.Strings(rules)
	for _, rule := range rules {
		if !knownRule(rule) {
			return nil, fmt.Errorf("%s: rules.%s: no rule has that id; give one such as "+
				"blame.judgement, or a family: blame.*, pii.* or complete.*", name, rule)
		}
		switch v := c.Rules[rule]; v {
		case "off", string(Error), string(Warning), string(Info):
		default:
			return nil, fmt.Errorf("%s: rules.%s: %q is not off, error, warning or info",
				name, rule, v)
		}
	}
	return &c, nil
}

// Apply drops the findings of rules switched off and of allowed words, and
// regrades the rest as the config says. text is what the findings' spans
// point into.
func (c *Config) Apply(findings []Finding, text string) []Finding {
	if c == nil {
		return findings
	}
	out := findings[:0:0]
	for _, f := range findings {
		v, ok := c.Rules[f.Rule]
		if !ok {
			v = c.Rules[family(f.Rule)+".*"] // a rule's own line wins over its family's
		}
		switch v {
		case "off":
			continue
		case "":
		default:
			f.Severity = Severity(v)
		}
		if c.allowed(f, text) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// acceptable reports a rule whose findings a marker can accept: one rule
// of the text's checks. What a report lacks has no line to accept it on.
func acceptable(id string) bool {
	return !strings.HasSuffix(id, "*") && family(id) != "complete" && knownRule(id)
}

// AllowedNames returns the allowed entries that are single capitalised
// words ("Jarvis", "Hellman"): names of things the team allows, which the
// checker should read as systems (Roster.Systems), so that "Jarvis failed
// to respond" is no person failing either.
func (c *Config) AllowedNames() []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, w := range c.Allow {
		if w = strings.TrimSpace(w); isCapitalised(w) {
			out = append(out, w)
		}
	}
	return out
}

// knownRule reports a rule id of the catalog or a family of them
// ("blame.*").
func knownRule(id string) bool {
	fam, wild := strings.CutSuffix(id, ".*")
	for _, r := range catalog {
		if r.ID == id || wild && family(r.ID) == fam {
			return true
		}
	}
	return false
}

// family is the part of a rule id before its first dot: "blame".
func family(id string) string {
	f, _, _ := strings.Cut(id, ".")
	return f
}

func (c *Config) allowed(f Finding, text string) bool {
	if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
		return false
	}
	span := strings.ToLower(text[f.Start:f.End])
	for _, w := range c.Allow {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" && strings.Contains(span, w) {
			return true
		}
	}
	return false
}

// reAccept is the inline marker that accepts one finding with a reason, on
// the line of the finding or the line before it:
//
//	<!-- debrief-lint: accept pii.name: the vendor asked to be named -->
//
// Case is ignored, and a marker may run over lines.
var reAccept = regexp.MustCompile(
	`(?is)<!--\s*debrief-lint:\s*accept\s+([a-z][a-z._*-]*)\s*(?::\s*(.*?))?\s*-->`)

// Accept drops the findings that an inline marker in text accepts, and
// reports a marker that gives no reason or names no rule a marker can
// accept: accepting a finding is a decision someone must be able to read
// later.
func Accept(findings []Finding, text string) []Finding {
	type marker struct {
		rule, reason string
		line, col    int
	}
	var markers []marker
	for _, m := range reAccept.FindAllStringSubmatchIndex(text, -1) {
		lineStart := strings.LastIndexByte(text[:m[0]], '\n') + 1
		// The marker's last line is the one it stands on for the finding.
		mk := marker{rule: strings.ToLower(text[m[2]:m[3]]),
			line: strings.Count(text[:m[1]], "\n") + 1,
			col:  utf8.RuneCountInString(text[lineStart:m[0]]) + 1}
		if m[4] >= 0 {
			mk.reason = strings.TrimFunc(text[m[4]:m[5]], func(r rune) bool {
				return unicode.IsSpace(r) || unicode.IsControl(r) || invisible(r)
			})
		}
		markers = append(markers, mk)
	}
	if len(markers) == 0 {
		return findings
	}
	var out []Finding
	used := make([]bool, len(markers))
	for _, f := range findings {
		accepted := false
		for i, mk := range markers {
			if !used[i] && mk.reason != "" && mk.rule == f.Rule &&
				(f.Line == mk.line || f.Line == mk.line+1) {
				used[i], accepted = true, true
				break
			}
		}
		if !accepted {
			out = append(out, f)
		}
	}
	for _, mk := range markers {
		if !acceptable(mk.rule) {
			out = append(out, Finding{Rule: "lint.accept-rule", Severity: Warning,
				Section: "document", Line: mk.line, Column: mk.col,
				Message: fmt.Sprintf("the marker names %q, which no marker can accept, "+
					"so it accepts nothing", mk.rule),
				Suggestion: "Name one rule of a finding on the marker's line or the next, " +
					"such as pii.name; what a report lacks (complete.*) is added, not accepted."})
			continue
		}
		if mk.reason == "" {
			out = append(out, Finding{Rule: "lint.accept-reason", Severity: Warning,
				Section: "document", Line: mk.line, Column: mk.col,
				Message: fmt.Sprintf("the marker accepting %s gives no reason, so it "+
					"accepts nothing", mk.rule),
				Suggestion: "Write the reason after the rule: " +
					"<!-- debrief-lint: accept " + mk.rule + ": why it stays -->"})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out
}
