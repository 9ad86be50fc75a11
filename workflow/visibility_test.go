package workflow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

// restrictedDraft is a restricted report written by the contributor that
// names fay as its facilitator, about an incident of its own.
func restrictedDraft(t *testing.T) *debrief.Postmortem {
	t.Helper()
	return &debrief.Postmortem{
		Title:       "Signing key leaked",
		Visibility:  debrief.VisibilityRestricted,
		Facilitator: "fay",
		Incident:    debrief.Incident{ID: "inc-key", Services: []string{"signer"}},
		Summary:     debrief.Summary{ExecutiveSummary: "A signing key was pasted in chat."},
	}
}

func TestHiddenReportsAreNotFound(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := restrictedDraft(t)
	if err := s.Create(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}
	_, missing := s.Get(ctx, viewer, "no-such-report")

	summary := &debrief.Postmortem{Summary: debrief.Summary{ExecutiveSummary: "Overwritten."}}
	calls := []struct {
		name string
		try  func(a debrief.Actor) error
	}{
		{"get", func(a debrief.Actor) error { _, err := s.Get(ctx, a, p.ID); return err }},
		{"revisions", func(a debrief.Actor) error {
			_, err := s.Revisions(ctx, a, p.ID)
			return err
		}},
		{"revision", func(a debrief.Actor) error {
			_, err := s.Revision(ctx, a, p.ID, 1)
			return err
		}},
		{"compare", func(a debrief.Actor) error {
			_, err := s.Compare(ctx, a, p.ID, 1, 1)
			return err
		}},
		{"edit a section", func(a debrief.Actor) error {
			_, err := s.EditSection(ctx, a, p.ID, 1, section(t, "summary"), summary)
			return err
		}},
		{"replace", func(a debrief.Actor) error {
			return s.Replace(ctx, a, &debrief.Postmortem{ID: p.ID, Title: "Mine", Version: 1})
		}},
		{"transition", func(a debrief.Actor) error {
			_, err := s.Transition(ctx, a, p.ID, 1, debrief.StatusInReview)
			return err
		}},
		{"read its incident", func(a debrief.Actor) error {
			_, err := s.Incident(ctx, a, "inc-key")
			return err
		}},
		{"start a report from its incident", func(a debrief.Actor) error {
			_, err := s.CreateFromIncident(ctx, a, "inc-key", "web")
			return err
		}},
		{"replace its incident", func(a debrief.Actor) error {
			_, err := s.ReplaceIncident(ctx, a, &debrief.Incident{ID: "inc-key", Title: "x"}, 0)
			return err
		}},
	}
	for _, stranger := range []debrief.Actor{viewer, colleague} {
		for _, c := range calls {
			err := c.try(stranger)
			if c.name == "replace its incident" && stranger.Role == debrief.AccessViewer {
				// The role is checked before any incident is looked up.
				if debrief.ErrorKind(err) != debrief.KindForbidden {
					t.Errorf("%s by a viewer: %v, want forbidden by role", c.name, err)
				}
				continue
			}
			if debrief.ErrorKind(err) != debrief.KindNotFound {
				t.Errorf("%s by %s: %v, want not found", c.name, stranger.Name, err)
				continue
			}
			// Nothing in the answer tells a hidden report from none at all.
			wantMsg := "report " + p.ID + " not found"
			if c.name == "read its incident" || c.name == "start a report from its incident" ||
				c.name == "replace its incident" {
				wantMsg = "incident inc-key not found"
			}
			if got := debrief.ErrorMessage(err); got != wantMsg {
				t.Errorf("%s by %s: message %q, want %q (as for a missing report: %q)",
					c.name, stranger.Name, got, wantMsg, debrief.ErrorMessage(missing))
			}
		}
	}

	got, err := s.Get(ctx, viewer, p.ID)
	if got != nil || err == nil {
		t.Fatalf("a stranger read the report: %+v", got)
	}
	stored, err := s.Get(ctx, admin, p.ID)
	if err != nil || stored.Version != 1 ||
		stored.Summary.ExecutiveSummary != p.Summary.ExecutiveSummary {
		t.Errorf("after the strangers: %+v, %v; want version 1 unchanged", stored, err)
	}
}

func TestNamedPeopleReadAndEditRestrictedReports(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := restrictedDraft(t)
	if err := s.Create(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}

	fayByDisplayName := debrief.Actor{UserID: 6, Name: "f.fischer", DisplayName: "Fay",
		Role: debrief.AccessViewer}
	for _, a := range []debrief.Actor{admin, facilitator, fayByDisplayName, contributor} {
		if _, err := s.Get(ctx, a, p.ID); err != nil {
			t.Errorf("get by %s: %v", a.Name, err)
		}
		if _, err := s.Revisions(ctx, a, p.ID); err != nil {
			t.Errorf("revisions by %s: %v", a.Name, err)
		}
		if _, err := s.Incident(ctx, a, "inc-key"); err != nil {
			t.Errorf("incident by %s: %v", a.Name, err)
		}
	}

	// The facilitator edits; the contributor who wrote it is not named in
	// it, and is no longer the last to have saved it.
	summary := &debrief.Postmortem{Summary: debrief.Summary{ExecutiveSummary: "Key rotated."}}
	if _, err := s.EditSection(ctx, facilitator, p.ID, 1, section(t, "summary"),
		summary); err != nil {
		t.Fatalf("edit by the facilitator: %v", err)
	}
	if _, err := s.Get(ctx, contributor, p.ID); debrief.ErrorKind(err) != debrief.KindNotFound {
		t.Errorf("get by the author who is not named after another's save: %v, "+
			"want not found", err)
	}
}

func TestListsAndSearchesLeaveHiddenReportsOut(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	hidden := restrictedDraft(t)
	if err := s.Create(ctx, contributor, hidden); err != nil {
		t.Fatal(err)
	}
	open := &debrief.Postmortem{Title: "Signing service slow"}
	if err := s.Create(ctx, contributor, open); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		a    debrief.Actor
		want int
	}{{viewer, 1}, {facilitator, 2}, {admin, 2}} {
		list, total, err := s.List(ctx, tt.a, debrief.PostmortemFilter{})
		if err != nil || total != tt.want || len(list) != tt.want {
			t.Errorf("list as %s: %d of %d, %v; want %d", tt.a.Name, len(list), total, err,
				tt.want)
		}
		res, err := s.Search(ctx, tt.a, debrief.SearchQuery{Text: "signing"})
		if err != nil || res.Total != tt.want || len(res.Hits) != tt.want {
			t.Errorf("search as %s: %+v, %v; want %d hits", tt.a.Name, res, err, tt.want)
		}
		facets, err := s.Facets(ctx, tt.a)
		services := 0
		if err == nil {
			for _, f := range facets.Services {
				services += f.Count
			}
		}
		if wantServices := tt.want - 1; services != wantServices {
			t.Errorf("facets as %s: %d reports by service, %v; want %d", tt.a.Name, services,
				err, wantServices)
		}
		incidents, total, err := s.Incidents(ctx, tt.a, debrief.IncidentFilter{})
		if err != nil || total != tt.want || len(incidents) != tt.want {
			t.Errorf("incidents as %s: %d of %d, %v; want %d", tt.a.Name, len(incidents),
				total, err, tt.want)
		}
	}
}

func TestANewReportCannotTakeAnotherReportsIncident(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	hidden := restrictedDraft(t)
	if err := s.Create(ctx, contributor, hidden); err != nil {
		t.Fatal(err)
	}
	open := &debrief.Postmortem{Title: "Signer slow", Incident: debrief.Incident{ID: "inc-slow"}}
	if err := s.Create(ctx, contributor, open); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct{ incident, want string }{
		{"inc-key", `incident id "inc-key" is taken by another report`},
		{"inc-slow", "incident inc-slow already has report " + open.ID},
	} {
		p := &debrief.Postmortem{Title: "Mine",
			Incident: debrief.Incident{ID: tt.incident, Title: "Overwritten"}}
		err := s.Create(ctx, colleague, p)
		if debrief.ErrorKind(err) != debrief.KindConflict ||
			debrief.ErrorField(err) != "incident.id" ||
			!strings.HasPrefix(debrief.ErrorMessage(err), tt.want) {
			t.Errorf("new report about %s: %v, want a conflict saying %q", tt.incident, err,
				tt.want)
		}
	}
	got, err := s.Get(ctx, admin, hidden.ID)
	if err != nil || got.Incident.Title != hidden.Incident.Title || got.Version != 1 {
		t.Errorf("the hidden report after the attempts: %+v, %v; want it as it was", got, err)
	}
}

func TestWritesWithoutVisibilityKeepItRestricted(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := &debrief.Postmortem{Title: "Payroll leak", Visibility: debrief.VisibilityRestricted,
		Authors: []string{"carl"}}
	if err := s.Create(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}
	whole := &debrief.Postmortem{ID: p.ID, Title: "Payroll data leak", Version: p.Version,
		Authors: []string{"carl"}}
	if err := s.Replace(ctx, contributor, whole); err != nil {
		t.Fatal(err)
	}
	got, err := s.EditSection(ctx, contributor, p.ID, whole.Version, section(t, "header"),
		&debrief.Postmortem{Title: "Payroll leak, again", Authors: []string{"carl"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Visibility != debrief.VisibilityRestricted {
		t.Errorf("after writes that left visibility out it is %q, want restricted", got.Visibility)
	}
	if _, err := s.Get(ctx, viewer, p.ID); !debrief.IsNotFound(err) {
		t.Errorf("a viewer not named reads it: %v", err)
	}
}

func TestInternalOverNoVisibilityIsNoChange(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	p := &debrief.Postmortem{ID: "imported", Title: "Imported", Status: debrief.StatusDraft}
	if err := db.SavePostmortem(ctx, p); err != nil { // as an import stores it
		t.Fatal(err)
	}
	got, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "header"),
		&debrief.Postmortem{Title: "Imported", Visibility: debrief.VisibilityInternal})
	if err != nil || got.Version != p.Version {
		t.Errorf("header saved unchanged: version %d (%v), want %d", got.Version, err, p.Version)
	}
}
