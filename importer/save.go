package importer

import (
	"context"
	"fmt"

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
	r := FileResult{
		Name:       p.doc.Name,
		Recognised: p.result.Recognised,
		Warnings:   p.result.Warnings,
	}
	if b.ids[p.result.Postmortem.ID] || b.keys[p.doc.Key] {
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
	pending := pendingRecords{PostmortemStore: b.im.Store, ids: b.ids}
	d, err := Decide(ctx, pending, p.result, p.doc.Key, p.digest)
	pm := p.result.Postmortem
	r.Outcome, r.ID, r.Title = d.Outcome, pm.ID, pm.Title
	if debrief.ErrorKind(err) == debrief.KindInternal && err != nil {
		return nil, fmt.Errorf("import %s: %w", p.doc.Name, err)
	}
	if err != nil {
		r.Outcome, r.Err = Failed, err
		return nil, nil
	}
	if d.Outcome == Unchanged {
		return nil, nil
	}
	return &debrief.BatchWrite{Postmortem: d.Postmortem, Restore: d.Restore}, nil
}

// pendingRecords is the store as a batch sees it: the IDs of its pending
// writes are taken, though the store cannot see them yet.
type pendingRecords struct {
	debrief.PostmortemStore
	ids map[string]bool
}

func (r pendingRecords) PostmortemIDExists(ctx context.Context, id string) (bool, error) {
	if r.ids[id] {
		return true, nil
	}
	return r.PostmortemStore.PostmortemIDExists(ctx, id)
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
