package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/html"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// TestEditorEverySection edits each section through its form, as a
// browser submits it, and reads the stored report back.
func TestEditorEverySection(t *testing.T) {
	tests := []struct {
		key  string
		set  map[string]string
		want func(p *debrief.Postmortem)
	}{
		{"header", map[string]string{
			"title":               "Checkout outage: pool setting",
			"incident.severity":   "P2",
			"incident.services":   "checkout, payments-api,  ledger ",
			"incident.started_at": "2024-03-07T15:01", // Europe/Copenhagen, UTC+1
			"authors[0].remove":   "1",
			"authors[2]":          "Jo Park",
		}, func(p *debrief.Postmortem) {
			p.Title = "Checkout outage: pool setting"
			p.Incident.Severity = "P2"
			p.Incident.Services = []string{"checkout", "payments-api", "ledger"}
			p.Incident.StartedAt = at("2024-03-07 14:01")
			p.Authors = []string{"Kofi Mensah", "Jo Park"}
		}},
		{"summary", map[string]string{
			"summary.executive_summary": "Checkout failed for 64 minutes.\r\n\r\nIt is fixed.",
			"summary.category":          "Capacity",
		}, func(p *debrief.Postmortem) {
			p.Summary.ExecutiveSummary = "Checkout failed for 64 minutes.\n\nIt is fixed."
			p.Summary.Category = "Capacity"
		}},
		{"timeline", map[string]string{
			"timeline[1].text":      "Error-rate alert fires on checkout",
			"timeline[2].remove":    "1",
			"timeline[5].time_text": "15:50 CET",
			"timeline[7].time_text": "15:30",
			"timeline[7].text":      "Rollback started",
			"timeline[7].kind":      "mitigation",
			"timeline[8].utc":       "2024-03-07T14:20",
			"timeline[8].text":      "Incident channel opened",
		}, func(p *debrief.Postmortem) {
			tl := p.Timeline
			tl[1].Text = "Error-rate alert fires on checkout"
			tl[3].Flag = "" // sorted now
			tl[5].TimeText, tl[5].Time = "15:50 CET", at("2024-03-07 14:50")
			p.Timeline = []debrief.TimelineEvent{
				tl[0], tl[1], tl[3], tl[4],
				{Time: at("2024-03-07 14:20"), Text: "Incident channel opened"},
				{Time: at("2024-03-07 14:30"), TimeText: "15:30", Text: "Rollback started",
					Kind: debrief.EventMitigation},
				tl[5], tl[6],
			}
		}},
		{"analysis", map[string]string{
			"analysis.root_cause":         "No range checks on pool settings.",
			"analysis.whys[2].kind":       "causal",
			"analysis.whys[3].parent_id":  "3",
			"analysis.whys[3].question":   "Why are config values not range-checked?",
			"analysis.whys[3].answer":     "The schema has no ranges",
			"analysis.whys[3].kind":       "root",
			"analysis.whys[4].parent_id":  "1",
			"analysis.whys[4].answer":     "Retries piled up",
			"analysis.causes[0].remove":   "1",
			"analysis.causes[3].category": "People",
			"analysis.causes[3].text":     "On-call new to payments",
			"analysis.causes[3].kind":     "causal",
		}, func(p *debrief.Postmortem) {
			a := &p.Analysis
			a.RootCause = "No range checks on pool settings."
			a.Whys[2].Kind = debrief.CauseCausal
			a.Whys = append(a.Whys,
				debrief.Why{ID: 4, ParentID: 3, Question: "Why are config values not range-checked?",
					Answer: "The schema has no ranges", Kind: debrief.CauseRoot},
				debrief.Why{ID: 5, ParentID: 1, Answer: "Retries piled up"})
			a.Causes = append(a.Causes[1:], debrief.Cause{Category: debrief.BonePeople,
				Text: "On-call new to payments", Kind: debrief.CauseCausal})
		}},
		{"contributing_factors", map[string]string{
			"contributing_factors[0].remove":          "1",
			"contributing_factors[2].category":        "Capacity & Performance",
			"contributing_factors[2].description":     "Pool sized for average load",
			"contributing_factors[2].how_contributed": "Saturated at peak",
		}, func(p *debrief.Postmortem) {
			p.ContributingFactors = append(p.ContributingFactors[1:], debrief.ContributingFactor{
				Category: debrief.FactorCapacity, Description: "Pool sized for average load",
				HowContributed: "Saturated at peak"})
		}},
		{"impacts", map[string]string{
			"impacts[0].minutes_down":        "65",
			"impacts[0].users_affected":      "",
			"impacts[1].money":               "182,500.50",
			"impacts[2].kind":                "operational",
			"impacts[2].description":         "On-call paged twice",
			"impacts[2].failed_transactions": "1,200",
		}, func(p *debrief.Postmortem) {
			p.Impacts[0].MinutesDown = ptr(65.0)
			p.Impacts[0].UsersAffected = nil
			p.Impacts[1].Money = "182500.50"
			p.Impacts = append(p.Impacts, debrief.Impact{Kind: debrief.ImpactOperational,
				Description: "On-call paged twice", FailedTransactions: ptr(int64(1200))})
		}},
		{"lessons", map[string]string{
			"lessons[4].kind": "went_wrong",
			"lessons[4].text": "The runbook was stale",
		}, func(p *debrief.Postmortem) {
			p.Lessons = append(p.Lessons, debrief.Lesson{Kind: debrief.LessonWentWrong,
				Text: "The runbook was stale"})
		}},
		{"action_items", map[string]string{
			"action_items[0].remove":        "1",
			"action_items[1].owner":         "Payments",
			"action_items[1].owner_is_team": "1",
			"action_items[1].due":           "2024-05-01",
			"action_items[2].description":   "Add a pool-size dashboard",
			"action_items[2].owner":         "Ana Lima",
			"action_items[2].due":           "2024-04-15",
			"action_items[2].impact":        "high",
			"action_items[2].tracker_url":   "https://tracker.example/PLAT-90",
		}, func(p *debrief.Postmortem) {
			two := p.ActionItems[1]
			two.Owner, two.OwnerIsTeam, two.Due = "Payments", true, "2024-05-01"
			p.ActionItems = []debrief.ActionItem{two, {
				Number: 3, Description: "Add a pool-size dashboard", Owner: "Ana Lima",
				Due: "2024-04-15", Impact: debrief.LevelHigh, Status: debrief.ActionOpen,
				TrackerURL: "https://tracker.example/PLAT-90",
			}}
		}},
		{"team", map[string]string{
			"team[2].name":                "Jo Park",
			"team[2].role":                "facilitator",
			"meeting.date":                "2024-03-11T11:00",
			"meeting.notes":               "Agreed on range checks.",
			"meeting.attendees[0].remove": "1",
			"meeting.attendees[3]":        "Lea Roy",
		}, func(p *debrief.Postmortem) {
			p.Team = append(p.Team, debrief.TeamMember{Name: "Jo Park",
				Role: debrief.RoleFacilitator})
			p.Meeting.Date = at("2024-03-11 10:00")
			p.Meeting.Notes = "Agreed on range checks."
			p.Meeting.Attendees = []string{"Kofi Mensah", "Jo Park", "Lea Roy"}
		}},
		{"links", map[string]string{
			"links[0].remove": "1",
			"links[2].title":  "Pool dashboard",
			"links[2].url":    "https://grafana.example/d/pool",
			"tags[2]":         "capacity",
			"tags[3]":         "config", // already there: not doubled
		}, func(p *debrief.Postmortem) {
			p.Links = []debrief.Link{p.Links[1],
				{Title: "Pool dashboard", URL: "https://grafana.example/d/pool"}}
			p.Tags = []string{"config", "payments", "capacity"}
		}},
		{"sections", map[string]string{
			"sections[1].heading": "Appendix: logs",
			"sections[1].body":    "Line one\r\nLine two",
			"fields[0].remove":    "1", // Customer tier; fields are listed by name
			"fields[1].value":     "eu-west-2",
			"fields[2].name":      "Cost centre",
			"fields[2].value":     "CC-12",
		}, func(p *debrief.Postmortem) {
			p.Sections = append(p.Sections, debrief.Section{Heading: "Appendix: logs",
				Body: "Line one\nLine two"})
			p.Fields = map[string]string{"Region": "eu-west-2", "Cost centre": "CC-12"}
		}},
	}
	if len(tests) != len(workflow.Sections) {
		t.Errorf("%d sections tested, want every one of %d", len(tests), len(workflow.Sections))
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			ts, store := editorServer(t, draftReport())
			b := signIn(t, ts, store, debrief.AccessContributor)

			res, body := b.editSection("pm-2024-031", tt.key, tt.set)
			assertSaved(t, res, body, "pm-2024-031", tt.key)

			got := stored(t, store, "pm-2024-031")
			want := draftReport()
			tt.want(want)
			sec, _ := workflow.SectionByKey(tt.key)
			if diff := cmp.Diff(sec.Value(want), sec.Value(got), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("stored %s (-want +got):\n%s", tt.key, diff)
			}
			if got.Version != 4 || got.UpdatedBy != b.user.Name {
				t.Errorf("saved as version %d by %q, want 4 by %q", got.Version, got.UpdatedBy,
					b.user.Name)
			}
			// Every other section is as it was.
			for _, other := range workflow.Sections {
				if other.Key != tt.key && !other.Equal(draftReport(), got) {
					t.Errorf("saving %s changed %s", tt.key, other.Key)
				}
			}
		})
	}
}

// TestEditorUnchangedSaveMakesNoRevision: saving a form without changes
// returns to the report and leaves the version alone.
func TestEditorUnchangedSaveMakesNoRevision(t *testing.T) {
	p := draftReport()
	// Without the out-of-order event, which saving would move into place.
	p.Timeline = append(p.Timeline[:3:3], p.Timeline[4:]...)
	ts, store := editorServer(t, p)
	b := signIn(t, ts, store, debrief.AccessContributor)
	for _, sec := range workflow.Sections {
		res, body := b.editSection("pm-2024-031", sec.Key, nil)
		assertSaved(t, res, body, "pm-2024-031", sec.Key)
	}
	if got := stored(t, store, "pm-2024-031"); got.Version != 3 {
		t.Errorf("version = %d after saves without changes, want 3", got.Version)
	}
}

func TestEditorFormsAreLabelled(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessContributor)
	pages := []string{"/postmortems/new"}
	for _, sec := range workflow.Sections {
		pages = append(pages, sectionURL("pm-2024-031", sec.Key))
	}
	for _, page := range pages {
		_, body := b.get(page)
		assertLabelled(t, page, body)
		assertContains(t, page, body, `name="csrf_token" value="`+b.csrf+`"`)
	}
}

// assertLabelled checks that every visible control of the page has a label
// naming it by id.
func assertLabelled(t *testing.T, page, body string) {
	t.Helper()
	doc := mustParse(t, body)
	labels := map[string]bool{}
	walk(doc, func(n *html.Node) {
		if n.Data == "label" {
			labels[attr(n, "for")] = true
		}
	})
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode || attr(n, "type") == "hidden" {
			return
		}
		switch n.Data {
		case "input", "select", "textarea":
		default:
			return
		}
		if attr(n, "id") == "" || !labels[attr(n, "id")] {
			t.Errorf("%s: <%s name=%q> has no label", page, n.Data, attr(n, "name"))
		}
	})
}

func TestEditorNewReport(t *testing.T) {
	ts, store := editorServer(t)
	b := signIn(t, ts, store, debrief.AccessContributor)

	form := b.openForm("/postmortems/new", "/postmortems")
	res, body := b.post("/postmortems", change(form, map[string]string{
		"title": "Search latency spike", "id": "pm-search-1",
		"incident.severity": "P3", "incident.services": "search, index",
		"incident.category": "Performance",
	}))
	if res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != "/postmortems/pm-search-1" {
		t.Fatalf("create: %d to %q, want 303 to the report\n%s", res.StatusCode,
			res.Header.Get("Location"), body)
	}
	p := stored(t, store, "pm-search-1")
	got := []any{p.Title, p.Status, p.Incident.Severity, p.Incident.Services,
		p.Incident.Category, p.UpdatedBy}
	want := []any{"Search latency spike", debrief.StatusDraft, debrief.Severity("P3"),
		[]string{"search", "index"}, debrief.CategoryPerformance, b.user.Name}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("new report (-want +got):\n%s", diff)
	}

	// The same id again is refused beside the id, with the input kept.
	res, body = b.post("/postmortems", change(form, map[string]string{
		"title": "Another", "id": "pm-search-1", "incident.services": "kept, as typed",
	}))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("duplicate id: status %d, want 409", res.StatusCode)
	}
	if msg := fieldErrorOf(t, body, "id"); !strings.Contains(msg, "already exists") {
		t.Errorf("id error = %q", msg)
	}
	assertContains(t, "duplicate id", body, `value="kept, as typed"`, `value="Another"`)

	res, body = b.post("/postmortems", change(form, map[string]string{"title": "X", "id": "new"}))
	if res.StatusCode != http.StatusBadRequest || fieldErrorOf(t, body, "id") == "" {
		t.Errorf("id new: status %d, want 400 with an error by the id", res.StatusCode)
	}

	res, body = b.post("/postmortems", change(form, map[string]string{"title": " "}))
	if res.StatusCode != http.StatusBadRequest || fieldErrorOf(t, body, "title") == "" {
		t.Errorf("empty title: status %d, want 400 with an error by the title", res.StatusCode)
	}
}

func TestEditorNewReportFromIncident(t *testing.T) {
	ts, store := editorServer(t)
	in := &debrief.Incident{ID: "INC-77", Title: "Queue stalled", Severity: "P2",
		StartedAt: at("2024-06-01 08:00"), ResolvedAt: at("2024-06-01 09:15")}
	if err := store.SaveIncident(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	b := signIn(t, ts, store, debrief.AccessContributor)

	_, page := b.get("/postmortems/new")
	assertContains(t, "new page", page, `<option value="INC-77">`+
		`INC-77: Queue stalled (P2, started 2024-06-01 08:00 UTC)</option>`)
	res, body := b.post("/postmortems", url.Values{"incident": {"INC-77"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create from incident: status %d\n%s", res.StatusCode, body)
	}
	id := strings.TrimPrefix(res.Header.Get("Location"), "/postmortems/")
	p := stored(t, store, id)
	if p.Incident.ID != "INC-77" || len(p.Timeline) != 2 || p.Title != "Queue stalled" {
		t.Errorf("report from incident: %+v", p)
	}

	// Now the incident has a report; starting another is refused, clearly.
	res, body = b.post("/postmortems", url.Values{"incident": {"INC-77"}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second report: status %d, want 409", res.StatusCode)
	}
	assertContains(t, "second report", body, "already has report")
}

func TestEditorViewerCannotEdit(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessViewer)
	for _, path := range []string{"/postmortems/new", sectionURL("pm-2024-031", "summary")} {
		if res, _ := b.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as viewer: %d, want 403", path, res.StatusCode)
		}
	}
	res, _ := b.post(sectionURL("pm-2024-031", "summary"), url.Values{"version": {"3"},
		"summary.executive_summary": {"viewer was here"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("POST as viewer: %d, want 403", res.StatusCode)
	}
	_, body := b.get("/postmortems/pm-2024-031")
	assertNotContains(t, "report for a viewer", body, "/edit/", `name="status"`)
	if stored(t, store, "pm-2024-031").Summary.ExecutiveSummary == "viewer was here" {
		t.Error("a viewer's edit was saved")
	}
}

func TestEditorUnknownSection(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessContributor)
	res, body := b.get("/postmortems/pm-2024-031/edit/nonsense")
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d, want 404", res.StatusCode)
	}
	assertContains(t, "unknown section", body, `no section &#34;nonsense&#34;`)
	res, _ = b.get("/postmortems/no-such/edit/summary")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown report: %d, want 404", res.StatusCode)
	}
}

func mustParse(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
