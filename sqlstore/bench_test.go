package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// vocabulary is the background text of the generated reports, most
// frequent first: function words, then made-up words that stand in for the
// long tail of names and jargon real reports carry. Each report also has a
// theme of a few incident words, as a real report is about one thing.
var vocabulary = func() []string {
	v := strings.Fields(`the a of to and in on was were for with after before
	during while`)
	syllables := strings.Fields(`ka lo mi ne ru sa te vo xi zu bar cor den fil gam hob
		jin kel mor nat pex qui rav sol tup`)
	for _, a := range syllables {
		for _, b := range syllables {
			for _, c := range syllables[:8] {
				v = append(v, a+b+c)
			}
		}
	}
	return v
}()

var incidentWords = strings.Fields(`service request requests latency error errors timeout timeouts database
	replica primary failover connection pool exhausted cache eviction memory leak cpu
	disk full queue backlog consumer producer deploy deployment rollback config change
	flag feature certificate expired dns resolver upstream provider network partition
	packet loss load balancer health check alert alerting page paged on-call engineer
	team customers users checkout payment login search api gateway kubernetes node pod
	restart crash loop retry storm thundering herd rate limit quota region zone outage
	degraded partial recovery mitigation monitoring dashboard metric threshold runbook
	escalation incident commander status page postmortem lesson action item owner
	migration schema index lock contention deadlock transaction slow query vacuum
	backup restore snapshot storage bucket permission token secret rotation firewall`)

var serviceNames = strings.Fields(`api-gateway checkout payments auth search catalog
	inventory orders shipping notifications billing postgres redis kafka dns cdn
	frontend mobile-api reporting analytics scheduler worker ledger identity storage`)

// reportGen writes realistic reports from a fixed seed.
type reportGen struct {
	r     *rand.Rand
	zipf  *rand.Zipf
	theme []string
}

func newReportGen(seed uint64) *reportGen {
	r := rand.New(rand.NewPCG(seed, 7))
	return &reportGen{r: r, zipf: rand.NewZipf(r, 1.07, 2, uint64(len(vocabulary)-1))}
}

// word picks a word: one of the report's theme one time in eight, any
// incident word one time in fifty, else a background word with Zipf's law, as
// words occur in real text.
func (g *reportGen) word() string {
	switch n := g.r.IntN(200); {
	case len(g.theme) > 0 && n < 25:
		return g.theme[g.r.IntN(len(g.theme))]
	case n < 29:
		return incidentWords[g.r.IntN(len(incidentWords))]
	}
	return vocabulary[g.zipf.Uint64()]
}

func (g *reportGen) text(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = g.word()
	}
	return strings.Join(w, " ")
}

func (g *reportGen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func (g *reportGen) report(id string) *debrief.Postmortem {
	g.theme = g.theme[:0]
	for range g.between(6, 12) {
		g.theme = append(g.theme, incidentWords[g.r.IntN(len(incidentWords))])
	}
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).
		Add(time.Duration(g.r.Int64N(int64(6 * 365 * 24 * time.Hour))))
	p := &debrief.Postmortem{
		ID:    id,
		Title: g.text(g.between(4, 9)),
		Incident: debrief.Incident{
			ID:         "inc-" + id,
			Title:      g.text(5),
			Severity:   debrief.DefaultSeverities[g.r.IntN(4)],
			Category:   debrief.Categories[g.r.IntN(len(debrief.Categories))],
			Status:     debrief.IncidentResolved,
			StartedAt:  start,
			DetectedAt: start.Add(5 * time.Minute),
			ResolvedAt: start.Add(time.Duration(g.between(10, 600)) * time.Minute),
		},
		Status:      debrief.Statuses[g.r.IntN(4)],
		Visibility:  debrief.VisibilityInternal,
		Facilitator: "Facilitator " + fmt.Sprint(g.r.IntN(20)),
		TimeZone:    "UTC",
		Summary: debrief.Summary{
			ExecutiveSummary: g.text(40),
			Narrative:        g.text(150),
		},
		Analysis: debrief.Analysis{
			RootCause: g.text(60), Trigger: g.text(15), Detection: g.text(20),
			Resolution: g.text(30),
		},
		Meeting: debrief.Meeting{Date: start.Add(72 * time.Hour), Notes: g.text(30)},
		Source:  debrief.Source{Path: "reports/" + id + ".md", Format: "markdown"},
		Fields:  map[string]string{"team": "team-" + fmt.Sprint(g.r.IntN(10)), "region": "eu"},
	}
	for range g.between(1, 3) {
		p.Incident.Services = append(p.Incident.Services, serviceNames[g.r.IntN(len(serviceNames))])
	}
	for range g.between(1, 3) {
		p.Authors = append(p.Authors, fmt.Sprint("Author ", g.r.IntN(50)))
	}
	for i := range g.between(8, 20) {
		p.Timeline = append(p.Timeline, debrief.TimelineEvent{
			Time: start.Add(time.Duration(i*3) * time.Minute), TimeText: "12:00 UTC",
			Text: g.text(g.between(6, 18)), Kind: debrief.EventKinds[g.r.IntN(6)], Source: "report",
		})
	}
	for i := range g.between(3, 8) {
		p.Analysis.Whys = append(p.Analysis.Whys, debrief.Why{
			ID: i + 1, ParentID: i, Question: "Why " + g.text(6) + "?", Answer: g.text(12),
		})
	}
	for range g.between(2, 4) {
		p.Analysis.Causes = append(p.Analysis.Causes, debrief.Cause{
			Category: debrief.FishboneCategories[g.r.IntN(6)], Text: g.text(8)})
		p.ContributingFactors = append(p.ContributingFactors, debrief.ContributingFactor{
			Category: debrief.FactorCategories[g.r.IntN(9)], Description: g.text(12),
			HowContributed: g.text(15)})
	}
	p.Impacts = []debrief.Impact{{Kind: debrief.ImpactCustomer, Description: g.text(20),
		MinutesDown: ptr(float64(g.between(5, 300))), UsersAffected: ptr(int64(g.r.IntN(100000)))}}
	for range g.between(3, 6) {
		p.Lessons = append(p.Lessons, debrief.Lesson{Kind: debrief.LessonKinds[g.r.IntN(4)],
			Text: g.text(15)})
	}
	for i := range g.between(3, 8) {
		p.ActionItems = append(p.ActionItems, debrief.ActionItem{
			Number: i + 1, Description: g.text(12), Owner: fmt.Sprint("owner-", g.r.IntN(30)),
			Due: start.AddDate(0, 1, 0).Format(time.DateOnly), Impact: debrief.LevelHigh,
			Effort: debrief.LevelLow, Category: debrief.ActionCategories[g.r.IntN(7)],
			Status: debrief.ActionStatuses[g.r.IntN(5)], SuccessMetric: g.text(8),
		})
	}
	for range g.between(3, 5) {
		p.Team = append(p.Team, debrief.TeamMember{Name: fmt.Sprint("Person ", g.r.IntN(80)),
			Role: debrief.RoleDeveloper})
	}
	for range g.between(4, 8) {
		p.Meeting.Attendees = append(p.Meeting.Attendees, fmt.Sprint("Person ", g.r.IntN(80)))
	}
	p.Links = []debrief.Link{{Title: "Dashboard", URL: "https://grafana.example/" + id},
		{Title: "Ticket", URL: "https://tracker.example/" + id}}
	p.Tags = []string{incidentWords[g.r.IntN(len(incidentWords))],
		serviceNames[g.r.IntN(len(serviceNames))]}
	p.Sections = []debrief.Section{{Heading: "Background", Body: g.text(80)}}
	return p
}

// benchDir holds databases shared between benchmark runs; TestMain removes it.
var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// BenchmarkSavePostmortem imports generated reports into a SQLite store, as
// an import of a folder of reports would.
func BenchmarkSavePostmortem(b *testing.B) {
	db, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	g := newReportGen(1)
	reports := make([]*debrief.Postmortem, b.N)
	for i := range reports {
		reports[i] = g.report(fmt.Sprint("pm-", i))
	}
	ctx := context.Background()

	b.ResetTimer()
	for i := range b.N {
		if err := db.SavePostmortem(ctx, reports[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}

const searchCorpus = 10000

var searchStore struct {
	once sync.Once
	path string
	err  error
}

// searchDB returns the path of a SQLite store holding searchCorpus generated
// reports, built once per test binary run.
func searchDB(b *testing.B) string {
	searchStore.once.Do(func() {
		dir, err := os.MkdirTemp("", "debrief-bench-")
		if err != nil {
			searchStore.err = err
			return
		}
		benchDir = dir
		searchStore.path = filepath.Join(dir, "search.db")
		db, err := sqlstore.Open(context.Background(), searchStore.path)
		if err != nil {
			searchStore.err = err
			return
		}
		defer db.Close()
		g := newReportGen(2)
		for i := range searchCorpus {
			if err := db.SavePostmortem(context.Background(), g.report(fmt.Sprint("pm-",
				i))); err != nil {
				searchStore.err = err
				return
			}
		}
	})
	if searchStore.err != nil {
		b.Fatal(searchStore.err)
	}
	return searchStore.path
}

// benchQueries are what people type: a common word, a rare one, phrases,
// prefixes, exclusions, alternatives, and filtered searches.
var benchQueries = []debrief.SearchQuery{
	{Text: "database failover"},
	{Text: "certificate expired"},
	{Text: `"connection pool" exhausted`},
	{Text: "dead*"},
	{Text: "kafka consumer -rollback"},
	{Text: "deadlock OR contention"},
	{Text: "api-gateway latency"},
	{Text: "secret rotation", Service: "auth"},
	{Text: "timeout", Severity: "P1"},
	{Text: "outage", Category: debrief.CategoryAvailability},
}

// BenchmarkSearch runs benchQueries in turn over searchCorpus reports and
// reports the median time of one search, a page of 20 hits.
func BenchmarkSearch(b *testing.B) {
	path := searchDB(b)
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		q := benchQueries[i%len(benchQueries)]
		q.Limit = 20
		start := time.Now()
		if _, err := db.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms/median")
}
