package web

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// editForm is a section editor's form as the person filled it in. Every
// value is kept exactly as typed, so a refused save shows the person their
// own input again, with the message beside the field at fault.
//
// Inputs are named after the report's JSON shape ("incident.severity",
// "timeline[3].text"), so an error the domain reports about a field lands
// on the input of that name. List rows are numbered in the order the form
// shows them; rowOf translates an index in the saved list (blank and
// removed rows dropped, events sorted) back to the row it came from.
type editForm struct {
	ReportID string
	Section  workflow.Section
	// Version is the report version the person started from; saving
	// from an older one than the stored version may conflict.
	Version int
	// Zone names the time zone in which date-and-time inputs are read.
	Zone string
	// CSRF is the session's token, echoed by the form.
	CSRF string

	spec   *sectionSpec
	values map[string]string
	lists  map[string][]*formRow
	rowOf  map[string][]int
	errs   map[string]string
	// order keeps the field errors in the order they were found.
	order []string
	// Message is the problem shown above the form, if any.
	Message string
	// review is what the blameless checker finds in the section as
	// stored, shown when the form is loaded (see lint_view.go).
	review *sectionFindings
}

// sectionSpec describes one section's form: its inputs and how it turns
// into the report section and back.
type sectionSpec struct {
	key    string
	fields []string
	lists  []listSpec
	// fill writes the report's section into the form's inputs.
	fill func(f *editForm, p *debrief.Postmortem)
	// build reads the inputs into a report holding only this section,
	// recording what cannot be read with f.fail. cur is the report as it
	// is stored now, for context such as its time zone.
	build func(f *editForm, cur *debrief.Postmortem) *debrief.Postmortem
}

// listSpec is a list of entries the form shows one row each.
type listSpec struct {
	name string
	// fields are a row's inputs, hidden ones included; "" names the row's
	// only input in a list of plain strings such as tags.
	fields []string
	// content are the inputs whose text makes a row an entry: a row where
	// all are empty is a blank row and is not saved.
	content []string
	// blanks is how many blank rows the form offers for new entries.
	blanks int
}

// maxFormRows bounds the rows read from one list of a form, above the
// domain's own limit, so a crafted body cannot make the server build
// millions of rows before validation refuses them.
const maxFormRows = debrief.MaxListLen + 100

func newEditForm(spec *sectionSpec, id string) *editForm {
	sec, _ := workflow.SectionByKey(spec.key)
	return &editForm{
		ReportID: id,
		Section:  sec,
		spec:     spec,
		values:   map[string]string{},
		lists:    map[string][]*formRow{},
		rowOf:    map[string][]int{},
		errs:     map[string]string{},
	}
}

// Action is where the form is sent.
func (f *editForm) Action() string {
	return "/postmortems/" + url.PathEscape(f.ReportID) + "/edit/" + f.Section.Key
}

// get returns the value of a single input.
func (f *editForm) get(name string) string { return f.values[name] }

func (f *editForm) set(name, value string) { f.values[name] = value }

// fail records a problem with an input; the first one per input is kept.
func (f *editForm) fail(name, format string, args ...any) {
	if _, dup := f.errs[name]; dup {
		return
	}
	f.errs[name] = fmt.Sprintf(format, args...)
	f.order = append(f.order, name)
}

// failed reports whether any input has a problem.
func (f *editForm) failed() bool { return len(f.errs) > 0 }

// fieldError is one problem as the summary above the form lists it.
type fieldError struct {
	ID, Message string
}

// Errors lists the problems in the order they were found, each linking to
// its input.
func (f *editForm) Errors() []fieldError {
	out := make([]fieldError, 0, len(f.order))
	for _, name := range f.order {
		out = append(out, fieldError{ID: inputID(name), Message: f.errs[name]})
	}
	return out
}

// applyError shows an error from the workflow on the form: its message
// above the form and, when it names a field, beside that field's input.
func (f *editForm) applyError(err error) {
	msg := sentence(err)
	if name := f.inputFor(debrief.ErrorField(err)); name != "" {
		f.fail(name, "%s", msg)
		return
	}
	f.Message = msg
}

// inputFor returns the input that a field path of the saved section
// ("timeline[3].text", "fields.Region") came from, or "" when none did.
func (f *editForm) inputFor(path string) string {
	if path == "" {
		return ""
	}
	if slices.Contains(f.spec.fields, path) {
		return path
	}
	lists := slices.Clone(f.spec.lists)
	// The longest name first, so "analysis.whys" is not read as "analysis".
	sort.Slice(lists, func(i, j int) bool { return len(lists[i].name) > len(lists[j].name) })
	for _, ls := range lists {
		if name, ok := f.rowInput(ls, path); ok {
			return name
		}
	}
	if key, ok := strings.CutPrefix(path, "fields."); ok {
		for _, r := range f.lists["fields"] {
			if strings.TrimSpace(r.get("name")) == key {
				return r.name("value")
			}
		}
	}
	// "incident.services[2]" comes from the one input of the services.
	for _, name := range f.spec.fields {
		if strings.HasPrefix(path, name+"[") {
			return name
		}
	}
	return ""
}

func (f *editForm) rowInput(ls listSpec, path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, ls.name+"[")
	if !ok {
		return "", false
	}
	idx, field, ok := strings.Cut(rest, "]")
	if !ok {
		return "", false
	}
	i, err := strconv.Atoi(idx)
	if err != nil || i < 0 || i >= len(f.rowOf[ls.name]) {
		return "", false
	}
	row := f.lists[ls.name][f.rowOf[ls.name][i]]
	field = strings.TrimPrefix(field, ".")
	if !slices.Contains(ls.fields, field) || strings.HasPrefix(field, "orig_") ||
		field == "id" || field == "number" {
		// A hidden input: show the problem on the row's first input.
		field = ls.content[0]
	}
	return row.name(field), true
}

// parse reads the submitted inputs of the form's section.
func (f *editForm) parse(form url.Values) {
	for _, name := range f.spec.fields {
		f.values[name] = normalizeInput(form.Get(name))
	}
	for _, ls := range f.spec.lists {
		f.lists[ls.name] = parseRows(f, form, ls)
	}
}

// normalizeInput turns the CRLF line ends browsers send into LF.
func normalizeInput(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// parseRows reads the rows of a list, named "list[i].field", in the order
// of their numbers, and numbers them again from zero.
func parseRows(f *editForm, form url.Values, ls listSpec) []*formRow {
	byIndex := map[int]map[string]string{}
	prefix := ls.name + "["
	for key, vals := range form {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok || len(vals) == 0 {
			continue
		}
		idx, field, ok := strings.Cut(rest, "]")
		i, err := strconv.Atoi(idx)
		if !ok || err != nil || i < 0 {
			continue
		}
		field = strings.TrimPrefix(field, ".")
		if field != "remove" && !slices.Contains(ls.fields, field) {
			continue
		}
		if byIndex[i] == nil {
			if len(byIndex) >= maxFormRows {
				continue
			}
			byIndex[i] = map[string]string{}
		}
		byIndex[i][field] = normalizeInput(vals[0])
	}

	indices := make([]int, 0, len(byIndex))
	for i := range byIndex {
		indices = append(indices, i)
	}
	slices.Sort(indices)
	rows := make([]*formRow, len(indices))
	for n, i := range indices {
		rows[n] = &formRow{form: f, list: ls.name, Index: n, values: byIndex[i]}
	}
	return rows
}

// addBlanks makes sure the form offers each list's blank rows for new
// entries after the person's own rows.
func (f *editForm) addBlanks() {
	for _, ls := range f.spec.lists {
		blank := 0
		for _, r := range f.lists[ls.name] {
			if r.blank(ls) {
				blank++
			}
		}
		for ; blank < ls.blanks; blank++ {
			f.addRow(ls.name, map[string]string{})
		}
	}
}

// addRow appends a row to a list.
func (f *editForm) addRow(list string, values map[string]string) *formRow {
	r := &formRow{form: f, list: list, Index: len(f.lists[list]), values: values}
	f.lists[list] = append(f.lists[list], r)
	return r
}

// Rows returns a list's rows in form order.
func (f *editForm) Rows(list string) []*formRow { return f.lists[list] }

// entries returns the rows of a list that hold an entry: not blank and
// not marked for removal.
func (f *editForm) entries(list string) []*formRow {
	ls := f.listSpec(list)
	var out []*formRow
	for _, r := range f.lists[list] {
		if !r.Removed() && !r.blank(ls) {
			out = append(out, r)
		}
	}
	return out
}

// saved records that the rows became the saved list in this order.
func (f *editForm) saved(list string, rows []*formRow) {
	idx := make([]int, len(rows))
	for i, r := range rows {
		idx[i] = r.Index
	}
	f.rowOf[list] = idx
}

func (f *editForm) listSpec(name string) listSpec {
	for _, ls := range f.spec.lists {
		if ls.name == name {
			return ls
		}
	}
	panic("web: no list " + name + " in section " + f.spec.key)
}

// formRow is one entry of a list as its row of inputs holds it.
type formRow struct {
	form   *editForm
	list   string
	Index  int
	values map[string]string
}

// N is the row's number counted from one, as its legend says it.
func (r *formRow) N() int { return r.Index + 1 }

func (r *formRow) get(field string) string { return r.values[field] }

func (r *formRow) name(field string) string {
	if field == "" {
		return fmt.Sprintf("%s[%d]", r.list, r.Index)
	}
	return fmt.Sprintf("%s[%d].%s", r.list, r.Index, field)
}

// Removed reports whether the person ticked the row's remove box.
func (r *formRow) Removed() bool { return r.values["remove"] != "" }

// blank reports whether the row holds nothing to save.
func (r *formRow) blank(ls listSpec) bool {
	for _, c := range ls.content {
		if strings.TrimSpace(r.values[c]) != "" {
			return false
		}
	}
	return true
}

// IsBlank reports whether the row is one offered for a new entry.
func (r *formRow) IsBlank() bool { return r.blank(r.form.listSpec(r.list)) }

// fail records a problem with one of the row's inputs.
func (r *formRow) fail(field, format string, args ...any) {
	r.form.fail(r.name(field), format, args...)
}

// trimmed returns a single-line input without surrounding space.
func (r *formRow) trimmed(field string) string { return strings.TrimSpace(r.values[field]) }

// trimText returns a multi-line input as typed, or "" when it holds only
// space: Markdown may need its indentation and its final line end.
func trimText(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// Get returns the value of one of the row's inputs.
func (r *formRow) Get(field string) string { return r.values[field] }

// Name is the section as a sentence names it: "root-cause analysis".
func (f *editForm) Name() string { return strings.ToLower(f.Section.Title) }

// Heading is the editor page's heading: "Edit timeline".
func (f *editForm) Heading() string { return "Edit " + f.Name() }

// SaveLabel is the text of the form's save button.
func (f *editForm) SaveLabel() string { return "Save " + f.Name() }

// Categories are the incident type categories the category inputs suggest.
func (f *editForm) Categories() []debrief.Category { return debrief.Categories }
