package web

import (
	"strings"

	"github.com/debrief-oss/debrief"
)

// input is one form control as the editor templates draw it (the
// "ed_field" partial): its label, value as typed, and any problem with it.
type input struct {
	// Kind is "text", "area", "select", "check", "hidden" or an input
	// type such as "date", "datetime-local", "number" or "url".
	Kind    string
	Name    string
	Label   string
	Value   string
	Err     string
	Help    string
	Options []option
	// List names a datalist of suggestions for a text input.
	List string
	// Rows is the height of a text area.
	Rows int
	// Wide makes the control take a whole row of the form.
	Wide bool
	// Findings are the blameless checker's findings in the control's text.
	Findings []findingView
}

type option struct {
	Value, Label string
	Selected     bool
}

// inputID is the element id of the input with the name. Brackets and dots
// are allowed in HTML ids, so the id reads like the field path.
func inputID(name string) string { return "f-" + name }

// ID is the control's element id.
func (in input) ID() string { return inputID(in.Name) }

// ErrID is the id of the element holding the control's error message.
func (in input) ErrID() string { return "err-" + in.Name }

// HelpID is the id of the element holding the control's help text.
func (in input) HelpID() string { return "help-" + in.Name }

// DescribedBy lists the ids of the texts that describe the control, for
// aria-describedby.
func (in input) DescribedBy() string {
	var ids []string
	if in.Help != "" {
		ids = append(ids, in.HelpID())
	}
	if in.Err != "" {
		ids = append(ids, in.ErrID())
	}
	if len(in.Findings) > 0 {
		ids = append(ids, in.FindingsID())
	}
	return strings.Join(ids, " ")
}

// Checked reports whether a check box is ticked.
func (in input) Checked() bool { return in.Value != "" }

// WithHelp returns the control with a help text under it.
func (in input) WithHelp(help string) input {
	in.Help = help
	return in
}

// Tall returns a text area of the given height, in lines.
func (in input) Tall(rows int) input {
	in.Rows = rows
	return in
}

// Full returns the control spanning the whole row.
func (in input) Full() input {
	in.Wide = true
	return in
}

// WithList returns a text input that suggests the values of a datalist.
func (in input) WithList(id string) input {
	in.List = id
	return in
}

func (f *editForm) control(kind, name, label, value string) input {
	in := input{Kind: kind, Name: name, Label: label, Value: value, Err: f.errs[name],
		Findings: f.inputFindings(name)}
	if kind == "area" {
		in.Rows, in.Wide = 4, true
	}
	return in
}

// Text is a one-line text input of the form.
func (f *editForm) Text(name, label string) input {
	return f.control("text", name, label, f.get(name))
}

// Area is a multi-line text input of the form.
func (f *editForm) Area(name, label string) input {
	return f.control("area", name, label, f.get(name))
}

// When is a date-and-time input of the form, read in the form's zone.
func (f *editForm) When(name, label string) input {
	return f.control("datetime-local", name, label+" ("+f.Zone+")", f.get(name))
}

// Sel is a choice among the options named by choices.
func (f *editForm) Sel(name, label, choices string) input {
	in := f.control("select", name, label, f.get(name))
	in.Options = choiceOptions(choices, in.Value)
	return in
}

// Hidden is an input the person does not see.
func (f *editForm) Hidden(name string) input { return f.control("hidden", name, "", f.get(name)) }

// Text is a one-line text input of the row.
func (r *formRow) Text(field, label string) input {
	return r.form.control("text", r.name(field), label, r.get(field))
}

// Area is a multi-line text input of the row.
func (r *formRow) Area(field, label string) input {
	return r.form.control("area", r.name(field), label, r.get(field))
}

// Typed is an input of the given HTML type ("date", "url", "number").
func (r *formRow) Typed(kind, field, label string) input {
	return r.form.control(kind, r.name(field), label, r.get(field))
}

// When is a date-and-time input of the row, read in UTC.
func (r *formRow) When(field, label string) input {
	return r.form.control("datetime-local", r.name(field), label, r.get(field))
}

// Sel is a choice among the options named by choices.
func (r *formRow) Sel(field, label, choices string) input {
	in := r.form.control("select", r.name(field), label, r.get(field))
	in.Options = choiceOptions(choices, in.Value)
	return in
}

// Check is a check box of the row.
func (r *formRow) Check(field, label string) input {
	return r.form.control("check", r.name(field), label, r.get(field))
}

// Remove is the row's "remove this entry" box.
func (r *formRow) Remove() input {
	return r.form.control("check", r.name("remove"), "Remove", r.get("remove"))
}

// Hidden is a hidden input of the row.
func (r *formRow) Hidden(field string) input {
	return r.form.control("hidden", r.name(field), "", r.get(field))
}

// Value is the row's only input in a list of plain strings, such as a tag.
func (r *formRow) Value(label string) input {
	return r.form.control("text", r.name(""), label, r.get(""))
}

// choices are the option lists of the editor's select inputs. The first
// option of each is what a new entry starts with.
var choices = map[string][]option{
	"severity": prepend(option{"", "Not set", false}, severityOptions()...),
	"incident_status": {
		{"", "Not set", false}, {"open", "Open", false},
		{"acknowledged", "Acknowledged", false}, {"mitigated", "Mitigated", false},
		{"resolved", "Resolved", false},
	},
	"visibility": {
		{"internal", "Internal", false},
		{"restricted", "Restricted", false},
	},
	"event_kind": prepend(option{"", "Event", false},
		humanized(debrief.EventKinds)...),
	"cause_kind": {
		{"", "Not judged yet", false}, {"causal", "Causal factor", false},
		{"root", "Root cause", false},
	},
	"bone": prepend(option{"", "Not yet categorised", false},
		asIs(debrief.FishboneCategories)...),
	"factor": prepend(option{"", "Not yet categorised", false},
		asIs(debrief.FactorCategories)...),
	"impact_kind": {
		{"", "General", false}, {"business", "Business", false},
		{"customer", "Customer / user", false}, {"operational", "Operational", false},
		{"security", "Security", false},
	},
	"lesson_kind": {
		{"went_well", "What went well", false}, {"went_wrong", "What went wrong", false},
		{"lucky", "Where we got lucky", false}, {"general", "General lesson", false},
	},
	"level": {
		{"", "Not rated", false}, {"low", "Low", false}, {"medium", "Medium", false},
		{"high", "High", false},
	},
	"action_category": prepend(option{"", "Not set", false},
		humanized(debrief.ActionCategories)...),
	"purpose": {
		{"", "Not set", false}, {"prevention", "Prevention", false},
		{"mitigation", "Mitigation", false},
	},
	"team_role": prepend(option{"", "No role named", false}, humanized([]debrief.Role{
		debrief.RoleIncidentCommander, debrief.RoleServiceOwner, debrief.RoleSubjectExpert,
		debrief.RoleTeamLead, debrief.RoleDeveloper, debrief.RoleCustomerSupport,
		debrief.RoleFacilitator, debrief.RoleAttendee,
	})...),
}

// choiceOptions returns the named options with value selected. A value
// that is not among them, such as a custom category an import brought,
// is offered too, so that saving the form does not silently change it.
func choiceOptions(name, value string) []option {
	base := choices[name]
	out := make([]option, 0, len(base)+1)
	found := false
	for _, o := range base {
		o.Selected = o.Value == value
		found = found || o.Selected
		out = append(out, o)
	}
	if !found && value != "" {
		out = append(out, option{Value: value, Label: value, Selected: true})
	}
	return out
}

func prepend(first option, rest ...option) []option { return append([]option{first}, rest...) }

func humanized[T ~string](values []T) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: string(v), Label: humanize(v)}
	}
	return out
}

func asIs[T ~string](values []T) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: string(v), Label: string(v)}
	}
	return out
}

func severityOptions() []option { return asIs(debrief.DefaultSeverities) }
