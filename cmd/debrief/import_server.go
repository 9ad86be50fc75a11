package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/client"
	"github.com/debrief-oss/debrief/importer"
)

// Import against a server: the files are found and read here, by the rules
// a local import follows (package importer), and each Markdown document is
// sent to POST /api/v1/imports, where the server decides what it does.
//
// TODO: package importer keeps its discovery of files, folders and zips
// unexported, so its rules are repeated here; exporting it would let both
// imports share one copy.

// runOnServer imports the paths into the server named by --server.
func (c *importCmd) runOnServer(e *env) error {
	api, err := e.client()
	if err != nil {
		return err
	}
	found := findDocuments(c.Paths)
	defer found.close()

	var sum importer.Summary
	total := len(found.problems) + len(found.skipped) + len(found.docs)
	bar := newProgressBar(e.stderr, "importing")
	report := func(r importer.FileResult) {
		addResult(&sum, r)
		bar.clear()
		c.printResult(e.stdout, r)
		bar.draw(sum.Files, total)
	}
	for _, p := range found.problems {
		report(importer.FileResult{Name: p.name, Outcome: importer.Failed, Err: p.err})
	}
	for _, p := range found.skipped {
		report(importer.FileResult{Name: p.name, Outcome: importer.Skipped, Err: p.err})
	}
	for _, d := range found.docs {
		r, err := c.sendDocument(e, api, d)
		if err != nil {
			// The server is unreachable or refuses this token: every
			// other file would fail the same way.
			bar.finish()
			fmt.Fprintln(e.stdout, summaryLine(sum))
			return fmt.Errorf("import %s: %w", d.name, err)
		}
		report(r)
	}
	bar.finish()
	fmt.Fprintln(e.stdout, summaryLine(sum))
	if sum.Failed > 0 {
		return failedError{}
	}
	return nil
}

// sendDocument reads one document and imports it. An error stops the
// whole import; a problem with this document alone is in the result.
func (c *importCmd) sendDocument(
	e *env,
	api *client.Client,
	d foundDocument,
) (importer.FileResult, error) {
	r := importer.FileResult{Name: d.name, Outcome: importer.Failed}
	data, err := readDocument(d, c.maxSize())
	if err != nil {
		r.Err = err
		return r, nil
	}
	if d.found && !isText(data) {
		r.Outcome, r.Err = importer.Skipped, errors.New("not a text file")
		return r, nil
	}
	res, err := api.Import(e.ctx, d.key, data)
	switch debrief.ErrorKind(err) {
	case debrief.KindInvalid, debrief.KindConflict, debrief.KindNotFound:
		r.Err = err
		return r, nil
	}
	if err != nil {
		return r, err
	}
	r.ID, r.Title, r.Outcome = res.ID, res.Title, importer.Outcome(res.Outcome)
	r.Recognised, r.Warnings = res.Recognised, res.Warnings
	return r, nil
}

func (c *importCmd) maxSize() int64 {
	if c.MaxSize > 0 {
		return c.MaxSize
	}
	return importer.DefaultMaxFileSize
}

// addResult counts one file's outcome into the summary.
func addResult(s *importer.Summary, r importer.FileResult) {
	s.Files++
	s.Warnings += len(r.Warnings)
	switch r.Outcome {
	case importer.Created:
		s.Created++
	case importer.Updated:
		s.Updated++
	case importer.Unchanged:
		s.Unchanged++
	case importer.Skipped:
		s.Skipped++
	case importer.Failed:
		s.Failed++
	}
}

// isText reports whether data could be Markdown at all: no NUL byte, valid
// UTF-8. A file found in a folder that is not is skipped, as locally.
func isText(data []byte) bool {
	return bytes.IndexByte(data, 0) < 0 && utf8.Valid(data)
}

// foundDocument is one file to import, not yet read.
type foundDocument struct {
	// name is the path as the user gave or sees it; key is the absolute
	// path (or archive path and entry) that identifies it across imports.
	name, key string
	size      int64
	// found is set for a file found in a folder or zip whose name does
	// not say it is Markdown (.txt, no extension).
	found bool
	open  func() (io.ReadCloser, error)
}

// pathProblem is a path or entry that failed or was left out, and why.
type pathProblem struct {
	name string
	err  error
}

// documentSet is what the paths expand to.
type documentSet struct {
	docs     []foundDocument
	problems []pathProblem
	skipped  []pathProblem
	archives []*zip.ReadCloser
}

func (s *documentSet) close() {
	for _, a := range s.archives {
		a.Close()
	}
}

// markdownExt are the file endings taken from folders and zips.
var markdownExt = map[string]bool{
	".md": true, ".markdown": true, ".mdown": true, ".mkd": true, ".txt": true, "": true,
}

// findDocuments expands files, folders (recursively, hidden entries left
// out) and zip archives into documents.
func findDocuments(paths []string) *documentSet {
	s := &documentSet{}
	for _, p := range paths {
		n := len(s.docs)
		err := s.addPath(p)
		if err == nil && len(s.docs) == n {
			err = errors.New("no Markdown files found here")
		}
		if err != nil {
			s.problems = append(s.problems, pathProblem{p, err})
		}
	}
	return s
}

func (s *documentSet) addPath(p string) error {
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("no such file or folder")
	}
	if err != nil {
		return fmt.Errorf("cannot read: %w", pathCause(err))
	}
	key, err := filepath.Abs(p)
	if err != nil {
		return fmt.Errorf("cannot resolve the path: %w", err)
	}
	if real, err := filepath.EvalSymlinks(key); err == nil {
		key = real
	}
	key = filepath.ToSlash(key)
	ext := strings.ToLower(filepath.Ext(p))
	switch {
	case info.IsDir():
		// WalkDir does not follow a link given as its root.
		return s.addDir(filepath.FromSlash(key), p, key)
	case ext == ".zip":
		return s.addZip(p, key)
	case !markdownExt[ext]:
		return fmt.Errorf("not a Markdown file (%s); debrief imports .md, .markdown, "+
			".txt and files without an extension, and .zip archives of them", ext)
	}
	s.docs = append(s.docs, fileDocument(p, key, info.Size(), false))
	return nil
}

func fileDocument(name, key string, size int64, found bool) foundDocument {
	return foundDocument{name: name, key: key, size: size, found: found,
		open: func() (io.ReadCloser, error) { return os.Open(name) }}
}

// addDir walks a folder; real is its path with links resolved, shown is
// the path as the user named it, for messages.
func (s *documentSet) addDir(real, shown, key string) error {
	return filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != real && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(real, p)
		name, docKey := filepath.Join(shown, rel), path.Join(key, filepath.ToSlash(rel))
		ext := strings.ToLower(filepath.Ext(p))
		if ext == ".zip" {
			if err := s.addZip(p, docKey); err != nil {
				s.problems = append(s.problems, pathProblem{name, err})
			}
			return nil
		}
		if !markdownExt[ext] || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		doc := fileDocument(p, docKey, info.Size(), ext == "" || ext == ".txt")
		doc.name = name
		s.docs = append(s.docs, doc)
		return nil
	})
}

// addZip lists the Markdown entries of an archive, which stays open until
// the import ends.
func (s *documentSet) addZip(name, key string) error {
	r, err := zip.OpenReader(name)
	if errors.Is(err, zip.ErrInsecurePath) && r != nil {
		err = nil // the entries with such names are refused one by one
	}
	if err != nil {
		return fmt.Errorf("not a readable zip archive: %w", pathCause(err))
	}
	s.archives = append(s.archives, r)
	for _, f := range r.File {
		if f.FileInfo().IsDir() {
			continue
		}
		entry := path.Clean(f.Name)
		ext := strings.ToLower(path.Ext(entry))
		switch {
		case path.IsAbs(f.Name) || entry == ".." || strings.HasPrefix(entry, "../"):
			s.skipped = append(s.skipped, pathProblem{name + "/" + f.Name,
				errors.New("the name points outside the archive")})
			continue
		case ext == ".zip":
			s.skipped = append(s.skipped, pathProblem{name + "/" + f.Name,
				errors.New("zip archives inside a zip are not opened")})
			continue
		case hiddenEntry(entry) || !markdownExt[ext]:
			continue
		}
		s.docs = append(s.docs, foundDocument{
			name: name + "/" + entry, key: key + "/" + entry,
			size: int64(f.UncompressedSize64), found: ext == "" || ext == ".txt",
			open: f.Open,
		})
	}
	return nil
}

// hiddenEntry is an entry such as "__MACOSX/…" or "._notes.md" that
// archivers add beside the real files.
func hiddenEntry(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") || part == "__MACOSX" {
			return true
		}
	}
	return false
}

// readDocument reads a document within the size limit; a zip entry that
// claims a small size and inflates past it is caught too.
func readDocument(d foundDocument, limit int64) ([]byte, error) {
	if d.size > limit {
		return nil, tooLarge(d.size, limit)
	}
	rc, err := d.open()
	if err != nil {
		return nil, fmt.Errorf("cannot open: %w", pathCause(err))
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", pathCause(err))
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(int64(len(data)), limit)
	}
	return data, nil
}

func tooLarge(size, limit int64) error {
	return debrief.Errorf(debrief.KindInvalid,
		"the file is too large (%s; the limit is %s)", byteSize(size), byteSize(limit))
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// pathCause drops the path from an *fs.PathError: messages name the file.
func pathCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
