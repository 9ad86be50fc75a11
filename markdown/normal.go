package markdown

import (
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// Normalize returns a deep copy of p in the normal form that Write and Parse
// agree on, so that Parse(Write(p)) equals Normalize(p) field for field:
//
//   - empty slices and maps are nil, as the storage layer returns them;
//   - times are UTC without a monotonic clock reading; unknown ones are zero;
//   - text is valid UTF-8 without NUL bytes: anything else becomes U+FFFD,
//     because a Markdown file cannot carry it;
//   - why-chains are in reading order: each chain's first question, then its
//     answers depth first, children in their original order (see canonWhyOrder);
//   - lessons are grouped by kind in the order of debrief.LessonKinds, then
//     any other kinds in order of first appearance, keeping the authors'
//     order within a kind, because the Markdown lists them under one
//     heading per kind.
//
// Everything else, including nil versus set quantities, is kept as given.
func Normalize(p *debrief.Postmortem) *debrief.Postmortem {
	if p == nil {
		return nil
	}
	n := canonValue(reflect.ValueOf(p)).Interface().(*debrief.Postmortem)
	n.Analysis.Whys = canonWhys(n.Analysis.Whys)
	n.Lessons = canonLessons(n.Lessons)
	return n
}

var canonTimeType = reflect.TypeFor[time.Time]()

// canonValue copies v deeply, normalising as it goes. The domain types are
// plain data (strings, numbers, times, slices, maps, pointers), so a
// reflective walk covers every field, including ones added later.
func canonValue(v reflect.Value) reflect.Value {
	t := v.Type()
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(t).Elem()
		out.SetString(canonText(v.String()))
		return out
	case reflect.Struct:
		if t == canonTimeType {
			return reflect.ValueOf(canonTime(v.Interface().(time.Time)))
		}
		out := reflect.New(t).Elem()
		for i := range v.NumField() {
			out.Field(i).Set(canonValue(v.Field(i)))
		}
		return out
	case reflect.Slice:
		if v.Len() == 0 {
			return reflect.Zero(t)
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(canonValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.Len() == 0 {
			return reflect.Zero(t)
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(canonValue(it.Key()), canonValue(it.Value()))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return reflect.Zero(t)
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(canonValue(v.Elem()))
		return out
	}
	return v
}

// canonText replaces what no text file can carry: invalid UTF-8 and NUL.
func canonText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
}

func canonTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Round(0)
}

// canonPlacedWhy is a why in reading order: how deep it is nested, and whether
// its parent must be named because it is not the item it is nested under.
type canonPlacedWhy struct {
	why         debrief.Why
	depth       int
	namesParent bool
}

// canonWhyOrder lays the why forest out for reading. Chains start at whys with no
// parent or a parent that does not exist; each is followed by its answers,
// depth first. Whys left over (only cycles can be) start chains of their
// own, with their parent named, so that every why appears exactly once.
func canonWhyOrder(whys []debrief.Why) []canonPlacedWhy {
	ids := make(map[int]bool, len(whys))
	for _, w := range whys {
		ids[w.ID] = true
	}
	placed := make([]canonPlacedWhy, 0, len(whys))
	visited := make([]bool, len(whys))
	var visit func(i, depth int)
	visit = func(i, depth int) {
		visited[i] = true
		w := whys[i]
		placed = append(placed, canonPlacedWhy{why: w, depth: depth,
			namesParent: depth == 0 && w.ParentID != 0})
		for j, c := range whys {
			if !visited[j] && c.ParentID == w.ID {
				visit(j, depth+1)
			}
		}
	}
	for i, w := range whys {
		if !visited[i] && (w.ParentID == 0 || !ids[w.ParentID]) {
			visit(i, 0)
		}
	}
	for i := range whys {
		if !visited[i] {
			visit(i, 0)
		}
	}
	return placed
}

func canonWhys(whys []debrief.Why) []debrief.Why {
	if len(whys) == 0 {
		return nil
	}
	out := make([]debrief.Why, 0, len(whys))
	for _, pw := range canonWhyOrder(whys) {
		out = append(out, pw.why)
	}
	return out
}

// canonLessonKinds lists the kinds the lessons use, in the order Write
// groups them.
func canonLessonKinds(lessons []debrief.Lesson) []debrief.LessonKind {
	var kinds []debrief.LessonKind
	for _, k := range debrief.LessonKinds {
		if slices.ContainsFunc(lessons, func(l debrief.Lesson) bool { return l.Kind == k }) {
			kinds = append(kinds, k)
		}
	}
	for _, l := range lessons {
		if !slices.Contains(kinds, l.Kind) {
			kinds = append(kinds, l.Kind)
		}
	}
	return kinds
}

func canonLessons(lessons []debrief.Lesson) []debrief.Lesson {
	if len(lessons) == 0 {
		return nil
	}
	out := make([]debrief.Lesson, 0, len(lessons))
	for _, k := range canonLessonKinds(lessons) {
		for _, l := range lessons {
			if l.Kind == k {
				out = append(out, l)
			}
		}
	}
	return out
}
