// Package importer brings postmortems into the store from files, folders
// (recursively) and zip archives: it finds the documents, reads each within a
// size limit, parses it, and saves it so that re-importing the same file
// updates its record instead of duplicating it.
//
// The steps are exported for imports that do not write to a local store:
// Discover finds the documents and Decide says what a parsed one does to the
// reports already stored, so that an import sent to a server follows the
// same rules as a local one.
package importer

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
	"github.com/debrief-oss/debrief/markdown"
)

// DefaultMaxFileSize is the largest document imported unless configured
// otherwise. Real postmortems are tens of kilobytes; a file of megabytes is
// almost always something else, and zip entries could otherwise inflate
// without bound.
const DefaultMaxFileSize = 8 << 20

// Document is one file found by Discover, not yet read.
type Document struct {
	// Name is the path as the user gave or sees it, for messages.
	Name string
	// Key identifies the origin across imports: the file's absolute path
	// with links resolved and forward slashes ("/srv/pm/a.md"), or the
	// archive's followed by the entry's ("/srv/pm.zip/2024/a.md"). The same
	// file named through another folder or a relative path finds the same
	// record; two files of the same name in different folders stay apart.
	Key string
	// Size is the size the file system or the archive claims.
	Size int64
	// Found is true for a file found in a folder or archive rather than
	// named by the user, whose name does not say it is Markdown (.txt, no
	// extension): such a file is skipped, not failed, when it turns out not
	// to be text.
	Found bool
	open  func() (io.ReadCloser, error)
}

// markdownExtensions are the file name endings taken from folders and zips.
// Files named on the command line are taken whatever their name.
var markdownExtensions = map[string]bool{
	".md": true, ".markdown": true, ".mdown": true, ".mkd": true, ".txt": true, "": true,
}

// Discovery is what the paths given to an import expand to. Close it when
// the documents have been read.
type Discovery struct {
	Documents []Document
	// Unread are the paths and entries that will not be read, each with
	// the reason in Err: first those that Failed (a path that does not
	// exist, a broken zip, a folder with nothing to import), then those
	// Skipped on purpose (a zip entry named outside its archive).
	Unread []FileResult

	problems []FileResult
	skipped  []FileResult
	archives []*zip.ReadCloser
}

// Discover expands files, folders (recursively, hidden entries left out)
// and zip archives into documents. A problem with one path is kept beside
// the documents found under the others.
func Discover(paths []string) *Discovery {
	d := &Discovery{}
	for _, p := range paths {
		found, err := d.collectPath(p)
		d.Documents = append(d.Documents, found...)
		if err == nil && len(found) == 0 {
			err = errors.New("no Markdown files found here")
		}
		if err != nil {
			d.fail(p, err)
		}
	}
	d.Unread = append(d.problems, d.skipped...)
	d.problems, d.skipped = nil, nil
	return d
}

// Close closes the zip archives the documents were found in.
func (d *Discovery) Close() {
	for _, a := range d.archives {
		a.Close()
	}
	d.archives = nil
}

func (d *Discovery) fail(name string, err error) {
	d.problems = append(d.problems, FileResult{Name: name, Outcome: Failed, Err: err})
}

func (d *Discovery) skip(name string, err error) {
	d.skipped = append(d.skipped, FileResult{Name: name, Outcome: Skipped, Err: err})
}

func (d *Discovery) collectPath(p string) ([]Document, error) {
	info, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("no such file or folder")
		}
		return nil, fmt.Errorf("cannot read: %w", unwrapPathError(err))
	}
	key, err := absoluteKey(p)
	if err != nil {
		return nil, err
	}
	switch {
	case info.IsDir():
		dir := p
		if l, err := os.Lstat(p); err == nil && l.Mode()&fs.ModeSymlink != 0 {
			// WalkDir does not follow a link given as its root.
			dir = filepath.FromSlash(key)
		}
		return d.collectDir(dir, p, key)
	case strings.EqualFold(filepath.Ext(p), ".zip"):
		return d.collectZip(p, key)
	}
	if ext := strings.ToLower(filepath.Ext(p)); !markdownExtensions[ext] {
		return nil, fmt.Errorf("not a Markdown file (%s); debrief imports .md, .markdown, "+
			".txt and files without an extension, and .zip archives of them", ext)
	}
	return []Document{fileDocument(p, key, info.Size())}, nil
}

// absoluteKey is the source key of a path: absolute, links resolved, with
// forward slashes.
func absoluteKey(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("cannot resolve the path: %w", err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return filepath.ToSlash(abs), nil
}

func fileDocument(name, key string, size int64) Document {
	return Document{
		Name: name, Key: key, Size: size,
		open: func() (io.ReadCloser, error) { return os.Open(name) },
	}
}

// collectDir walks the folder dir, which the user named shown, for messages.
// Hidden entries (".git") are skipped; zips inside the folder are opened like
// zips named directly.
func (d *Discovery) collectDir(dir, shown, base string) ([]Document, error) {
	var docs []Document
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(e.Name(), ".") {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		name, key := filepath.Join(shown, rel), path.Join(base, filepath.ToSlash(rel))
		ext := strings.ToLower(filepath.Ext(p))
		if ext == ".zip" {
			inner, err := d.collectZip(p, key)
			if err != nil {
				// One broken archive must not stop the rest of the folder.
				d.fail(name, err)
				return nil
			}
			docs = append(docs, inner...)
			return nil
		}
		if !markdownExtensions[ext] || !e.Type().IsRegular() {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		doc := fileDocument(p, key, info.Size())
		doc.Name = name
		doc.Found = ext == "" || ext == ".txt"
		docs = append(docs, doc)
		return nil
	})
	return docs, err
}

// collectZip lists the Markdown entries of a zip archive. The archive stays
// open until the import ends (see Discovery.Close): reopening it for each
// entry would read its central directory once per entry.
func (d *Discovery) collectZip(name, key string) ([]Document, error) {
	r, err := zip.OpenReader(name)
	if errors.Is(err, zip.ErrInsecurePath) && r != nil {
		// The reader is still usable; skipZipEntry refuses the bad names.
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("not a readable zip archive: %w", unwrapPathError(err))
	}
	d.archives = append(d.archives, r)
	var docs []Document
	for _, f := range r.File {
		entry := path.Clean(f.Name)
		if f.FileInfo().IsDir() {
			continue
		}
		ext := strings.ToLower(path.Ext(entry))
		if reason := skipZipEntry(f.Name, ext); reason != "" {
			d.skip(name+"/"+f.Name, errors.New(reason))
			continue
		}
		if hiddenZipEntry(entry) {
			continue
		}
		if !markdownExtensions[ext] {
			continue
		}
		docs = append(docs, Document{
			Name:  name + "/" + entry,
			Key:   key + "/" + entry,
			Size:  int64(f.UncompressedSize64),
			Found: ext == "" || ext == ".txt",
			open:  f.Open,
		})
	}
	return docs, nil
}

// skipZipEntry says why an entry is left out, or "" to take it. Names that
// climb out of the archive are refused even though nothing is written to
// disk: they are a sign of a crafted archive.
func skipZipEntry(name, ext string) string {
	clean := path.Clean(name)
	switch {
	case path.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../"):
		return "the name points outside the archive"
	case ext == ".zip":
		return "zip archives inside a zip are not opened"
	}
	return ""
}

// hiddenZipEntry skips entries such as "__MACOSX/…" and "._notes.md" that
// archivers add beside the real files.
func hiddenZipEntry(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") || part == "__MACOSX" {
			return true
		}
	}
	return false
}

// Read reads the document, refusing one larger than limit bytes (zero or
// less means DefaultMaxFileSize), even a zip entry that claims a small size
// and inflates past it. A Found document that is not text at all is
// refused with an error wrapping markdown.ErrNotText, so that it can be
// skipped without being parsed (see Failure).
func (d Document) Read(limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	if d.Size > limit {
		return nil, tooLarge(d.Size, limit)
	}
	rc, err := d.open()
	if err != nil {
		return nil, fmt.Errorf("cannot open: %w", unwrapPathError(err))
	}
	defer rc.Close()
	// Read one byte past the limit to tell a file at the limit from one
	// beyond it.
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", unwrapPathError(err))
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(int64(len(data)), limit)
	}
	if d.Found && (bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data)) {
		return nil, &debrief.Error{Kind: debrief.KindInvalid, Err: markdown.ErrNotText,
			Message: "not a text file"}
	}
	return data, nil
}

// Failure is the result for a document that could not be read or parsed:
// Failed with err, or Skipped when the document was found in a folder and
// is not text at all (a program, an image without an extension).
func (d Document) Failure(err error) FileResult {
	if d.Found && errors.Is(err, markdown.ErrNotText) {
		return FileResult{Name: d.Name, Outcome: Skipped, Err: errors.New("not a text file")}
	}
	return FileResult{Name: d.Name, Outcome: Failed, Err: err}
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

// unwrapPathError drops the path from an *fs.PathError, because every
// message already names the file.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
