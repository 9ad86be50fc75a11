package lint

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief/internal/corpus"
)

type labelled struct {
	Text  string     `json:"text"`
	Blame bool       `json:"blame"`
	PII   bool       `json:"pii"`
	Spans []goldSpan `json:"spans"`
}

type goldSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Kind  string `json:"kind"`
}

// kind maps a rule id to the dev set's span kinds: blame or pii.
func kind(rule string) string {
	if strings.HasPrefix(rule, "blame.") {
		return "blame"
	}
	return "pii"
}

func goldKind(k string) string {
	if k == "blame" {
		return "blame"
	}
	return "pii"
}

// spanScore counts overlap matches between predicted and gold spans of
// one kind, as the corpus README defines them.
type spanScore struct{ predOK, pred, goldHit, gold int }

func (s *spanScore) add(kindName string, found []Finding, gold []goldSpan) {
	for _, f := range found {
		if kind(f.Rule) != kindName {
			continue
		}
		s.pred++
		for _, g := range gold {
			if goldKind(g.Kind) == kindName && f.Start < g.End && g.Start < f.End {
				s.predOK++
				break
			}
		}
	}
	for _, g := range gold {
		if goldKind(g.Kind) != kindName {
			continue
		}
		s.gold++
		for _, f := range found {
			if kind(f.Rule) == kindName && f.Start < g.End && g.Start < f.End {
				s.goldHit++
				break
			}
		}
	}
}

func readLabelled(t *testing.T) []labelled {
	t.Helper()
	f, err := os.Open(filepath.Join(corpus.Lint(t), "dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("dev.jsonl line %d: %v", line, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// counts is a confusion matrix for one sentence-level label.
type counts struct{ tp, fp, fn int }

func (c counts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }
func (c counts) f1() float64 {
	p, r := c.precision(), c.recall()
	return ratio2(2*p*r, p+r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func ratio2(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func (c *counts) add(gold, got bool) {
	switch {
	case gold && got:
		c.tp++
	case got:
		c.fp++
	case gold:
		c.fn++
	}
}

// TestScoreDev scores the checker, with an empty roster, on the labelled
// dev sentences at sentence level and holds it to the bars.
func TestScoreDev(t *testing.T) {
	c := New(Roster{})
	var blame, pii counts
	var blameSpans, piiSpans spanScore
	for i, l := range readLabelled(t) {
		var gotBlame, gotPII bool
		found := c.Text("dev", l.Text)
		blameSpans.add("blame", found, l.Spans)
		piiSpans.add("pii", found, l.Spans)
		for _, f := range found {
			if strings.HasPrefix(f.Rule, "blame.") {
				gotBlame = true
			} else {
				gotPII = true
			}
		}
		blame.add(l.Blame, gotBlame)
		pii.add(l.PII, gotPII)
		if testing.Verbose() && (gotBlame != l.Blame || gotPII != l.PII) {
			t.Logf("line %d: blame %v/%v pii %v/%v", i, gotBlame, l.Blame, gotPII, l.PII)
		}
	}
	t.Logf("blame: P %.3f R %.3f F1 %.3f %+v", blame.precision(), blame.recall(), blame.f1(), blame)
	t.Logf("pii:   P %.3f R %.3f F1 %.3f %+v", pii.precision(), pii.recall(), pii.f1(), pii)
	t.Logf("spans (overlap): blame P %.3f R %.3f; pii P %.3f R %.3f",
		ratio(blameSpans.predOK, blameSpans.pred), ratio(blameSpans.goldHit, blameSpans.gold),
		ratio(piiSpans.predOK, piiSpans.pred), ratio(piiSpans.goldHit, piiSpans.gold))
	if blame.precision() < 0.90 || blame.recall() < 0.85 {
		t.Errorf("blame precision %.3f, recall %.3f; want at least 0.90 and 0.85",
			blame.precision(), blame.recall())
	}
	if pii.precision() < 0.90 || pii.recall() < 0.95 {
		t.Errorf("pii precision %.3f, recall %.3f; want at least 0.90 and 0.95",
			pii.precision(), pii.recall())
	}
}
