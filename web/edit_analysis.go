package web

import (
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

var analysisSpec = &sectionSpec{
	key: "analysis",
	fields: []string{"analysis.root_cause", "analysis.trigger", "analysis.detection",
		"analysis.resolution"},
	lists: []listSpec{
		{
			name:    "analysis.whys",
			fields:  []string{"id", "parent_id", "question", "answer", "kind"},
			content: []string{"answer", "question"},
			blanks:  3,
		},
		{
			name:    "analysis.causes",
			fields:  []string{"category", "text", "kind"},
			content: []string{"text"},
			blanks:  3,
		},
	},
	fill:  fillAnalysis,
	build: buildAnalysis,
}

func fillAnalysis(f *editForm, p *debrief.Postmortem) {
	a := &p.Analysis
	f.set("analysis.root_cause", a.RootCause)
	f.set("analysis.trigger", a.Trigger)
	f.set("analysis.detection", a.Detection)
	f.set("analysis.resolution", a.Resolution)
	for _, w := range a.Whys {
		parent := ""
		if w.ParentID != 0 {
			parent = strconv.Itoa(w.ParentID)
		}
		f.addRow("analysis.whys", map[string]string{
			"id": strconv.Itoa(w.ID), "parent_id": parent, "question": w.Question,
			"answer": w.Answer, "kind": string(w.Kind),
		})
	}
	for _, c := range a.Causes {
		f.addRow("analysis.causes", map[string]string{
			"category": string(c.Category), "text": c.Text, "kind": string(c.Kind),
		})
	}
}

func buildAnalysis(f *editForm, cur *debrief.Postmortem) *debrief.Postmortem {
	p := &debrief.Postmortem{Analysis: debrief.Analysis{
		RootCause:  trimText(f.get("analysis.root_cause")),
		Trigger:    trimText(f.get("analysis.trigger")),
		Detection:  trimText(f.get("analysis.detection")),
		Resolution: trimText(f.get("analysis.resolution")),
	}}
	p.Analysis.Whys = buildWhys(f, cur)

	rows := f.entries("analysis.causes")
	for _, r := range rows {
		p.Analysis.Causes = append(p.Analysis.Causes, debrief.Cause{
			Category: debrief.FishboneCategory(r.get("category")),
			Text:     trimText(r.get("text")),
			Kind:     debrief.CauseKind(r.get("kind")),
		})
	}
	f.saved("analysis.causes", rows)
	return p
}

// whyID returns the id a why row was loaded with, or 0 for a new row (or
// one whose hidden id was tampered with).
func (r *formRow) whyID() int {
	id, err := strconv.Atoi(r.get("id"))
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// parentID returns the why the row answers, 0 for a new chain and -1 for
// a value that names no why.
func (r *formRow) parentID() int {
	v := r.trimmed("parent_id")
	if v == "" || v == "0" {
		return 0
	}
	id, err := strconv.Atoi(strings.TrimPrefix(v, "#"))
	if err != nil || id <= 0 {
		return -1
	}
	return id
}

// knownWhys returns the why rows the form was loaded with, by id; a row
// repeating an id is treated as new.
func (f *editForm) knownWhys() (byID map[int]*formRow, ordered []*formRow) {
	byID = map[int]*formRow{}
	for _, r := range f.lists["analysis.whys"] {
		if id := r.whyID(); id > 0 && byID[id] == nil {
			byID[id] = r
			ordered = append(ordered, r)
		}
	}
	return byID, ordered
}

// buildWhys reads the why-chains. New whys get ids after the highest in
// use, so ids already saved never change meaning. Removing a why that
// still has answers under it is refused rather than orphaning them.
func buildWhys(f *editForm, cur *debrief.Postmortem) []debrief.Why {
	known, _ := f.knownWhys()
	next := 0
	for id := range known {
		next = max(next, id)
	}
	for _, w := range cur.Analysis.Whys {
		next = max(next, w.ID)
	}

	rows := f.entries("analysis.whys")
	kept := map[int]bool{}
	ids := make(map[*formRow]int, len(rows))
	for _, r := range rows {
		id := r.whyID()
		if id == 0 || known[id] != r {
			next++
			id = next
		}
		ids[r] = id
		kept[id] = true
	}

	whys := make([]debrief.Why, 0, len(rows))
	parents := map[int]int{}
	for _, r := range rows {
		w := debrief.Why{
			ID:       ids[r],
			ParentID: r.parentID(),
			Question: trimText(r.get("question")),
			Answer:   trimText(r.get("answer")),
			Kind:     debrief.CauseKind(r.get("kind")),
		}
		switch parent := known[w.ParentID]; {
		case w.ParentID == 0:
		case w.ParentID < 0 || parent == nil:
			r.fail("parent_id", "%s: choose the why it answers from the list, or a new "+
				"chain.", whyLabel(r))
		case !kept[w.ParentID]:
			removedParent(parent)
		}
		parents[w.ID] = w.ParentID
		whys = append(whys, w)
	}
	for _, r := range rows {
		if onCycle(ids[r], parents) {
			r.fail("parent_id", "%s cannot answer itself or one of the whys under it: "+
				"choose another why, or a new chain.", whyLabel(r))
		}
	}
	f.saved("analysis.whys", rows)
	if len(whys) == 0 {
		return nil
	}
	return whys
}

// removedParent refuses the removal of a why that still has answers.
func removedParent(r *formRow) {
	field := "remove"
	if !r.Removed() {
		field = "answer" // emptied rather than ticked
	}
	r.fail(field, "%s has answers under it: remove them too, or choose another why "+
		"for them to answer.", whyLabel(r))
}

// onCycle reports whether following parents from id comes back to it.
func onCycle(id int, parents map[int]int) bool {
	seen := map[int]bool{}
	for p := parents[id]; p > 0; p = parents[p] {
		if p == id {
			return true
		}
		if seen[p] {
			return false
		}
		seen[p] = true
	}
	return false
}

// whyLabel names a why row in messages and legends: by its id once saved.
func whyLabel(r *formRow) string {
	if id := r.whyID(); id > 0 {
		return "Why #" + strconv.Itoa(id)
	}
	return "New why " + strconv.Itoa(r.N())
}

// Label is how the row's legend names it.
func (r *formRow) Label() string { return whyLabel(r) }

// whyFormNode is a why row with the rows that answer it, for the nested
// fieldsets of the why-chain editor.
type whyFormNode struct {
	Row      *formRow
	Children []*whyFormNode
}

// WhyTree arranges the saved whys of the form as the report shows them.
func (f *editForm) WhyTree() []*whyFormNode {
	byID, ordered := f.knownWhys()
	whys := make([]debrief.Why, len(ordered))
	for i, r := range ordered {
		whys[i] = debrief.Why{ID: r.whyID(), ParentID: max(r.parentID(), 0)}
	}
	var convert func(ns []*whyNode) []*whyFormNode
	convert = func(ns []*whyNode) []*whyFormNode {
		out := make([]*whyFormNode, len(ns))
		for i, n := range ns {
			out[i] = &whyFormNode{Row: byID[n.ID], Children: convert(n.Children)}
		}
		return out
	}
	return convert(whyForest(whys))
}

// NewWhys are the rows for whys not saved yet.
func (f *editForm) NewWhys() []*formRow {
	byID, _ := f.knownWhys()
	var out []*formRow
	for _, r := range f.lists["analysis.whys"] {
		if byID[r.whyID()] != r {
			out = append(out, r)
		}
	}
	return out
}

// maxParentOptions is how many whys the parent select lists; beyond it the
// parent is typed as a number, so a huge analysis does not make a page of
// millions of options.
const maxParentOptions = 100

// Parent is the row's choice of the why it answers.
func (r *formRow) Parent() input {
	_, ordered := r.form.knownWhys()
	if len(ordered) > maxParentOptions {
		return r.Typed("text", "parent_id", "Answers why # (empty for a new chain)")
	}
	in := r.Sel("parent_id", "Answers", "")
	in.Options = []option{{Value: "", Label: "Nothing: starts a new chain",
		Selected: r.parentID() == 0}}
	self := r.whyID()
	for _, w := range ordered {
		id := w.whyID()
		if id == self {
			continue
		}
		text := w.get("answer")
		if strings.TrimSpace(text) == "" {
			text = w.get("question")
		}
		in.Options = append(in.Options, option{
			Value:    strconv.Itoa(id),
			Label:    "#" + strconv.Itoa(id) + ": " + shorten(70, text),
			Selected: r.parentID() == id,
		})
	}
	return in
}
