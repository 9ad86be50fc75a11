package workflow

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
)

// The blameless checker as the workflow runs it: on a stored report, with
// the server's roster (debrief's users and a configured roster beside the
// report's own team) and its config, and as the gate of a move to final,
// which errors refuse unless a facilitator records an override.

// checkSettings are the server's adjustments to the checker.
type checkSettings struct {
	config *lint.Config
	people []lint.Person
}

// WithLintConfig sets the checker's config: rules switched off or
// regraded (a rule graded error then blocks final like any error), and
// words allowed. Nil keeps the checker's own grades.
func WithLintConfig(c *lint.Config) Option {
	return func(s *Service) { s.checks.config = c }
}

// WithRoster adds people the checker knows by name besides debrief's users
// and each report's team, such as a configured roster of the organisation.
// A person's Role is what the checker suggests where the report's team does
// not give them one.
func WithRoster(people []lint.Person) Option {
	return func(s *Service) { s.checks.people = append(s.checks.people, people...) }
}

// TransitionOption adds to a lifecycle move what only some moves need.
type TransitionOption func(*transitionOptions)

type transitionOptions struct {
	overrideReason string
}

// OverrideErrors lets a facilitator move a report to final although the
// checker finds errors in it, for the reason given, which is recorded with
// who gave it, when, and what it overrode. A move the checker finds no
// error in records nothing; only facilitators and admins may override.
func OverrideErrors(reason string) TransitionOption {
	return func(o *transitionOptions) { o.overrideReason = strings.TrimSpace(reason) }
}

// Findings returns what the checker finds in a report the actor may read.
func (s *Service) Findings(
	ctx context.Context,
	a debrief.Actor,
	id string,
) ([]lint.Finding, error) {
	p, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.Check(ctx, p)
}

// LintOverrides lists the overrides recorded on a report the actor may
// read, oldest first.
func (s *Service) LintOverrides(
	ctx context.Context,
	a debrief.Actor,
	id string,
) ([]debrief.LintOverride, error) {
	if _, err := s.visible(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.LintOverrides(ctx, id)
}

// Check runs the checker over every text of a report the caller has read
// through the Service: blaming language and personal identifiers, each
// finding under its field's path with its span in that field's text, then
// what the report lacks for its status. The server's config applies, and
// inline markers in a field accept findings in it.
func (s *Service) Check(ctx context.Context, p *debrief.Postmortem) ([]lint.Finding, error) {
	return s.check(ctx, p, true)
}

// check is Check, with the text's accept markers heeded or not: the gate
// to final does not heed them, since a marker is anyone's word in the text
// while finalising over an error is a facilitator's recorded decision.
func (s *Service) check(
	ctx context.Context,
	p *debrief.Postmortem,
	markers bool,
) ([]lint.Finding, error) {
	roster, err := s.roster(ctx, p)
	if err != nil {
		return nil, err
	}
	found := append(lint.New(roster).Report(p), lint.Completeness(p)...)
	out := make([]lint.Finding, 0, len(found))
	for start := 0; start < len(found); {
		end := start + 1
		for end < len(found) && found[end].Section == found[start].Section {
			end++
		}
		section := found[start].Section
		text, _ := FieldText(p, section)
		group := s.checks.config.Apply(found[start:end], text)
		if markers {
			group = lint.Accept(group, text)
		}
		for i := range group {
			group[i].Section = section // a marker's own finding says "document"
		}
		out = append(out, group...)
		start = end
	}
	return out, nil
}

// CheckText checks text from one section of a report, as a person types
// it, with the server's roster and config. Capitalised words the text
// itself shows are things, not people, are taken as systems.
func (s *Service) CheckText(ctx context.Context, section, text string) ([]lint.Finding, error) {
	roster, err := s.roster(ctx, &debrief.Postmortem{})
	if err != nil {
		return nil, err
	}
	roster.Systems = append(roster.Systems, lint.DocumentSystems(text)...)
	found := lint.New(roster).Text(section, text)
	return lint.Accept(s.checks.config.Apply(found, text), text), nil
}

// userLister is the part of a store that lists debrief's users; the
// workflow's store has it when it also keeps accounts, as sqlstore does.
type userLister interface {
	Users(ctx context.Context) ([]debrief.User, error)
}

// roster is the report's own roster (its team in their roles, its
// facilitator, its services as systems) with debrief's users and the
// configured people, each in their role in this report when its team
// names them.
func (s *Service) roster(ctx context.Context, p *debrief.Postmortem) (lint.Roster, error) {
	r := lint.ReportRoster(p)
	// Names the config allows are things the team named, not people.
	r.Systems = append(r.Systems, s.checks.config.AllowedNames()...)
	for _, person := range s.checks.people {
		role := reportRole(p, person.Name)
		if role == "" {
			role = person.Role
		}
		r.People = append(r.People, lint.Person{Name: person.Name, Role: role})
	}
	users, ok := s.store.(userLister)
	if !ok {
		return r, nil
	}
	list, err := users.Users(ctx)
	if err != nil {
		return r, fmt.Errorf("roster: %w", err)
	}
	for _, u := range list {
		role := reportRole(p, u.Name, u.DisplayName)
		for _, name := range userNames(u) {
			r.People = append(r.People, lint.Person{Name: name, Role: role})
		}
	}
	return r, nil
}

// userNames are the names a report may give a user by: the display name,
// and the login when it cannot be an ordinary word. A login of lower-case
// letters only ("admin", "deploy", "priya") is left out: as a roster entry
// it would mark that word wherever prose uses it, and its person is found
// by their display name.
func userNames(u debrief.User) []string {
	var names []string
	if d := strings.TrimSpace(u.DisplayName); d != "" {
		names = append(names, d)
	}
	plain := strings.IndexFunc(u.Name, func(r rune) bool { return !unicode.IsLower(r) }) < 0
	if !plain && !strings.EqualFold(u.Name, u.DisplayName) {
		names = append(names, u.Name)
	}
	return names
}

// reportRole is the role the report's team gives the person known by any
// of names ("incident commander"), "facilitator" for its facilitator, or
// "" when the report does not name them.
func reportRole(p *debrief.Postmortem, names ...string) string {
	is := func(n string) bool {
		n = strings.TrimSpace(n)
		for _, own := range names {
			if own = strings.TrimSpace(own); own != "" && strings.EqualFold(n, own) {
				return true
			}
		}
		return false
	}
	for _, m := range p.Team {
		if is(m.Name) && m.Role != "" {
			return m.Role.Words()
		}
	}
	if is(p.Facilitator) {
		return "facilitator"
	}
	return ""
}

// overrideFor decides whether a move may go ahead over the checker's
// errors. Only a move to final is gated: the report is checked as it would
// be once final. Without errors the move goes ahead and nothing is
// recorded; with them it is refused, naming them, unless the options carry
// an override's reason, which is then returned to be saved with the move.
func (s *Service) overrideFor(
	ctx context.Context,
	a debrief.Actor,
	cur *debrief.Postmortem,
	to debrief.Status,
	o transitionOptions,
) (*debrief.LintOverride, error) {
	if to != debrief.StatusFinal {
		return nil, nil
	}
	next := *cur
	next.Status = to
	found, err := s.check(ctx, &next, false)
	if err != nil {
		return nil, err
	}
	errs := slices.DeleteFunc(found, func(f lint.Finding) bool { return f.Severity != lint.Error })
	if len(errs) == 0 {
		return nil, nil
	}
	if o.overrideReason == "" {
		return nil, checkerRefusal(errs)
	}
	if err := debrief.CheckOverrideReason(o.overrideReason); err != nil {
		return nil, err
	}
	rules := make([]string, len(errs))
	for i, f := range errs {
		rules[i] = f.Rule
	}
	slices.Sort(rules)
	return &debrief.LintOverride{From: cur.Status, To: to, By: a.Name,
		Reason: o.overrideReason, Rules: slices.Compact(rules), Errors: len(errs)}, nil
}

// checkOverrider refuses an override from anyone below a facilitator,
// whatever the move: deciding that errors may stand is the facilitator's.
func checkOverrider(a debrief.Actor, o transitionOptions) error {
	if o.overrideReason != "" && !a.Can(debrief.AccessFacilitator) {
		return debrief.Errorf(debrief.KindForbidden,
			"overriding the checker's errors needs the facilitator role")
	}
	return nil
}

// refusalListed is how many of the errors a refusal names one by one.
const refusalListed = 5

// CheckerErrorsField is the field a refusal for the checker's errors names:
// sending an override's reason there is what a facilitator may do about it.
const CheckerErrorsField = "override_reason"

// checkerRefusal says why a move to final was refused: the errors, the
// first few by place and message.
func checkerRefusal(errs []lint.Finding) error {
	items := make([]string, 0, refusalListed+1)
	for i, f := range errs {
		if i == refusalListed {
			items = append(items, fmt.Sprintf("and %d more", len(errs)-refusalListed))
			break
		}
		items = append(items, FindingPlace(f)+": "+f.Message)
	}
	noun := "errors"
	if len(errs) == 1 {
		noun = "error"
	}
	return debrief.FieldErrorf(CheckerErrorsField, "the blameless checker finds %d %s "+
		"(%s); fix them, or a facilitator may finalise the report with an override "+
		"and its reason", len(errs), noun, strings.Join(items, "; "))
}

// FindingPlace names where a finding is: its field's path, with the line
// and column in that field's text when it has them.
func FindingPlace(f lint.Finding) string {
	if f.Line == 0 {
		return f.Section
	}
	return fmt.Sprintf("%s, line %d, column %d", f.Section, f.Line, f.Column)
}

// FieldText returns the text at a field path of the report in its JSON
// shape ("summary.narrative", "timeline[3].text"), as the checker's
// findings name their fields, and whether the path names a text there.
func FieldText(p *debrief.Postmortem, path string) (string, bool) {
	v := reflect.ValueOf(p).Elem()
	for part := range strings.SplitSeq(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if v.Kind() != reflect.Struct {
			return "", false
		}
		if v = jsonField(v, name); !v.IsValid() {
			return "", false
		}
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			if !ok || err != nil || v.Kind() != reflect.Slice || i < 0 || i >= v.Len() {
				return "", false
			}
			v = v.Index(i)
			rest = strings.TrimPrefix(after, "[")
		}
	}
	if v.Kind() != reflect.String {
		return "", false
	}
	return v.String(), true
}

// jsonField returns the field of struct v whose JSON name is name.
func jsonField(v reflect.Value, name string) reflect.Value {
	t := v.Type()
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if tag == name && t.Field(i).IsExported() {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}
