// Package importer brings postmortems into the store from files, folders
// (recursively) and zip archives: it finds the documents, reads each within a
// size limit, parses it, and saves it so that re-importing the same file
// updates its record instead of duplicating it.
package importer

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// DefaultMaxFileSize is the largest document imported unless configured
// otherwise. Real postmortems are tens of kilobytes; a file of megabytes is
// almost always something else, and zip entries could otherwise inflate
// without bound.
const DefaultMaxFileSize = 8 << 20

// document is one file found under the paths given to Import, not yet read.
type document struct {
	// Name is the path as the user gave or sees it, for messages.
	Name string
	// Key identifies the origin across imports: the file's absolute path
	// with links resolved and forward slashes ("/srv/pm/a.md"), or the
	// archive's followed by the entry's ("/srv/pm.zip/2024/a.md"). The same
	// file named through another folder or a relative path finds the same
	// record; two files of the same name in different folders stay apart.
	Key  string
	Size int64
	// Found is true for a file found in a folder rather than named by the
	// user: such a file without a Markdown extension is skipped, not
	// failed, when it turns out not to be text.
	Found bool
	open  func() (io.ReadCloser, error)
}

// markdownExtensions are the file name endings taken from folders and zips.
// Files named on the command line are taken whatever their name.
var markdownExtensions = map[string]bool{
	".md": true, ".markdown": true, ".mdown": true, ".mkd": true, ".txt": true, "": true,
}

// walkError is a problem with one path given to Import (it does not exist,
// a zip is broken), reported like a failed file so the other paths still import.
type walkError struct {
	Name string
	Err  error
}

// collection is what the paths given to Import expand to.
type collection struct {
	docs     []document
	problems []walkError
	// skipped are entries left out on purpose, with the reason.
	skipped  []walkError
	archives []*zip.ReadCloser
}

// collect expands the paths into documents. Problems with one path are
// kept beside the documents found elsewhere.
func collect(paths []string) *collection {
	c := &collection{}
	for _, p := range paths {
		found, err := c.collectPath(p)
		c.docs = append(c.docs, found...)
		if err == nil && len(found) == 0 {
			err = errors.New("no Markdown files found here")
		}
		if err != nil {
			c.problems = append(c.problems, walkError{Name: p, Err: err})
		}
	}
	return c
}

// Close closes the zip archives the documents were found in.
func (c *collection) Close() {
	for _, a := range c.archives {
		a.Close()
	}
}

func (c *collection) collectPath(p string) ([]document, error) {
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
		if l, err := os.Lstat(p); err == nil && l.Mode()&fs.ModeSymlink != 0 {
			// WalkDir does not follow a link given as its root.
			p = filepath.FromSlash(key)
		}
		return c.collectDir(p, key)
	case strings.EqualFold(filepath.Ext(p), ".zip"):
		return c.collectZip(p, key)
	}
	if ext := strings.ToLower(filepath.Ext(p)); !markdownExtensions[ext] {
		return nil, fmt.Errorf("not a Markdown file (%s); debrief imports .md, .markdown, "+
			".txt and files without an extension, and .zip archives of them", ext)
	}
	return []document{fileDocument(p, key, info.Size())}, nil
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

func fileDocument(name, key string, size int64) document {
	return document{
		Name: name, Key: key, Size: size,
		open: func() (io.ReadCloser, error) { return os.Open(name) },
	}
}

// collectDir walks a folder. Hidden entries (".git") are skipped; zips
// inside the folder are opened like zips named directly.
func (c *collection) collectDir(dir, base string) ([]document, error) {
	var docs []document
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		key := path.Join(base, filepath.ToSlash(rel))
		ext := strings.ToLower(filepath.Ext(p))
		if ext == ".zip" {
			inner, err := c.collectZip(p, key)
			if err != nil {
				// One broken archive must not stop the rest of the folder.
				c.problems = append(c.problems, walkError{Name: p, Err: err})
				return nil
			}
			docs = append(docs, inner...)
			return nil
		}
		if !markdownExtensions[ext] || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		doc := fileDocument(p, key, info.Size())
		doc.Found = ext == "" || ext == ".txt"
		docs = append(docs, doc)
		return nil
	})
	return docs, err
}

// collectZip lists the Markdown entries of a zip archive. The archive stays
// open until the import ends (see collection.Close): reopening it for each
// entry would read its central directory once per entry.
func (c *collection) collectZip(name, key string) ([]document, error) {
	r, err := zip.OpenReader(name)
	if errors.Is(err, zip.ErrInsecurePath) && r != nil {
		// The reader is still usable; skipZipEntry refuses the bad names.
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("not a readable zip archive: %w", unwrapPathError(err))
	}
	c.archives = append(c.archives, r)
	var docs []document
	for _, f := range r.File {
		entry := path.Clean(f.Name)
		if f.FileInfo().IsDir() {
			continue
		}
		ext := strings.ToLower(path.Ext(entry))
		if reason := skipZipEntry(f.Name, ext); reason != "" {
			c.skipped = append(c.skipped, walkError{
				Name: name + "/" + f.Name, Err: errors.New(reason),
			})
			continue
		}
		if hiddenZipEntry(entry) {
			continue
		}
		if !markdownExtensions[ext] {
			continue
		}
		docs = append(docs, document{
			Name:  name + "/" + entry,
			Key:   key + "/" + entry,
			Size:  int64(f.UncompressedSize64),
			Found: ext == "" || ext == ".txt",
			open:  zipEntryOpener(f),
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

func zipEntryOpener(f *zip.File) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return f.Open() }
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
