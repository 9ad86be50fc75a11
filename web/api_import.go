package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/importer"
	"github.com/debrief-oss/debrief/markdown"
)

// POST /api/v1/imports brings one Markdown document in, deciding as a local
// import does (importer.Decide): debrief's own export is matched to its
// report by id, anything else by its source path, and a document that did
// not change changes nothing. Writes go through package workflow, so the
// importer's role applies; only an admin restores a report exactly as
// exported, status and history included, as the local command line does.

// importResult is what an import did with the document.
type importResult struct {
	// Outcome is an importer.Outcome: created, updated or unchanged.
	Outcome    string          `json:"outcome"`
	ID         string          `json:"id"`
	Title      string          `json:"title"`
	Version    int             `json:"version"`
	Recognised []string        `json:"recognised"`
	Warnings   []importWarning `json:"warnings"`
}

// importWarning is a markdown.Warning in the API's shape.
type importWarning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// markdownTypes are the media types an import takes.
var markdownTypes = []string{"text/markdown", "text/x-markdown", "text/plain"}

func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r.Context())
	if err := canAPI(a, debrief.AccessContributor, "importing reports"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	data, err := apiReadBody(w, r, markdownTypes...)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	source := strings.TrimSpace(r.URL.Query().Get("source"))
	name := source
	if name == "" {
		name = "document.md"
	}
	parsed, err := markdown.Parse(markdown.Document{Name: name, Data: data})
	if err != nil {
		s.apiFail(w, r, err)
		return
	}

	res := importResult{Recognised: parsed.Recognised, Warnings: []importWarning{}}
	if res.Recognised == nil {
		res.Recognised = []string{}
	}
	for _, warn := range parsed.Warnings {
		res.Warnings = append(res.Warnings, importWarning{warn.Line, warn.Message})
	}
	im := markdownImport{s: s, a: a, result: &res}
	p, err := im.apply(r.Context(), parsed, source, importer.Digest(data))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}

	res.ID, res.Title, res.Version = p.ID, p.Title, p.Version
	status := http.StatusOK
	if res.Outcome == string(importer.Created) {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/postmortems/"+url.PathEscape(p.ID))
	}
	w.Header().Set("ETag", versionETag(p.Version))
	s.apiJSON(w, r, status, res)
}

// markdownImport carries out one document's import for one actor.
type markdownImport struct {
	s      *Server
	a      debrief.Actor
	result *importResult
}

// apply decides what the document does, as a local import would, and does
// it through the workflow. A new report is restored exactly by an admin and
// started as a draft by anyone else; a changed one is saved over the stored
// report as a new version.
func (im markdownImport) apply(
	ctx context.Context,
	doc *markdown.Result,
	source, digest string,
) (*debrief.Postmortem, error) {
	if !doc.Native && source == "" {
		return nil, debrief.FieldErrorf("source", "source is missing: name the path the "+
			"document was read from, so a later import of it updates the same report")
	}
	d, err := importer.Decide(ctx, importRecords(im), doc, source, digest)
	if err != nil {
		return nil, err
	}
	switch d.Outcome {
	case importer.Created:
		if err := im.checkSource(ctx, d.Postmortem); err != nil {
			return nil, err
		}
		if im.a.Can(debrief.AccessAdmin) {
			return im.restore(ctx, d.Postmortem)
		}
		return im.create(ctx, d.Postmortem)
	case importer.Updated:
		// A report updated through the workflow keeps the source of its
		// first import, so an unchanged document is known by its content
		// too.
		if doc.Native || !importer.SameContent(d.Stored, bookkeepingOf(d.Stored, d.Postmortem)) {
			return im.replace(ctx, d.Postmortem)
		}
	}
	im.result.Outcome = string(importer.Unchanged)
	return d.Stored, nil
}

// importRecords reads the stored reports for importer.Decide as the actor
// importing. A report the importer may not read is neither shown nor
// written: a document that would update it is refused as a conflict that
// names nothing of it but what the document itself says (its id or its
// source), for the id and the source cannot be taken twice.
type importRecords markdownImport

func (r importRecords) Postmortem(ctx context.Context, id string) (*debrief.Postmortem, error) {
	p, err := r.s.flow.Get(ctx, r.a, id)
	if !debrief.IsNotFound(err) {
		return p, err
	}
	if taken, terr := r.s.store.PostmortemIDExists(ctx, id); terr != nil || !taken {
		return nil, cmp.Or(terr, err)
	}
	return nil, debrief.Errorf(debrief.KindConflict, "report id %q belongs to a report you "+
		"may not open, so this document cannot update it; to import it as a new report, "+
		"give it another id", id)
}

func (r importRecords) PostmortemIDBySource(ctx context.Context, source string) (string, error) {
	id, err := r.s.store.PostmortemIDBySource(ctx, source)
	if err != nil {
		return "", err
	}
	if _, err := r.s.flow.Get(ctx, r.a, id); debrief.IsNotFound(err) {
		return "", debrief.Errorf(debrief.KindConflict, "source %q was imported as a report "+
			"you may not open, so this document cannot update it; to import it as a new "+
			"report, give another source", source)
	} else if err != nil {
		return "", err
	}
	return id, nil
}

func (r importRecords) PostmortemIDExists(ctx context.Context, id string) (bool, error) {
	return r.s.store.PostmortemIDExists(ctx, id)
}

// checkSource refuses a new report whose source (which debrief's own
// export carries) is that of a report the importer may not open, before
// the store's refusal would name that report.
func (im markdownImport) checkSource(ctx context.Context, p *debrief.Postmortem) error {
	if p.Source.Path == "" {
		return nil
	}
	_, err := importRecords(im).PostmortemIDBySource(ctx, p.Source.Path)
	if debrief.IsNotFound(err) {
		return nil
	}
	return err
}

// restore writes a new report as the document has it: status, version and
// times too. Only an admin may, as only the operator of a local database
// may import into it.
func (im markdownImport) restore(
	ctx context.Context,
	p *debrief.Postmortem,
) (*debrief.Postmortem, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Version == 0 {
		p.UpdatedBy = im.a.Name
		err := im.s.store.SavePostmortem(ctx, p)
		if err != nil {
			return nil, err
		}
	} else if err := im.s.store.RestorePostmortem(ctx, p); err != nil {
		return nil, err
	}
	im.result.Outcome = string(importer.Created)
	return p, nil
}

// create starts a new report from the document as a draft by the actor.
func (im markdownImport) create(
	ctx context.Context,
	p *debrief.Postmortem,
) (*debrief.Postmortem, error) {
	said := p.Status
	if err := im.s.flow.Create(ctx, im.a, p); err != nil {
		return nil, err
	}
	if said != "" && said != p.Status {
		read := "the document says the report is " + said.Label()
		if said == debrief.StatusFinal && p.Source.Format == "markdown" {
			// The reader takes a hand-written postmortem that states no
			// status for a published one.
			read = "a hand-written postmortem is read as final unless it states another status"
		}
		im.result.Warnings = append(im.result.Warnings, importWarning{Message: read +
			"; it was started as a draft, which a facilitator can move on (an admin's " +
			"import keeps the status)"})
	}
	im.result.Outcome = string(importer.Created)
	return p, nil
}

// replace saves the document over the stored report through the workflow:
// the status stays as it is, and a stale version is refused.
func (im markdownImport) replace(
	ctx context.Context,
	p *debrief.Postmortem,
) (*debrief.Postmortem, error) {
	if err := im.s.flow.Replace(ctx, im.a, p); err != nil {
		return nil, err
	}
	im.result.Outcome = string(importer.Updated)
	return p, nil
}

// bookkeepingOf returns p with what a save and the workflow decide copied
// from stored, so that comparing the two compares what the authors wrote.
func bookkeepingOf(stored, p *debrief.Postmortem) *debrief.Postmortem {
	c := *p
	c.ID, c.Status, c.Source, c.Version = stored.ID, stored.Status, stored.Source, stored.Version
	c.CreatedAt, c.UpdatedAt, c.UpdatedBy = stored.CreatedAt, stored.UpdatedAt, stored.UpdatedBy
	if c.Visibility == "" {
		c.Visibility = stored.Visibility
	}
	return &c
}
