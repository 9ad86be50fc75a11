package web

import (
	"slices"

	"github.com/debrief-oss/debrief"
)

// whyNode is a why-chain node with its answers to "why?" beneath it.
type whyNode struct {
	debrief.Why
	Children []*whyNode
}

// whyForest arranges why-chain nodes as trees. A node whose parent is
// missing starts a chain of its own, and nodes caught in a parent cycle
// are shown as chains too: an imported report must never lose a node.
func whyForest(whys []debrief.Why) []*whyNode {
	nodes := make(map[int]*whyNode, len(whys))
	for _, w := range whys {
		nodes[w.ID] = &whyNode{Why: w}
	}

	var roots []*whyNode
	for _, w := range whys {
		parent, ok := nodes[w.ParentID]
		if w.ParentID == 0 || !ok || w.ParentID == w.ID {
			roots = append(roots, nodes[w.ID])
			continue
		}
		parent.Children = append(parent.Children, nodes[w.ID])
	}

	// Anything not reachable from a root sits on a cycle; cut it loose.
	reached := map[int]bool{}
	var walk func(n *whyNode)
	walk = func(n *whyNode) {
		if reached[n.ID] {
			return
		}
		reached[n.ID] = true
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	for _, w := range whys {
		if !reached[w.ID] {
			n := nodes[w.ID]
			detachFromParent(nodes, n)
			roots = append(roots, n)
			walk(n)
		}
	}
	return roots
}

func detachFromParent(nodes map[int]*whyNode, n *whyNode) {
	if p, ok := nodes[n.ParentID]; ok {
		p.Children = slices.DeleteFunc(p.Children, func(c *whyNode) bool { return c == n })
	}
}

// group is a heading with the items filed under it, in display order.
type group[T any] struct {
	Key   string
	Label string
	Items []T
}

// groupBy files items under the given keys in order. Items with a key not
// in the list get groups of their own after the known ones, so custom
// categories show up instead of vanishing.
func groupBy[T any](items []T, keys []string, key func(T) string) []group[T] {
	byKey := map[string][]T{}
	var extra []string
	for _, it := range items {
		k := key(it)
		if !slices.Contains(keys, k) && !slices.Contains(extra, k) {
			extra = append(extra, k)
		}
		byKey[k] = append(byKey[k], it)
	}

	var out []group[T]
	for _, k := range append(slices.Clone(keys), extra...) {
		if len(byKey[k]) > 0 {
			out = append(out, group[T]{Key: k, Label: k, Items: byKey[k]})
		}
	}
	return out
}

func causeGroups(causes []debrief.Cause) []group[debrief.Cause] {
	keys := make([]string, len(debrief.FishboneCategories))
	for i, c := range debrief.FishboneCategories {
		keys[i] = string(c)
	}
	gs := groupBy(causes, keys, func(c debrief.Cause) string { return string(c.Category) })
	return labelEmpty(gs, "Not yet categorised")
}

func factorGroups(fs []debrief.ContributingFactor) []group[debrief.ContributingFactor] {
	keys := make([]string, len(debrief.FactorCategories))
	for i, c := range debrief.FactorCategories {
		keys[i] = string(c)
	}
	key := func(f debrief.ContributingFactor) string { return string(f.Category) }
	return labelEmpty(groupBy(fs, keys, key), "Not yet categorised")
}

// lessonLabels are the headings of the lesson kinds, as a team says them.
var lessonLabels = map[string]string{
	string(debrief.LessonWentWell):  "What went well",
	string(debrief.LessonWentWrong): "What went wrong",
	string(debrief.LessonLucky):     "Where we got lucky",
	string(debrief.LessonGeneral):   "General lessons",
}

func lessonGroups(ls []debrief.Lesson) []group[debrief.Lesson] {
	keys := make([]string, len(debrief.LessonKinds))
	for i, k := range debrief.LessonKinds {
		keys[i] = string(k)
	}
	gs := groupBy(ls, keys, func(l debrief.Lesson) string { return string(l.Kind) })
	for i := range gs {
		if l, ok := lessonLabels[gs[i].Key]; ok {
			gs[i].Label = l
		} else {
			gs[i].Label = humanize(gs[i].Key)
		}
	}
	return labelEmpty(gs, "General lessons")
}

func labelEmpty[T any](gs []group[T], label string) []group[T] {
	for i := range gs {
		if gs[i].Key == "" {
			gs[i].Label = label
		}
	}
	return gs
}
