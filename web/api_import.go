package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

// POST /api/v1/imports brings one Markdown document in, deciding as a local
// import does (package importer): debrief's own export is matched to its
// report by id, anything else by its source path, and a document that did
// not change changes nothing. Writes go through package workflow, so the
// importer's role applies; only an admin restores a report exactly as
// exported, status and history included, as the local command line does.

// importResult is what an import did with the document.
type importResult struct {
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

// The outcomes of an import, as package importer names them.
const (
	importCreated   = "created"
	importUpdated   = "updated"
	importUnchanged = "unchanged"
)

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
	var p *debrief.Postmortem
	if parsed.Native {
		p, err = im.native(r.Context(), parsed.Postmortem)
	} else {
		sum := sha256.Sum256(data)
		p, err = im.foreign(r.Context(), parsed.Postmortem, source, hex.EncodeToString(sum[:]))
	}
	if err != nil {
		s.apiFail(w, r, err)
		return
	}

	res.ID, res.Title, res.Version = p.ID, p.Title, p.Version
	status := http.StatusOK
	if res.Outcome == importCreated {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/postmortems/"+url.PathEscape(p.ID))
	}
	w.Header().Set("ETag", versionETag(p.Version))
	s.apiJSON(w, r, status, res)
}

// markdownImport decides on one document for one actor.
type markdownImport struct {
	s      *Server
	a      debrief.Actor
	result *importResult
}

// native imports debrief's own export. Into a store that lacks the report
// an admin restores it exactly; anyone else starts it as a new draft. Over
// a stored copy that differs it is saved as a new version, unless the
// report changed after the export was written.
func (im markdownImport) native(
	ctx context.Context,
	p *debrief.Postmortem,
) (*debrief.Postmortem, error) {
	if p.ID == "" {
		return nil, debrief.Errorf(debrief.KindInvalid, "the front matter has no id")
	}
	stored, err := im.s.flow.Get(ctx, im.a, p.ID)
	switch {
	case debrief.IsNotFound(err):
		if im.a.Can(debrief.AccessAdmin) {
			return im.restore(ctx, p)
		}
		return im.create(ctx, p)
	case err != nil:
		return nil, err
	}
	if sameContent(stored, p) {
		im.result.Outcome = importUnchanged
		return stored, nil
	}
	if p.Version != stored.Version {
		return nil, debrief.Errorf(debrief.KindConflict,
			"report %s changed after this file was exported (the file is at version %d, "+
				"the server at %d); export it again and redo the edit there",
			p.ID, p.Version, stored.Version)
	}
	return im.replace(ctx, p)
}

// foreign imports a report someone wrote elsewhere, found again by source.
func (im markdownImport) foreign(
	ctx context.Context,
	p *debrief.Postmortem,
	source, digest string,
) (*debrief.Postmortem, error) {
	if source == "" {
		return nil, debrief.FieldErrorf("source", "source is missing: name the path the "+
			"document was read from, so a later import of it updates the same report")
	}
	p.Source.Path, p.Source.Digest = source, digest
	id, err := im.s.store.PostmortemIDBySource(ctx, source)
	if debrief.IsNotFound(err) {
		if p.ID, err = im.newID(ctx, source, p.Title); err != nil {
			return nil, err
		}
		if p.Incident.ID == "" {
			p.Incident.ID = p.ID
		}
		if im.a.Can(debrief.AccessAdmin) {
			return im.restore(ctx, p)
		}
		return im.create(ctx, p)
	}
	if err != nil {
		return nil, err
	}

	stored, err := im.s.flow.Get(ctx, im.a, id)
	if err != nil {
		return nil, err
	}
	p.ID = id
	if p.Incident.ID == "" {
		p.Incident.ID = stored.Incident.ID
	}
	// A report updated through the API keeps the source of its first
	// import, so an unchanged document is recognised by its content too.
	if stored.Source.Digest == digest || sameContent(stored, bookkeepingOf(stored, p)) {
		im.result.Outcome = importUnchanged
		return stored, nil
	}
	p.Version = stored.Version
	return im.replace(ctx, p)
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
	im.result.Outcome = importCreated
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
		im.result.Warnings = append(im.result.Warnings, importWarning{Message: "the document " +
			"says the report is " + said.Label() + "; it was started as a draft, which a " +
			"facilitator can move on (an admin's import keeps the status)"})
	}
	im.result.Outcome = importCreated
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
	im.result.Outcome = importUpdated
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

// sameContent compares two reports, ignoring the bookkeeping a save changes.
func sameContent(a, b *debrief.Postmortem) bool {
	x, y := *a, *b
	x.Version, y.Version = 0, 0
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	x.UpdatedBy, y.UpdatedBy = "", ""
	xj, errX := json.Marshal(&x)
	yj, errY := json.Marshal(&y)
	return errX == nil && errY == nil && bytes.Equal(xj, yj)
}

// uuidName matches file names that are only a UUID, which say nothing to a
// reader typing an ID.
var uuidName = regexp.MustCompile(`^[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}$`)

// maxImportSlug keeps IDs short enough to type and to use as file names.
const maxImportSlug = 60

// newID makes an unused ID from the document's file name as a local import
// does: "PM2022-006 - ALB 502 errors.md" becomes "pm2022-006-alb-502-errors",
// a file named by a UUID is named by its title, and a taken ID gets a
// number ("template-2").
func (im markdownImport) newID(ctx context.Context, source, title string) (string, error) {
	base := path.Base(strings.ReplaceAll(source, `\`, "/"))
	stem := strings.TrimSuffix(base, path.Ext(base))
	if uuidName.MatchString(stem) && importSlug(title) != "" {
		stem = title
	}
	slug := importSlug(stem)
	if slug == "" {
		slug = "postmortem"
	}
	for n := 1; ; n++ {
		id := slug
		if n > 1 {
			id = slug + "-" + strconv.Itoa(n)
		}
		taken, err := im.s.store.PostmortemIDExists(ctx, id)
		if err != nil || !taken {
			return id, err
		}
	}
}

// importSlug lowercases s, folds accents away and joins runs of ASCII
// letters and digits with single dashes, cut between words.
func importSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > maxImportSlug {
		out = out[:maxImportSlug]
		if i := strings.LastIndexByte(out, '-'); i > maxImportSlug/2 {
			out = out[:i]
		}
	}
	return strings.Trim(out, "-")
}
