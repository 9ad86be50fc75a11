package workflow

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
)

// A roster file names the people of an organisation whom reports may
// mention, for the checker to find by name beside debrief's users:
//
//	people:
//	  - name: Priya Raman
//	    role: database on-call   # suggested where a report's team is silent
//	  - name: Mark Jensen

// maxRosterPeople bounds a roster file, far above an organisation's size,
// so that a wrong file cannot make every check slow.
const maxRosterPeople = 20000

type rosterFile struct {
	People []rosterEntry `yaml:"people"`
}

type rosterEntry struct {
	Name string `yaml:"name"`
	Role string `yaml:"role"`
}

// LoadRoster reads a roster file (see ParseRoster).
func LoadRoster(path string) ([]lint.Person, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseRoster(data, path)
}

// ParseRoster reads a roster: a list of people, each with a name and an
// optional role. Unknown keys, empty or overlong names and text that is
// not printable are refused, naming the entry; name is the file's, for
// the messages.
func ParseRoster(data []byte, name string) ([]lint.Person, error) {
	var f rosterFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(f.People) > maxRosterPeople {
		return nil, fmt.Errorf("%s: %d people; the limit is %d", name, len(f.People),
			maxRosterPeople)
	}
	people := make([]lint.Person, 0, len(f.People))
	for i, e := range f.People {
		p := lint.Person{Name: strings.TrimSpace(e.Name), Role: strings.TrimSpace(e.Role)}
		if p.Name == "" {
			return nil, fmt.Errorf("%s: people[%d]: the name is empty", name, i)
		}
		for _, s := range []string{p.Name, p.Role} {
			if !printableLine(s) {
				return nil, fmt.Errorf("%s: people[%d]: a name or role is one line of "+
					"printable text of at most %d bytes", name, i, debrief.MaxTitleLen)
			}
		}
		people = append(people, p)
	}
	return people, nil
}

// printableLine reports whether s is valid UTF-8 on one line, without
// control characters, no longer than a title.
func printableLine(s string) bool {
	if len(s) > debrief.MaxTitleLen || !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r >= 0x202a && r <= 0x202e
	}) < 0
}
