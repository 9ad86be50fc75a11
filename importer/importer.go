package importer

import (
	"context"
	"runtime"
	"sync"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

// Outcome is what an import did with one file.
type Outcome string

// The outcomes.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Skipped   Outcome = "skipped"
	Failed    Outcome = "failed"
)

// FileResult reports one file of an import.
type FileResult struct {
	// Name is the file as the user knows it.
	Name    string
	ID      string
	Title   string
	Outcome Outcome
	// Recognised and Warnings come from the parser; see markdown.Result.
	Recognised []string
	Warnings   []markdown.Warning
	// Err says why the file failed; its message names the problem.
	Err error
}

// Summary counts the outcomes of an import.
type Summary struct {
	Files     int
	Created   int
	Updated   int
	Unchanged int
	Skipped   int
	Failed    int
	Warnings  int
}

// Importer imports documents into a store.
type Importer struct {
	Store debrief.PostmortemStore
	// MaxFileSize bounds each document; zero means DefaultMaxFileSize.
	MaxFileSize int64
	// Workers is the number of documents parsed at once; zero means one per CPU.
	// Saving stays sequential, in the order the files were found.
	Workers int
}

// Progress is told about each file as it finishes, in order, and how many
// files there are in all.
type Progress func(done, total int, r FileResult)

// Import imports every document under paths. A file that cannot be read or
// parsed fails alone: the others still import, and nothing of it is stored.
// The error is non-nil only when the import could not go on at all (the
// store failed or ctx ended).
func (im *Importer) Import(
	ctx context.Context,
	paths []string,
	progress Progress,
) (Summary, error) {
	found := Discover(paths)
	defer found.Close()

	total := len(found.Documents) + len(found.Unread)
	var sum Summary
	done := 0
	report := func(r FileResult) {
		done++
		sum.Add(r)
		if progress != nil {
			progress(done, total, r)
		}
	}
	for _, r := range found.Unread {
		report(r)
	}
	err := im.importDocuments(ctx, found.Documents, report)
	return sum, err
}

// Add counts one file's outcome.
func (s *Summary) Add(r FileResult) {
	s.Files++
	s.Warnings += len(r.Warnings)
	switch r.Outcome {
	case Created:
		s.Created++
	case Updated:
		s.Updated++
	case Unchanged:
		s.Unchanged++
	case Skipped:
		s.Skipped++
	case Failed:
		s.Failed++
	}
}

// parsed is a document read and parsed, waiting to be saved.
type parsed struct {
	doc    Document
	digest string
	result *markdown.Result
	err    error
}

// importDocuments parses documents on several goroutines and saves them on
// this one, in order: the store has a single writer anyway, and parsing is
// where the CPU time goes.
func (im *Importer) importDocuments(
	ctx context.Context,
	docs []Document,
	report func(FileResult),
) error {
	slots := make([]chan parsed, len(docs))
	for i := range slots {
		slots[i] = make(chan parsed, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	next := make(chan int)
	for range im.workers() {
		wg.Go(func() {
			for i := range next {
				slots[i] <- im.parse(docs[i])
			}
		})
	}
	// ahead bounds how far parsing runs ahead of saving, so that a large
	// import does not hold every parsed report in memory at once.
	ahead := make(chan struct{}, 2*batchSize)
	go func() {
		defer close(next)
		for i := range docs {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()

	b := &batch{im: im, report: report}
	for i := range docs {
		var p parsed
		select {
		case p = <-slots[i]:
			<-ahead
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := b.add(ctx, p); err != nil {
			return err
		}
	}
	return b.flush(ctx)
}

func (im *Importer) workers() int {
	if im.Workers > 0 {
		return im.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// parse reads and parses one document. It touches no shared state.
func (im *Importer) parse(doc Document) parsed {
	data, err := doc.Read(im.MaxFileSize)
	if err != nil {
		return parsed{doc: doc, err: err}
	}
	res, err := markdown.Parse(markdown.Document{Name: doc.Name, Data: data})
	return parsed{doc: doc, digest: Digest(data), result: res, err: err}
}
