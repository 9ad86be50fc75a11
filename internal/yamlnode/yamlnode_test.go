package yamlnode

import (
	"strings"
	"testing"
)

func TestReaderNamesWhereAndWhat(t *testing.T) {
	rd := Reader{Name: "x.yaml"}
	for body, want := range map[string]string{
		"a: 1\nb: [\n":      "x.yaml line 2: not valid YAML",
		"a: 1\n---\nb: 2\n": "x.yaml line 2: a second YAML document: the file is one document",
		"a: 1\nzz: 2\n":     `x.yaml line 2: zz: unknown key; the keys here are a, b`,
		"a: 1\na: 2\n":      "x.yaml line 2: a: given twice (first on line 1)",
		"[1, 2]\n":          "x.yaml line 1: expected keys (a, b), found a list",
		"a: &x 1\nb: *x\n":  "",
		"? [k]\n: v\n":      "a key must be a plain word, found a list",
		"a: {c: 1}\nb: ~\n": "",
		"":                  "",
	} {
		root, err := rd.Document([]byte(body), "the file")
		if err == nil && root != nil {
			_, err = rd.Mapping(root, "", []string{"a", "b"})
		}
		if want == "" {
			if err != nil {
				t.Errorf("%q: %v", body, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", body, err, want)
		}
	}
}
