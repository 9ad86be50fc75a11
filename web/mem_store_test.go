package web

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/debrief-oss/debrief"
)

// memStore is an in-memory PostmortemStore for the handler tests, standing
// in until sqlstore can be used here. It implements what the pages call
// with the contract's semantics, simply: search is a case-insensitive
// substring match over title and text. Failures come from faultyStore.
type memStore struct {
	mu      sync.Mutex
	reports map[string]*debrief.Postmortem
}

func newMemStore(ps ...*debrief.Postmortem) *memStore {
	s := &memStore{reports: map[string]*debrief.Postmortem{}}
	for _, p := range ps {
		s.reports[p.ID] = p
	}
	return s
}

func (s *memStore) SavePostmortem(ctx context.Context, p *debrief.Postmortem) error {
	return s.RestorePostmortem(ctx, p)
}

func (s *memStore) RestorePostmortem(_ context.Context, p *debrief.Postmortem) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reports[p.ID] = p
	return nil
}

func (s *memStore) Postmortem(_ context.Context, id string) (*debrief.Postmortem, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.reports[id]
	if !ok {
		return nil, debrief.Errorf(debrief.KindNotFound, "No postmortem has the id %q.", id)
	}
	return p, nil
}

func (s *memStore) PostmortemIDBySource(_ context.Context, path string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.reports {
		if p.Source.Path == path {
			return p.ID, nil
		}
	}
	return "", debrief.Errorf(debrief.KindNotFound, "no report from %s", path)
}

func (s *memStore) PostmortemIDExists(_ context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.reports[id]
	return ok, nil
}

func (s *memStore) DeletePostmortem(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.reports, id)
	return nil
}

func (s *memStore) Postmortems(
	_ context.Context,
	f debrief.PostmortemFilter,
) ([]debrief.PostmortemSummary, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	var out []debrief.PostmortemSummary
	for _, p := range s.sorted(f.Sort) {
		if matchesFilter(p, f) {
			out = append(out, summaryOf(p))
		}
	}
	total := len(out)
	return page(out, f.Limit, f.Offset), total, nil
}

func matchesFilter(p *debrief.Postmortem, f debrief.PostmortemFilter) bool {
	inc := p.Incident
	return (f.Service == "" || slices.Contains(inc.Services, f.Service)) &&
		(f.Category == "" || inc.Category == f.Category) &&
		(f.Severity == "" || inc.Severity == f.Severity) &&
		(f.Status == "" || p.Status == f.Status) &&
		(f.Year == 0 || inc.StartedAt.Year() == f.Year)
}

func (s *memStore) sorted(order string) []*debrief.Postmortem {
	var ps []*debrief.Postmortem
	for _, p := range s.reports {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b *debrief.Postmortem) int {
		switch order {
		case "title":
			return cmp.Or(cmp.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
		case "date_asc":
			return cmp.Or(a.Incident.StartedAt.Compare(b.Incident.StartedAt), cmp.Compare(a.ID, b.ID))
		}
		return cmp.Or(b.Incident.StartedAt.Compare(a.Incident.StartedAt), cmp.Compare(a.ID, b.ID))
	})
	return ps
}

func summaryOf(p *debrief.Postmortem) debrief.PostmortemSummary {
	return debrief.PostmortemSummary{
		ID: p.ID, Title: p.Title, Status: p.Status,
		Severity: p.Incident.Severity, Category: p.Incident.Category,
		Services: p.Incident.Services, StartedAt: p.Incident.StartedAt, UpdatedAt: p.UpdatedAt,
		ExecutiveSummary: p.Summary.ExecutiveSummary,
		TimelineEvents:   len(p.Timeline),
		ActionItems:      len(p.ActionItems),
	}
}

func page[T any](xs []T, limit, offset int) []T {
	if offset >= len(xs) {
		return nil
	}
	xs = xs[offset:]
	if limit > 0 && limit < len(xs) {
		xs = xs[:limit]
	}
	return xs
}

func (s *memStore) Search(_ context.Context, q debrief.SearchQuery) (*debrief.SearchResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	f := debrief.PostmortemFilter{Service: q.Service, Category: q.Category, Severity: q.Severity}
	var hits []debrief.SearchHit
	for _, p := range s.sorted("title") {
		text := p.Title + " " + p.Summary.ExecutiveSummary + " " + p.Summary.Narrative
		snip, ok := snippet(text, q.Text)
		if !ok || !matchesFilter(p, f) {
			continue
		}
		hits = append(hits, debrief.SearchHit{
			ID: p.ID, Title: p.Title, Severity: p.Incident.Severity,
			Category: p.Incident.Category, Services: p.Incident.Services,
			StartedAt: p.Incident.StartedAt, Snippet: snip, Rank: 1,
		})
	}
	return &debrief.SearchResult{Hits: page(hits, q.Limit, q.Offset), Total: len(hits)}, nil
}

// snippet marks every occurrence of term in text, as the real store does.
func snippet(text, term string) (string, bool) {
	i := strings.Index(strings.ToLower(text), strings.ToLower(term))
	if i < 0 || term == "" {
		return "", false
	}
	j := i + len(term)
	return text[:i] + debrief.HighlightStart + text[i:j] + debrief.HighlightEnd + text[j:], true
}

func (s *memStore) Facets(context.Context) (*debrief.Facets, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	services, cats, sevs, years := counter{}, counter{}, counter{}, counter{}
	for _, p := range s.reports {
		for _, svc := range p.Incident.Services {
			services.add(svc)
		}
		cats.add(string(p.Incident.Category))
		sevs.add(string(p.Incident.Severity))
		if !p.Incident.StartedAt.IsZero() {
			years.add(strconv.Itoa(p.Incident.StartedAt.Year()))
		}
	}
	return &debrief.Facets{
		Services: services.counts(), Categories: cats.counts(),
		Severities: sevs.counts(), Years: years.counts(),
	}, nil
}

type counter map[string]int

func (c counter) add(v string) {
	if v != "" {
		c[v]++
	}
}

func (c counter) counts() []debrief.FacetCount {
	var out []debrief.FacetCount
	for v, n := range c {
		out = append(out, debrief.FacetCount{Value: v, Count: n})
	}
	slices.SortFunc(out, func(a, b debrief.FacetCount) int { return cmp.Compare(a.Value, b.Value) })
	return out
}
