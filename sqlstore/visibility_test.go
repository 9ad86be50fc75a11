package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// saveRestrictedCorpus saves two reports every reader sees and two
// restricted ones: "breach" names people in every way a report can, and
// "quiet" names nobody. Each mentions the cache, so that one search finds
// all four, and the restricted ones share a secret word.
func saveRestrictedCorpus(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	reports := []*debrief.Postmortem{
		{
			ID: "open", Title: "Cache outage", Visibility: debrief.VisibilityInternal,
			Incident: debrief.Incident{Services: []string{"cache"}, Severity: "P2",
				StartedAt: at("2024-05-01T10:00:00Z")},
			Summary: debrief.Summary{Category: debrief.CategoryAvailability,
				ExecutiveSummary: "The cache evicted every key at once."},
		},
		{
			ID: "legacy", Title: "Cache warm-up too slow",
			Incident: debrief.Incident{Services: []string{"cache"}, Severity: "P3",
				StartedAt: at("2023-02-01T10:00:00Z")},
			Summary: debrief.Summary{Category: debrief.CategoryAvailability,
				Narrative: "After a restart the cache took an hour to fill."},
		},
		{
			ID: "breach", Title: "Cache credentials leaked",
			Visibility: debrief.VisibilityRestricted,
			Incident: debrief.Incident{Services: []string{"cache", "vault"}, Severity: "P1",
				StartedAt: at("2024-06-01T10:00:00Z")},
			Summary: debrief.Summary{Category: debrief.CategorySecurity,
				ExecutiveSummary: "The cache password was in a public gist: hushhush."},
			Authors:     []string{"Alice Andersen"},
			Facilitator: "fay",
			Team:        []debrief.TeamMember{{Name: "Tom Tran", Role: debrief.RoleDeveloper}},
			Meeting:     debrief.Meeting{Attendees: []string{"ann"}},
			UpdatedBy:   "uwe",
		},
		{
			ID: "quiet", Title: "Cache purged by hand", Visibility: debrief.VisibilityRestricted,
			Incident: debrief.Incident{Services: []string{"cache"}, Severity: "P2",
				StartedAt: at("2024-07-01T10:00:00Z")},
			Summary: debrief.Summary{Category: debrief.CategoryAvailability,
				Narrative: "Someone flushed the cache: hushhush."},
		},
	}
	for _, p := range reports {
		save(t, db, p)
	}
}

// readers are the people saveRestrictedCorpus's reports are read as, with
// the reports each may see, in the list's order (newest incident first).
var readers = []struct {
	name   string
	reader *debrief.Actor
	want   []string
}{
	{"trusted caller", nil, []string{"quiet", "breach", "open", "legacy"}},
	{"admin", &debrief.Actor{Name: "root", Role: debrief.AccessAdmin},
		[]string{"quiet", "breach", "open", "legacy"}},
	{"stranger", &debrief.Actor{Name: "sam", DisplayName: "Sam Stone",
		Role: debrief.AccessFacilitator}, []string{"open", "legacy"}},
	{"nameless", &debrief.Actor{Role: debrief.AccessViewer}, []string{"open", "legacy"}},
	{"author by display name", &debrief.Actor{Name: "aa", DisplayName: "alice andersen",
		Role: debrief.AccessViewer}, []string{"breach", "open", "legacy"}},
	{"facilitator by login", &debrief.Actor{Name: "FAY", Role: debrief.AccessFacilitator},
		[]string{"breach", "open", "legacy"}},
	{"team member", &debrief.Actor{Name: "tt", DisplayName: " Tom Tran ",
		Role: debrief.AccessContributor}, []string{"breach", "open", "legacy"}},
	{"attendee", &debrief.Actor{Name: "Ann", Role: debrief.AccessViewer},
		[]string{"breach", "open", "legacy"}},
	{"last to save it", &debrief.Actor{Name: "Uwe", Role: debrief.AccessContributor},
		[]string{"breach", "open", "legacy"}},
}

func TestListsShowOnlyWhatTheReaderMaySee(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveRestrictedCorpus(t, db)
		ctx := context.Background()
		for _, r := range readers {
			var got []string
			for offset := 0; ; offset++ {
				list, total, err := db.Postmortems(ctx,
					debrief.PostmortemFilter{Reader: r.reader, Limit: 1, Offset: offset})
				if err != nil {
					t.Fatalf("%s: %v", r.name, err)
				}
				if total != len(r.want) {
					t.Errorf("%s: total %d, want %d", r.name, total, len(r.want))
				}
				if len(list) == 0 {
					break
				}
				got = append(got, list[0].ID)
			}
			if diff := cmp.Diff(r.want, got); diff != "" {
				t.Errorf("%s: reports page by page (-want +got):\n%s", r.name, diff)
			}

			list, total, err := db.Postmortems(ctx,
				debrief.PostmortemFilter{Reader: r.reader, Service: "vault"})
			if wantVault := slices.Contains(r.want, "breach"); err != nil ||
				(total == 1) != wantVault || len(list) != total {
				t.Errorf("%s: filtered by service vault: %d of %d, %v; want breach: %t",
					r.name, len(list), total, err, wantVault)
			}
		}
	})
}

func TestSearchFindsOnlyWhatTheReaderMaySee(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveRestrictedCorpus(t, db)
		queries := []debrief.SearchQuery{
			{Text: "cache"},
			{Text: "cach*"},
			{Text: "cache OR hushhush"},
			{Text: "cache", Service: "cache"},
		}
		for _, r := range readers {
			for _, q := range queries {
				q.Reader = r.reader
				got, res := searchIDs(t, db, q)
				slices.Sort(got)
				want := slices.Sorted(slices.Values(r.want))
				if diff := cmp.Diff(want, got); diff != "" || res.Total != len(want) {
					t.Errorf("%s, %q: total %d, hits (-want +got):\n%s", r.name, q.Text,
						res.Total, diff)
				}
				if seesSecrets := slices.Contains(r.want, "breach"); !seesSecrets {
					for _, h := range res.Hits {
						if strings.Contains(h.Snippet, "hushhush") ||
							strings.Contains(h.Snippet, "flushed") {
							t.Errorf("%s, %q: snippet of a hidden report: %q", r.name, q.Text,
								h.Snippet)
						}
					}
				}
			}

			// Only the restricted reports say the secret word: a stranger finds
			// nothing, on the first page or past it.
			want := 0
			for _, id := range r.want {
				if id == "breach" || id == "quiet" {
					want++
				}
			}
			for _, offset := range []int{0, 1} {
				q := debrief.SearchQuery{Text: "hushhush", Reader: r.reader, Offset: offset}
				got, res := searchIDs(t, db, q)
				if res.Total != want || len(got) > want {
					t.Errorf("%s: hushhush from %d: %v of %d, want %d in all", r.name, offset,
						got, res.Total, want)
				}
			}
		}
	})
}

func TestFacetsCountOnlyWhatTheReaderMaySee(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveRestrictedCorpus(t, db)
		ctx := context.Background()
		all := &debrief.Facets{
			Services:   []debrief.FacetCount{fc("cache", 4), fc("vault", 1)},
			Categories: []debrief.FacetCount{fc("Availability", 3), fc("Security", 1)},
			Severities: []debrief.FacetCount{fc("P1", 1), fc("P2", 2), fc("P3", 1)},
			Years:      []debrief.FacetCount{fc("2024", 3), fc("2023", 1)},
		}
		stranger := &debrief.Facets{
			Services:   []debrief.FacetCount{fc("cache", 2)},
			Categories: []debrief.FacetCount{fc("Availability", 2)},
			Severities: []debrief.FacetCount{fc("P2", 1), fc("P3", 1)},
			Years:      []debrief.FacetCount{fc("2024", 1), fc("2023", 1)},
		}
		author := &debrief.Facets{
			Services: []debrief.FacetCount{fc("cache", 3), fc("vault", 1)},
			Categories: []debrief.FacetCount{fc("Availability", 2),
				fc("Security", 1)},
			Severities: []debrief.FacetCount{fc("P1", 1), fc("P2", 1), fc("P3", 1)},
			Years:      []debrief.FacetCount{fc("2024", 2), fc("2023", 1)},
		}
		for _, r := range readers {
			want := map[int]*debrief.Facets{4: all, 2: stranger, 3: author}[len(r.want)]
			got, err := db.Facets(ctx, debrief.FacetFilter{Reader: r.reader})
			if err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: facets (-want +got):\n%s", r.name, diff)
			}
		}
	})
}

func TestIncidentsOfHiddenReportsAreHidden(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveRestrictedCorpus(t, db)
		ctx := context.Background()
		alone := &debrief.Incident{ID: "inc-alone", Title: "Cache alarm",
			StartedAt: at("2022-01-01T00:00:00Z")}
		if err := db.SaveIncident(ctx, alone); err != nil {
			t.Fatal(err)
		}
		for _, r := range readers {
			list, total, err := db.Incidents(ctx, debrief.IncidentFilter{Reader: r.reader})
			if err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			var got []string
			for _, in := range list {
				got = append(got, in.PostmortemID)
			}
			want := append(slices.Clone(r.want), "") // the incident without a report
			if diff := cmp.Diff(want, got); diff != "" || total != len(want) {
				t.Errorf("%s: total %d; reports of the incidents (-want +got):\n%s",
					r.name, total, diff)
			}
		}
	})
}

func TestSessionsAndTokensCarryTheDisplayName(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		u := &debrief.User{Name: "alice", DisplayName: "Alice Andersen",
			Role: debrief.AccessViewer}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		_, hash := createSession(t, db, clock, "alice", time.Hour)
		s, err := db.SessionByHash(ctx, hash)
		if err != nil || s.DisplayName != "Alice Andersen" {
			t.Errorf("session: %+v, %v; want display name Alice Andersen", s, err)
		}
		tok, err := db.TokenByHash(ctx, createToken(t, db, &debrief.Token{UserName: "alice"}))
		if err != nil || tok.UserDisplayName != "Alice Andersen" {
			t.Errorf("token: %+v, %v; want display name Alice Andersen", tok, err)
		}
	})
}
