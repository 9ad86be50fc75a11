package debrief

import (
	"context"
	"time"
)

// PostmortemStore keeps postmortems with their incidents. Implementations
// (sqlstore on SQLite and PostgreSQL) pass one shared test suite.
type PostmortemStore interface {
	// SavePostmortem inserts or replaces the whole report, its incident
	// included, in one transaction. A new ID is inserted with Version 1
	// (CreatedAt kept when set, else now). An existing ID is replaced only
	// when p.Version equals the stored version, else the save fails with
	// KindConflict and nothing changes; the stored version then increases by
	// one and CreatedAt keeps its stored value. UpdatedAt becomes now. On
	// success p's Version, CreatedAt and UpdatedAt hold the stored values.
	SavePostmortem(ctx context.Context, p *Postmortem) error
	// RestorePostmortem writes the report exactly as given, Version,
	// CreatedAt and UpdatedAt included, inserting or replacing without a
	// version check. Import of debrief's own export and restore use it.
	RestorePostmortem(ctx context.Context, p *Postmortem) error
	// SavePostmortems writes a batch of reports in one transaction, each
	// saved or restored as its BatchWrite says. A report that is refused
	// (KindInvalid, KindConflict) is rolled back alone and its error returned
	// at its index; the others are written. The error is non-nil only when
	// the batch as a whole failed, and then none of it is stored.
	SavePostmortems(ctx context.Context, batch []BatchWrite) ([]error, error)
	// Postmortem returns the report with the given ID, or a KindNotFound error.
	Postmortem(ctx context.Context, id string) (*Postmortem, error)
	// PostmortemIDBySource returns the ID of the report imported from the
	// given source path, or a KindNotFound error.
	PostmortemIDBySource(ctx context.Context, sourcePath string) (string, error)
	// PostmortemIDExists reports whether a report has the given ID.
	PostmortemIDExists(ctx context.Context, id string) (bool, error)
	// Postmortems lists report summaries matching the filter, and the total
	// number of matches ignoring Limit and Offset.
	Postmortems(ctx context.Context, f PostmortemFilter) ([]PostmortemSummary, int, error)
	// DeletePostmortem removes a report and everything it owns.
	DeletePostmortem(ctx context.Context, id string) error
	// Search runs a full-text query over reports.
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
	// Facets counts reports by service, category, severity and year, for
	// the list page's filters.
	Facets(ctx context.Context, f FacetFilter) (*Facets, error)
}

// BatchWrite is one report of a batch: saved with the version check of
// SavePostmortem, or, when Restore is set, written as given like
// RestorePostmortem.
type BatchWrite struct {
	Postmortem *Postmortem
	Restore    bool
}

// PostmortemFilter narrows a list of reports. Empty fields do not filter.
type PostmortemFilter struct {
	Service  string
	Category Category
	Severity Severity
	Status   Status
	Tag      string
	Year     int
	// Sort is "date" (newest first, the default), "date_asc" or "title".
	Sort   string
	Limit  int
	Offset int
	// Reader, when set, keeps only the reports Reader may read (see
	// (*Postmortem).VisibleTo), total included. Nil lists every report, for
	// callers that are trusted, such as the command line on a local file.
	Reader *Actor
}

// PostmortemSummary is what a list of reports shows of each one.
type PostmortemSummary struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Status    Status    `json:"status"`
	Severity  Severity  `json:"severity,omitempty"`
	Category  Category  `json:"category,omitempty"`
	Services  []string  `json:"services,omitempty"`
	StartedAt time.Time `json:"started_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// ExecutiveSummary is the report's executive summary, possibly shortened.
	ExecutiveSummary string `json:"executive_summary,omitempty"`
	TimelineEvents   int    `json:"timeline_events"`
	ActionItems      int    `json:"action_items"`
}

// SearchQuery is a full-text query as a user typed it: words, "phrases",
// prefix* terms, -exclusions and OR.
type SearchQuery struct {
	Text     string
	Service  string
	Category Category
	Severity Severity
	Limit    int
	Offset   int
	// Reader, when set, keeps only the reports Reader may read (see
	// (*Postmortem).VisibleTo): no hit, total or snippet comes from another.
	// Nil searches every report.
	Reader *Actor
}

// SearchResult is one page of ranked hits.
type SearchResult struct {
	Hits  []SearchHit `json:"hits"`
	Total int         `json:"total"`
}

// SearchHit is one matching report. Snippet is plain text in which matched
// terms are wrapped in HighlightStart and HighlightEnd, so a renderer can
// escape the text and then mark the matches.
type SearchHit struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Severity  Severity  `json:"severity,omitempty"`
	Category  Category  `json:"category,omitempty"`
	Services  []string  `json:"services,omitempty"`
	StartedAt time.Time `json:"started_at,omitzero"`
	Snippet   string    `json:"snippet"`
	Rank      float64   `json:"rank"`
}

// The markers around matched terms in SearchHit.Snippet. They are control
// characters, so they cannot occur in report text.
const (
	HighlightStart = "\x02"
	HighlightEnd   = "\x03"
)

// FacetFilter narrows the reports Facets counts.
type FacetFilter struct {
	// Reader, when set, counts only the reports Reader may read (see
	// (*Postmortem).VisibleTo). Nil counts every report.
	Reader *Actor
}

// Facets counts reports by the values of the list filters.
type Facets struct {
	Services   []FacetCount
	Categories []FacetCount
	Severities []FacetCount
	Years      []FacetCount
}

// FacetCount is one value of a facet and how many reports have it.
type FacetCount struct {
	Value string
	Count int
}

// LintOverrideStore keeps the overrides facilitators record when they move
// a report to final although the blameless checker finds errors in it.
type LintOverrideStore interface {
	// SavePostmortemOverriding saves p as SavePostmortem does and records o
	// in the same transaction, so that a report never becomes final over
	// the checker's errors without its override, nor an override stands for
	// a move that did not happen. o.PostmortemID and o.Version become p's;
	// o.At becomes now when it is zero.
	SavePostmortemOverriding(ctx context.Context, p *Postmortem, o *LintOverride) error
	// LintOverrides lists the overrides recorded on the report, oldest
	// first; none is an empty list, not an error.
	LintOverrides(ctx context.Context, postmortemID string) ([]LintOverride, error)
}
