// Package yamlnode reads debrief's YAML configuration files node by node
// rather than decoding them into structs, so that every error names the
// file, the line, the key's path and the value at fault, and so that
// unknown keys, keys given twice and aliases are refused rather than
// ignored or expanded. The trigger policy, the notification channels and
// the trackers are read with it.
package yamlnode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
)

// Reader reads the nodes of one file; Name is the file's name in errors.
type Reader struct {
	Name string
}

// Fail returns a KindInvalid error about the node at path:
// "policy.yaml line 7: rules[1].longer_than: "6O m" is not a duration".
func (rd Reader) Fail(n *yaml.Node, path, format string, args ...any) error {
	where := fmt.Sprintf("%s line %d", rd.Name, n.Line)
	if path != "" {
		where += ": " + path
	}
	return &debrief.Error{Kind: debrief.KindInvalid, Field: path,
		Message: where + ": " + fmt.Sprintf(format, args...)}
}

// Entry is a key of a mapping and its value.
type Entry struct{ Key, Value *yaml.Node }

// Mapping reads a mapping whose keys must be among known. A null value (a
// key written with nothing after it) is an empty mapping.
func (rd Reader) Mapping(n *yaml.Node, path string, known []string) (map[string]Entry, error) {
	if IsNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, rd.Fail(n, path, "expected keys (%s), found %s",
			strings.Join(known, ", "), Describe(n))
	}
	m := make(map[string]Entry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, rd.Fail(k, path, "a key must be a plain word, found %s", Describe(k))
		}
		kp := Join(path, k.Value)
		if !slices.Contains(known, k.Value) {
			return nil, rd.Fail(k, kp, "unknown key; the keys here are %s",
				strings.Join(known, ", "))
		}
		if prev, dup := m[k.Value]; dup {
			return nil, rd.Fail(k, kp, "given twice (first on line %d)", prev.Key.Line)
		}
		m[k.Value] = Entry{k, v}
	}
	return m, nil
}

// Join makes the path of a key under parent.
func Join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// Text reads a value that must not be empty, trimmed.
func (rd Reader) Text(n *yaml.Node, path string) (string, error) {
	if n.Kind != yaml.ScalarNode || IsNull(n) {
		return "", rd.Fail(n, path, "expected a value, found %s", Describe(n))
	}
	s := strings.TrimSpace(n.Value)
	if s == "" {
		return "", rd.Fail(n, path, "is empty")
	}
	return s, nil
}

// Document reads the file's one YAML document and returns its top node,
// or nil when the file holds nothing. what names the file's content in
// the error about a second document ("a policy", "the channels").
func (rd Reader) Document(data []byte, what string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, Error(rd.Name, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s line %d: a second YAML "+
			"document: %s is one document", rd.Name, next.Line, what)
	} else if !errors.Is(err, io.EOF) {
		return nil, Error(rd.Name, err)
	}
	if len(doc.Content) == 0 || IsNull(doc.Content[0]) {
		return nil, nil
	}
	return doc.Content[0], nil
}

var reYAMLLine = regexp.MustCompile(`^yaml: line ([0-9]+): `)

// Error rewrites the YAML library's "yaml: line 3: ..." as "name line 3:
// not valid YAML: ...". The library gives the line where the block
// holding the mistake starts, which may be above it.
func Error(name string, err error) error {
	msg := err.Error()
	if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
		return debrief.Errorf(debrief.KindInvalid, "%s line %s: not valid YAML: %s", name,
			m[1], msg[len(m[0]):])
	}
	return debrief.Errorf(debrief.KindInvalid, "%s: not valid YAML: %s", name,
		strings.TrimPrefix(msg, "yaml: "))
}

// IsNull reports whether the node is YAML's null (a key with nothing after
// it, "~" or "null").
func IsNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// Describe names what a node holds, for an error that found the wrong one.
func Describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "keys"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return fmt.Sprintf("the alias *%s (aliases are not read here: write the "+
			"value out)", n.Value)
	case IsNull(n):
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}
