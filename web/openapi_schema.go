package web

import (
	"reflect"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
	"github.com/debrief-oss/debrief/timeline"
	"github.com/debrief-oss/debrief/workflow"
)

// The component schemas of the OpenAPI document are written from the Go
// types the API encodes and decodes, by their json tags: a field added to
// a type is documented the moment it is served. What reflection cannot
// see (which values an enumeration has, what a type means) is in the
// tables below.

// component is a named schema and the Go type it is written from.
type component struct {
	name string
	typ  reflect.Type
	// writable types are also request bodies, which may leave any field
	// out; the fields of the others are required where they are always
	// encoded (no omitempty).
	writable    bool
	description string
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// components lists the named schemas. A struct type listed here is
// referred to by name wherever it appears; others are written inline.
var components = []component{
	{"Postmortem", typeOf[debrief.Postmortem](), true,
		"A blameless postmortem report: every part of the template as data."},
	{"Incident", typeOf[debrief.Incident](), true,
		"Something that went wrong in production. Zero times are omitted."},
	{"Summary", typeOf[debrief.Summary](), true, "The part of the report read first."},
	{"TimelineEvent", typeOf[debrief.TimelineEvent](), true,
		"One entry of the chronology: the parsed UTC time beside the time as written."},
	{"Analysis", typeOf[debrief.Analysis](), true,
		"Root-cause analysis: why-chains, fishbone causes and narrative."},
	{"Why", typeOf[debrief.Why](), true,
		"One node of a why-chain; parent_id 0 starts a chain."},
	{"Cause", typeOf[debrief.Cause](), true, "One cause on the fishbone."},
	{"ContributingFactor", typeOf[debrief.ContributingFactor](), true,
		"A condition that made the incident possible or worse."},
	{"Impact", typeOf[debrief.Impact](), true, "What the incident cost in one area."},
	{"Lesson", typeOf[debrief.Lesson](), true, "One lesson learned."},
	{"ActionItem", typeOf[debrief.ActionItem](), true,
		"A change the postmortem commits to; number is stable within its report."},
	{"TeamMember", typeOf[debrief.TeamMember](), true, "Someone who took part, in a role."},
	{"Meeting", typeOf[debrief.Meeting](), true, "The postmortem meeting."},
	{"Link", typeOf[debrief.Link](), true, "An http, https or mailto address."},
	{"FreeSection", typeOf[debrief.Section](), true,
		"Text under a heading the template does not name."},
	{"Source", typeOf[debrief.Source](), true, "Where an imported report came from."},

	{"CreateFromIncident", typeOf[createFromIncident](), true,
		"Starts a draft report from a recorded incident."},
	{"Transition", typeOf[transitionRequest](), true, "The state to move the report to."},
	{"NewUser", typeOf[newUserRequest](), true, "A person to add."},
	{"UserPatch", typeOf[userPatch](), true, "Changes to a person's account."},
	{"NewToken", typeOf[newTokenRequest](), true, "An API token to make."},

	{"PostmortemSummary", typeOf[debrief.PostmortemSummary](), false,
		"What a list shows of a report."},
	{"PostmortemList", typeOf[listEnvelope[debrief.PostmortemSummary]](), false,
		"One page of reports."},
	{"SearchHit", typeOf[apiSearchHit](), false, "One matching report."},
	{"SearchResults", typeOf[listEnvelope[apiSearchHit]](), false,
		"One page of search results, best first."},
	{"IncidentSummary", typeOf[debrief.IncidentSummary](), false,
		"An incident and the report about it, if any."},
	{"IncidentList", typeOf[listEnvelope[debrief.IncidentSummary]](), false,
		"One page of incidents, newest start first."},
	{"Revision", typeOf[debrief.Revision](), false, "One saved version of a report."},
	{"RevisionList", typeOf[itemList[debrief.Revision]](), false, "Revisions, newest first."},
	{"SectionDiff", typeOf[workflow.SectionDiff](), false,
		"How one section changed between two versions."},
	{"DiffLine", typeOf[workflow.DiffLine](), false,
		"One line of a section's text; skip stands for unchanged lines left out."},
	{"Diff", typeOf[diffResponse](), false, "The differences between two versions."},
	{"ActionItemList", typeOf[itemList[debrief.ActionItem]](), false,
		"A report's action items in order."},
	{"ImportResult", typeOf[importResult](), false, "What an import did with the document."},
	{"ImportWarning", typeOf[importWarning](), false,
		"Something the parser could not take at face value; line 0 is the whole file."},
	{"User", typeOf[debrief.User](), false, "A person who may sign in or use tokens."},
	{"UserList", typeOf[itemList[debrief.User]](), false, "People, by name."},
	{"Me", typeOf[meResponse](), false, "The person asking."},
	{"Token", typeOf[debrief.Token](), false, "An API token, without its secret."},
	{"TokenList", typeOf[itemList[debrief.Token]](), false, "Tokens, oldest first."},
	{"CreatedToken", typeOf[createdToken](), false,
		"A new token and its secret, which is shown only this once."},
	{"NewPolicyRequest", typeOf[newPolicyRequest](), true,
		"A waiver or a learning request, with its reason."},
	{"TimelineImportRequest", typeOf[timelineImportRequest](), true,
		"Where to read timeline events from."},
	{"TimelineImportResult", typeOf[timelineImportResult](), false,
		"The events read and what adding them did."},
	{"TimelineProblem", typeOf[timeline.Problem](), false,
		"A line of pasted text that gave no usable time."},
	{"IncidentEvent", typeOf[debrief.IncidentEvent](), false,
		"An entry of an incident's timeline as its alerts wrote it."},
	{"IncidentEventList", typeOf[itemList[debrief.IncidentEvent]](), false,
		"An incident's alert events, oldest first."},
	{"Alert", typeOf[debrief.Alert](), false, "One alert's latest state and span."},
	{"AlertList", typeOf[itemList[debrief.Alert]](), false, "An incident's alerts."},
	{"Decision", typeOf[debrief.Decision](), false,
		"The trigger policy's verdict, with the rule and facts that made it."},
	{"DecisionList", typeOf[itemList[debrief.Decision]](), false, "Decisions, newest first."},
	{"PolicyRequest", typeOf[debrief.PolicyRequest](), false,
		"A waiver or a learning request."},
	{"PolicyRequestList", typeOf[itemList[debrief.PolicyRequest]](), false,
		"Requests, oldest first."},
	{"PolicyAnswer", typeOf[policyAnswer](), false,
		"A request as stored and the decision it led to."},
	{"Deadline", typeOf[debrief.Deadline](), false, "When a step is due and when it was done."},
	{"DeadlineList", typeOf[itemList[debrief.Deadline]](), false,
		"A report's deadlines in the order they fall."},
	{"OverdueDeadline", typeOf[debrief.OverdueDeadline](), false,
		"A step not done by its due time, with its report."},
	{"OverdueList", typeOf[listEnvelope[debrief.OverdueDeadline]](), false,
		"One page of overdue steps."},
	{"Payload", typeOf[debrief.Payload](), false, "A received webhook body, without the body."},
	{"PayloadList", typeOf[listEnvelope[debrief.Payload]](), false, "One page of payloads."},
	{"PayloadWithBody", typeOf[payloadView](), false,
		"A received webhook payload with its body as text."},
	{"IncidentChange", typeOf[debrief.IncidentChange](), false,
		"What a payload did to one incident."},
	{"Receipt", typeOf[workflow.Receipt](), false, "What happened to a received payload."},
	{"LintRequest", typeOf[lintRequest](), true, "Text, or a report, to check."},
	{"LintResult", typeOf[lintResult](), false, "What the checker found, in order of place."},
	{"LintFinding", typeOf[lint.Finding](), false,
		"One finding: rule, severity, place and a suggested rewrite."},
	{"StoredPostmortem", typeOf[storedReport](), false,
		"A report as stored, with the overrides recorded when it was finalised over " +
			"the blameless checker's errors, oldest first."},
	{"LintOverride", typeOf[debrief.LintOverride](), false,
		"A facilitator's recorded decision to move a report over the checker's errors."},
	{"Findings", typeOf[findingsResult](), false,
		"What the checker finds in a stored report, in order of place, and the counts."},
	{"FindingCounts", typeOf[findingCounts](), false,
		"Findings by severity and by kind: blame, personal identifiers, completeness."},
	{"ActionList", typeOf[apiActionList](), false,
		"One page of action items, ranked as work is taken."},
	{"ActionListItem", typeOf[apiActionRow](), false,
		"An action item with its report's summary and what the list computes for it."},
	{"ActionView", typeOf[apiActionView](), false,
		"An action item with its report's summary, history and the moves allowed now."},
	{"ActionEvent", typeOf[debrief.ActionEvent](), false,
		"One entry of an action item's history: who did what, when."},
	{"ActionMove", typeOf[debrief.ActionMove](), true,
		"A move of an action item: the status to go to, why, and to verify the closure."},
	{"Error", typeOf[apiErrorBody](), false, "Every error the API answers."},
	{"ErrorDetail", typeOf[apiErrorDetail](), false,
		"What went wrong; field is the input at fault as a JSON path, when one is."},
}

// enums are the values of the enumerated string types, as Validate and the
// stores accept them ("" where the field may be left empty).
var enums = map[reflect.Type][]string{
	typeOf[debrief.Status]():           withEmpty(false, debrief.Statuses),
	typeOf[debrief.Visibility]():       {"", "internal", "restricted"},
	typeOf[debrief.IncidentStatus]():   append([]string{""}, incidentStatusEnum()...),
	typeOf[debrief.EventKind]():        withEmpty(true, debrief.EventKinds),
	typeOf[debrief.CauseKind]():        {"", "causal", "root"},
	typeOf[debrief.FishboneCategory](): withEmpty(true, debrief.FishboneCategories),
	typeOf[debrief.ImpactKind]():       withEmpty(true, debrief.ImpactKinds),
	typeOf[debrief.LessonKind]():       withEmpty(false, debrief.LessonKinds),
	typeOf[debrief.Level]():            {"", "low", "medium", "high"},
	typeOf[debrief.Purpose]():          {"", "prevention", "mitigation"},
	typeOf[debrief.ActionStatus]():     withEmpty(true, debrief.ActionStatuses),
	typeOf[debrief.ActionEventKind]():  withEmpty(false, actionEventKinds),
	typeOf[debrief.AccessRole]():       withEmpty(false, debrief.AccessRoles),
	typeOf[workflow.DiffOp]():          {"same", "added", "removed", "skip"},
	typeOf[debrief.AlertSource]():      withEmpty(false, debrief.AlertSources),
	typeOf[debrief.AlertStatus]():      {"", "firing", "acknowledged", "resolved"},
	typeOf[debrief.PayloadStatus]():    {"received", "processed", "failed"},
	typeOf[debrief.Outcome]():          {"required", "not_required", "waived", "requested"},
	typeOf[debrief.RequestKind]():      {"waiver", "learning"},
	typeOf[debrief.DeadlineKind]():     withEmpty(false, debrief.DeadlineKinds),
	typeOf[lint.Severity]():            {"error", "warning", "info"},
}

// fieldEnums are enumerations of plain string fields, by type and field.
var fieldEnums = map[string][]string{
	"TimelineEvent.flag": {"", debrief.FlagOutOfOrder, debrief.FlagImpossible,
		debrief.FlagUnparsed, debrief.FlagApproximate},
	"ImportResult.outcome": {"created", "updated", "unchanged"},
	"NewToken.role":        withEmpty(true, debrief.AccessRoles),
}

// fieldNotes describe fields whose meaning the name does not carry.
var fieldNotes = map[string]string{
	"Postmortem.version": "Increases by one with every saved change; the ETag.",
	"Postmortem.status":  "Changes only through POST …/transitions.",
	"ActionItem.due":     "A calendar date, 2006-01-02.",
	"Impact.money":       "A decimal string, so no rounding creeps in: \"12500.00\".",
	"TimelineEvent.time": "The parsed moment in UTC; absent when time_text did not parse.",
	"SearchHit.snippet":  "Plain text around the matches, without markup.",
	"SearchHit.highlights": "Where the matched terms are in snippet, in order: " +
		"[start, end) byte offsets into its UTF-8 text.",
	"Me.request_role": "What this request may do: for a token, the lower of the " +
		"token's and the person's role.",
	"LintOverride.version": "The version of the report the move saved.",
	"LintOverride.by":      "The login name of the facilitator or admin who decided.",
	"LintOverride.rules":   "The rule ids of the errors overridden, sorted, each once.",
	"LintOverride.errors":  "How many findings of severity error were overridden.",
	"Transition.override_reason": "A facilitator's reason to finalise the report over " +
		"the blameless checker's errors; recorded when it overrides any.",
}

func withEmpty[T ~string](empty bool, values []T) []string {
	var out []string
	if empty {
		out = append(out, "")
	}
	for _, v := range values {
		out = append(out, string(v))
	}
	return out
}

// sectionSchemaName names the schema of a report section: "timeline" is
// SectionTimeline.
func sectionSchemaName(key string) string {
	var b strings.Builder
	b.WriteString("Section")
	for _, part := range strings.Split(key, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// componentSchemas writes every named schema, the report's sections too.
func componentSchemas() map[string]any {
	g := schemaWriter{names: map[reflect.Type]string{}}
	for _, c := range components {
		g.names[c.typ] = c.name
	}
	out := map[string]any{}
	for _, c := range components {
		s := g.object(c.typ, c.name, !c.writable)
		s["description"] = c.description
		out[c.name] = s
	}
	for _, sec := range workflow.Sections {
		name := sectionSchemaName(sec.Key)
		t := reflect.TypeOf(sec.Value(&debrief.Postmortem{})).Elem()
		s := g.object(t, name, true)
		s["description"] = "The " + sec.Title + " section of a report."
		out[name] = s
	}
	return out
}

// schemaWriter writes JSON schemas of Go types.
type schemaWriter struct {
	names map[reflect.Type]string
}

var timeType = typeOf[time.Time]()

// of returns the schema of t: a reference for a named component.
func (g schemaWriter) of(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if name, ok := g.names[t]; ok {
		return refTo(name)
	}
	if values, ok := enums[t]; ok {
		return map[string]any{"type": "string", "enum": values}
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Struct:
		return g.object(t, "", false)
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
	}
	return map[string]any{"type": jsonType(t.Kind())}
}

func jsonType(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return "string"
}

// object writes a struct as a closed object: the API refuses fields it
// does not know, and never sends any. With requireAll, fields always
// encoded are required.
func (g schemaWriter) object(t reflect.Type, name string, requireAll bool) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, name, props, &required, requireAll)
	out := map[string]any{
		"type": "object", "properties": props, "additionalProperties": false,
	}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func (g schemaWriter) fields(
	t reflect.Type,
	name string,
	props map[string]any,
	required *[]string,
	requireAll bool,
) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		if f.Anonymous && !hasTag {
			// Embedded structs (IncidentSummary's Incident) are flattened
			// into the outer object by encoding/json.
			g.fields(f.Type, name, props, required, requireAll)
			continue
		}
		key, opts, _ := strings.Cut(tag, ",")
		if !f.IsExported() || key == "-" {
			continue
		}
		if key == "" {
			key = f.Name
		}
		s := g.of(f.Type)
		if values, ok := fieldEnums[name+"."+key]; ok {
			s = map[string]any{"type": "string", "enum": values}
		}
		if note, ok := fieldNotes[name+"."+key]; ok {
			s = withDescription(s, note)
		}
		props[key] = s
		optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		if requireAll && !optional {
			*required = append(*required, key)
		}
	}
}

// withDescription adds a description; beside a $ref it must wrap it.
func withDescription(s map[string]any, desc string) map[string]any {
	if _, isRef := s["$ref"]; isRef {
		return map[string]any{"allOf": []any{s}, "description": desc}
	}
	out := make(map[string]any, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	out["description"] = desc
	return out
}
