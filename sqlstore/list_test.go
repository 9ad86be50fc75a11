package sqlstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// saveCorpus saves a small set of reports that lists and searches tell apart.
func saveCorpus(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	reports := []*debrief.Postmortem{
		{
			ID: "failover", Title: "Database failover took too long", Status: debrief.StatusFinal,
			Incident: debrief.Incident{Services: []string{"postgres", "api-gateway"},
				Severity: "P1", StartedAt: at("2024-03-01T10:00:00Z")},
			Summary: debrief.Summary{Category: debrief.CategoryAvailability,
				ExecutiveSummary: "The primary database stayed down for twenty minutes."},
			Timeline: []debrief.TimelineEvent{{Text: "Replica promoted by hand"}},
			ActionItems: []debrief.ActionItem{{Number: 1, Description: "Automate promotion"},
				{Number: 2, Description: "Alert on replication lag"}},
			Tags: []string{"database"},
		},
		{
			ID: "dns", Title: "DNS resolution failures", Status: debrief.StatusDraft,
			Incident: debrief.Incident{Services: []string{"dns"}, Severity: "P2",
				StartedAt: at("2023-11-05T08:00:00Z")},
			Summary: debrief.Summary{Category: debrief.CategoryExternalDependency,
				Narrative: "The resolver cache expired while the upstream provider was down."},
			Timeline: []debrief.TimelineEvent{{Text: "We considered a database failover but it was not needed"},
				{Text: "Provider recovered"}},
			ContributingFactors: []debrief.ContributingFactor{{Description: "Single upstream resolver"}},
			Tags:                []string{"network"},
		},
		{
			ID: "config", Title: "Bad config push to the api-gateway", Status: debrief.StatusFinal,
			Incident: debrief.Incident{Services: []string{"api-gateway"}, Severity: "P2",
				Category: debrief.CategoryConfiguration},
			Summary: debrief.Summary{ExecutiveSummary: "A typo in the routing table sent traffic nowhere."},
			Lessons: []debrief.Lesson{{Kind: debrief.LessonWentWrong,
				Text: "Config validation is missing"}},
			Tags: []string{"config", "database"},
		},
	}
	for _, p := range reports {
		save(t, db, p)
	}
}

func TestPostmortemsFilterAndSort(t *testing.T) {
	tests := []struct {
		name   string
		filter debrief.PostmortemFilter
		want   []string
		total  int
	}{
		{"all, newest first, unknown dates last", debrief.PostmortemFilter{},
			[]string{"failover", "dns", "config"}, 3},
		{"oldest first", debrief.PostmortemFilter{Sort: "date_asc"},
			[]string{"dns", "failover", "config"}, 3},
		{"by title", debrief.PostmortemFilter{Sort: "title"},
			[]string{"config", "failover", "dns"}, 3},
		{"service", debrief.PostmortemFilter{Service: "api-gateway"},
			[]string{"failover", "config"}, 2},
		{"service in another case", debrief.PostmortemFilter{Service: "API-Gateway"},
			[]string{"failover", "config"}, 2},
		{"category from summary", debrief.PostmortemFilter{Category: debrief.CategoryAvailability},
			[]string{"failover"}, 1},
		{"category from incident",
			debrief.PostmortemFilter{Category: debrief.CategoryConfiguration},
			[]string{"config"}, 1},
		{"severity", debrief.PostmortemFilter{Severity: "P2"}, []string{"dns", "config"}, 2},
		{"status", debrief.PostmortemFilter{Status: debrief.StatusDraft}, []string{"dns"}, 1},
		{"tag", debrief.PostmortemFilter{Tag: "database"}, []string{"failover", "config"}, 2},
		{"tag in another case", debrief.PostmortemFilter{Tag: "DataBase"},
			[]string{"failover", "config"}, 2},
		{"year", debrief.PostmortemFilter{Year: 2023}, []string{"dns"}, 1},
		{"combined", debrief.PostmortemFilter{Service: "api-gateway", Severity: "P2",
			Tag: "config"},
			[]string{"config"}, 1},
		{"no match", debrief.PostmortemFilter{Service: "nope"}, nil, 0},
		{"page", debrief.PostmortemFilter{Limit: 1, Offset: 1}, []string{"dns"}, 3},
		{"past the end", debrief.PostmortemFilter{Limit: 10, Offset: 5}, nil, 3},
	}
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveCorpus(t, db)
		for _, tt := range tests {
			list, total, err := db.Postmortems(context.Background(), tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var ids []string
			for _, s := range list {
				ids = append(ids, s.ID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" || total != tt.total {
				t.Errorf("%s: total %d, want %d; ids (-want +got):\n%s", tt.name, total, tt.total,
					diff)
			}
		}
	})
}

func TestPostmortemsSummary(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		saveCorpus(t, db)
		list, _, err := db.Postmortems(context.Background(), debrief.PostmortemFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		want := []debrief.PostmortemSummary{{
			ID: "failover", Title: "Database failover took too long", Status: debrief.StatusFinal,
			Severity: "P1", Category: debrief.CategoryAvailability,
			Services:         []string{"postgres", "api-gateway"},
			StartedAt:        at("2024-03-01T10:00:00Z"),
			UpdatedAt:        clock.Now(),
			ExecutiveSummary: "The primary database stayed down for twenty minutes.",
			TimelineEvents:   1, ActionItems: 2,
		}}
		if diff := cmp.Diff(want, list); diff != "" {
			t.Errorf("summary (-want +got):\n%s", diff)
		}
	})
}

func TestPostmortemsUnknownSort(t *testing.T) {
	db := openSQLite(t)
	_, _, err := db.Postmortems(context.Background(), debrief.PostmortemFilter{Sort: "random"})
	wantKind(t, err, debrief.KindInvalid)
}

func TestFacets(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveCorpus(t, db)
		got, err := db.Facets(context.Background(), debrief.FacetFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := &debrief.Facets{
			Services: []debrief.FacetCount{fc("api-gateway", 2), fc("dns", 1), fc("postgres", 1)},
			Categories: []debrief.FacetCount{fc("Availability", 1), fc("Configuration", 1),
				fc("External Dependency", 1)},
			Severities: []debrief.FacetCount{fc("P1", 1), fc("P2", 2)},
			Years:      []debrief.FacetCount{fc("2024", 1), fc("2023", 1)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("facets (-want +got):\n%s", diff)
		}
	})
}

func fc(value string, count int) debrief.FacetCount {
	return debrief.FacetCount{Value: value, Count: count}
}

func TestFiltersIgnoreCase(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		save(t, db, &debrief.Postmortem{ID: "sdb", Title: "Throttled writes",
			Incident: debrief.Incident{Services: []string{"SimpleDB"}}, Tags: []string{"AWS"}})
		save(t, db, &debrief.Postmortem{ID: "other", Title: "Throttled reads"})

		for _, f := range []debrief.PostmortemFilter{{Service: "simpledb"}, {Tag: "aws"},
			{Service: "SIMPLEDB", Tag: "Aws"}} {
			list, total, err := db.Postmortems(ctx, f)
			if err != nil || total != 1 || len(list) != 1 || list[0].ID != "sdb" {
				t.Errorf("Postmortems(%+v) = %d reports, total %d, %v; want sdb", f, len(list),
					total, err)
			}
		}
		got, _ := searchIDs(t, db, debrief.SearchQuery{Text: "throttled", Service: "simpledb"})
		if diff := cmp.Diff([]string{"sdb"}, got); diff != "" {
			t.Errorf("search with service filter (-want +got):\n%s", diff)
		}
	})
}
