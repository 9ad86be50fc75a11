package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
)

// SectionDiff is how one section changed between two versions of a report.
type SectionDiff struct {
	Key   string     `json:"section"`
	Title string     `json:"title"`
	Lines []DiffLine `json:"lines"`
}

// DiffOp says what happened to a line.
type DiffOp string

// The line operations. Skip stands for unchanged lines left out because
// they are far from any change.
const (
	DiffSame    DiffOp = "same"
	DiffAdded   DiffOp = "added"
	DiffRemoved DiffOp = "removed"
	DiffSkip    DiffOp = "skip"
)

// DiffLine is one line of a section's text, as it reads in both versions,
// only in the newer (added) or only in the older (removed).
type DiffLine struct {
	Op   DiffOp `json:"op"`
	Text string `json:"text"`
}

// diffContext is how many unchanged lines are shown around a change.
const diffContext = 3

// Diff compares two versions of a report section by section. Each section
// is compared as readable text (its JSON shape written as YAML), so a
// reader sees which events, whys or action items were added, removed or
// reworded. Sections that did not change are left out.
func Diff(old, cur *debrief.Postmortem) []SectionDiff {
	var out []SectionDiff
	if old.Status != cur.Status {
		out = append(out, SectionDiff{Key: "status", Title: "Status", Lines: []DiffLine{
			{DiffRemoved, string(old.Status)}, {DiffAdded, string(cur.Status)},
		}})
	}
	for _, sec := range Sections {
		if sec.Equal(old, cur) {
			continue
		}
		lines := diffLines(SectionText(sec, old), SectionText(sec, cur))
		out = append(out, SectionDiff{Key: sec.Key, Title: sec.Title, Lines: lines})
	}
	return out
}

// SectionText writes the section of p as YAML: keys in the order of the
// JSON shape, one value a line, multi-line text as a block.
func SectionText(sec Section, p *debrief.Postmortem) string {
	data, err := json.Marshal(sec.Value(p))
	if err != nil {
		return fmt.Sprintf("(cannot show: %v)", err)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return string(data)
	}
	blockStyle(&node)
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return string(data)
	}
	return b.String()
}

// blockStyle undoes the flow style JSON input gives every node, and writes
// multi-line strings as literal blocks.
func blockStyle(n *yaml.Node) {
	switch n.Kind {
	case yaml.ScalarNode:
		n.Style = 0
		if strings.Contains(n.Value, "\n") {
			n.Style = yaml.LiteralStyle
		}
	case yaml.MappingNode, yaml.SequenceNode, yaml.DocumentNode:
		n.Style = 0
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// diffLines compares two texts line by line and keeps diffContext
// unchanged lines around each change.
func diffLines(a, b string) []DiffLine {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)

	var all []DiffLine
	for _, d := range diffs {
		op := DiffSame
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = DiffAdded
		case diffmatchpatch.DiffDelete:
			op = DiffRemoved
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				all = append(all, DiffLine{op, strings.TrimSuffix(l, "\n")})
			}
		}
	}
	return trimContext(all)
}

// trimContext replaces runs of unchanged lines far from any change by one
// DiffSkip line that says how many were left out.
func trimContext(all []DiffLine) []DiffLine {
	near := make([]bool, len(all))
	for i, l := range all {
		if l.Op == DiffSame {
			continue
		}
		for j := max(0, i-diffContext); j <= min(len(all)-1, i+diffContext); j++ {
			near[j] = true
		}
	}
	var out []DiffLine
	skipped := 0
	flush := func() {
		if skipped > 0 {
			out = append(out, DiffLine{DiffSkip, fmt.Sprintf("%d unchanged lines", skipped)})
			skipped = 0
		}
	}
	for i, l := range all {
		if !near[i] {
			skipped++
			continue
		}
		flush()
		out = append(out, l)
	}
	flush()
	return out
}

// ConflictError refuses a save made from a version that is no longer the
// latest. It carries what the person needs to redo their edit: the report
// as it is now and what changed since the version they started from.
type ConflictError struct {
	// Base is the version the refused save started from.
	Base int
	// Current is the report as it is stored now.
	Current *debrief.Postmortem
	// Changes is what changed from Base to Current, section by section;
	// nil when Base's revision is not known.
	Changes []SectionDiff
	err     *debrief.Error
}

func (e *ConflictError) Error() string { return e.err.Error() }

// Unwrap makes the error KindConflict for debrief.ErrorKind.
func (e *ConflictError) Unwrap() error { return e.err }

// conflict builds the ConflictError for a save from base over cur.
func (s *Service) conflict(ctx context.Context, cur *debrief.Postmortem, base int) error {
	who := "someone else"
	if cur.UpdatedBy != "" {
		who = cur.UpdatedBy
	}
	e := &ConflictError{
		Base:    base,
		Current: cur,
		err: debrief.Errorf(debrief.KindConflict,
			"this report was changed by %s while you were editing: you started from "+
				"version %d and it is now at version %d; nothing of yours was saved",
			who, base, cur.Version),
	}
	if old, err := s.store.PostmortemRevision(ctx, cur.ID, base); err == nil {
		e.Changes = Diff(old, cur)
	}
	return e
}

// conflictNow reads the report again and builds the ConflictError, for a
// save that lost a race after its own version check passed. The winner may
// have restricted the report meanwhile: then it is not found.
func (s *Service) conflictNow(ctx context.Context, a debrief.Actor, id string, base int) error {
	cur, err := s.visible(ctx, a, id)
	if err != nil {
		return err
	}
	return s.conflict(ctx, cur, base)
}
