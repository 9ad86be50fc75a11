package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/debrief-oss/debrief"
)

// batchSize is how many reports are written per transaction. A commit costs
// more than all the rows of a report, so a bulk import commits in batches.
const batchSize = 128

// batch collects decided documents until they are written together. Results
// are reported after the write, in the order the files were found.
type batch struct {
	im      *Importer
	report  func(FileResult)
	results []FileResult
	writes  []debrief.BatchWrite
	// at maps each write to its result, and parsed to its document.
	at     []int
	parsed []parsed
	// ids and keys are the report IDs and source keys of the pending writes:
	// the store cannot see them yet, so decisions consult these too.
	ids  map[string]bool
	keys map[string]bool
}

// add decides what to do with one parsed document and queues it.
func (b *batch) add(ctx context.Context, p parsed) error {
	if p.err != nil {
		b.results = append(b.results, p.doc.Failure(p.err))
		return nil
	}
	r := FileResult{Name: p.doc.Name}
	pm := p.result.Postmortem
	r.Recognised, r.Warnings = p.result.Recognised, p.result.Warnings
	if b.ids[pm.ID] || b.keys[p.doc.Key] {
		// The same report twice in one run: write the first before deciding on
		// the second, so the second updates it.
		if err := b.flush(ctx); err != nil {
			return err
		}
	}

	w, err := b.decide(ctx, p, &r)
	if err != nil {
		return err
	}
	b.results = append(b.results, r)
	if w != nil {
		b.queue(*w, p)
	}
	if len(b.writes) >= batchSize {
		return b.flush(ctx)
	}
	return nil
}

// decide fills r with what should happen to the document and returns the
// write that does it, if any. Only a failing store is an error.
func (b *batch) decide(ctx context.Context, p parsed, r *FileResult) (*debrief.BatchWrite, error) {
	pm := p.result.Postmortem
	var w *debrief.BatchWrite
	var err error
	if p.result.Native {
		r.Outcome, w, err = b.decideNative(ctx, pm)
	} else {
		r.Outcome, w, err = b.decideForeign(ctx, pm, p.doc.Key, p.digest)
	}
	r.ID, r.Title = pm.ID, pm.Title
	if debrief.ErrorKind(err) == debrief.KindInternal && err != nil {
		return nil, fmt.Errorf("import %s: %w", p.doc.Name, err)
	}
	if err != nil {
		r.Outcome, r.Err = Failed, err
	}
	return w, nil
}

func (b *batch) queue(w debrief.BatchWrite, p parsed) {
	if b.ids == nil {
		b.ids, b.keys = map[string]bool{}, map[string]bool{}
	}
	b.writes = append(b.writes, w)
	b.at = append(b.at, len(b.results)-1)
	b.parsed = append(b.parsed, p)
	b.ids[w.Postmortem.ID] = true
	b.keys[p.doc.Key] = true
}

// flush writes the pending reports and reports every pending result.
func (b *batch) flush(ctx context.Context) error {
	if len(b.writes) > 0 {
		errs, err := b.im.Store.SavePostmortems(ctx, b.writes)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		for i, err := range errs {
			if err == nil {
				continue
			}
			r := &b.results[b.at[i]]
			if r.Outcome == Created && debrief.ErrorKind(err) == debrief.KindConflict {
				// Another import created the same report meanwhile: decide
				// again against what it stored.
				if err := b.retry(ctx, b.parsed[i], r); err != nil {
					return err
				}
				continue
			}
			r.Outcome, r.Err = Failed, err
		}
	}
	for _, r := range b.results {
		b.report(r)
	}
	b.results, b.writes, b.at, b.parsed = b.results[:0], b.writes[:0], b.at[:0], b.parsed[:0]
	clear(b.ids)
	clear(b.keys)
	return nil
}

// retry decides on a document once more and writes it on its own.
func (b *batch) retry(ctx context.Context, p parsed, r *FileResult) error {
	w, err := b.decide(ctx, p, r)
	if err != nil || w == nil {
		return err
	}
	errs, err := b.im.Store.SavePostmortems(ctx, []debrief.BatchWrite{*w})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if errs[0] != nil {
		r.Outcome, r.Err = Failed, errs[0]
	}
	return nil
}

// decideForeign decides on a report read from someone else's Markdown. Its
// record is found again by where it came from.
func (b *batch) decideForeign(
	ctx context.Context,
	pm *debrief.Postmortem,
	key, digest string,
) (Outcome, *debrief.BatchWrite, error) {
	pm.Source.Path, pm.Source.Digest = key, digest
	id, err := b.im.Store.PostmortemIDBySource(ctx, key)
	switch {
	case debrief.IsNotFound(err):
		if pm.ID, err = b.newID(ctx, key, pm.Title); err != nil {
			return "", nil, err
		}
		if pm.Incident.ID == "" {
			pm.Incident.ID = pm.ID
		}
		return Created, &debrief.BatchWrite{Postmortem: pm}, nil
	case err != nil:
		return "", nil, err
	}
	stored, err := b.im.Store.Postmortem(ctx, id)
	if err != nil {
		return "", nil, err
	}
	pm.ID = id
	if pm.Incident.ID == "" {
		pm.Incident.ID = stored.Incident.ID
	}
	if stored.Source.Digest == digest {
		return Unchanged, nil, nil
	}
	pm.Version, pm.CreatedAt = stored.Version, stored.CreatedAt
	return Updated, &debrief.BatchWrite{Postmortem: pm}, nil
}

// decideNative decides on a report from debrief's own export. Into a store
// that lacks it, it is restored exactly (version and times too), so an
// export moved to another store reads back the same; over a stored copy that
// differs, it is saved as a new version.
func (b *batch) decideNative(
	ctx context.Context,
	pm *debrief.Postmortem,
) (Outcome, *debrief.BatchWrite, error) {
	if pm.ID == "" {
		return "", nil, debrief.Errorf(debrief.KindInvalid, "the front matter has no id")
	}
	stored, err := b.im.Store.Postmortem(ctx, pm.ID)
	switch {
	case debrief.IsNotFound(err):
		return Created, &debrief.BatchWrite{Postmortem: pm, Restore: true}, nil
	case err != nil:
		return "", nil, err
	}
	if sameContent(stored, pm) {
		return Unchanged, nil, nil
	}
	if pm.Version != stored.Version {
		return "", nil, debrief.Errorf(debrief.KindConflict,
			"report %s changed after this file was exported (the file is at version %d, "+
				"the database at %d); export it again and redo the edit there",
			pm.ID, pm.Version, stored.Version)
	}
	return Updated, &debrief.BatchWrite{Postmortem: pm}, nil
}

// sameContent compares two reports, ignoring the bookkeeping a save changes.
func sameContent(a, b *debrief.Postmortem) bool {
	x, y := *a, *b
	x.Version, y.Version = 0, 0
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	xj, errX := json.Marshal(&x)
	yj, errY := json.Marshal(&y)
	return errX == nil && errY == nil && bytes.Equal(xj, yj)
}
