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
	// Key identifies the origin across imports: the path relative to the
	// parent of what was named on the command line, with forward slashes,
	// so that importing the same folder again finds the same records.
	Key  string
	Size int64
	open func() (io.ReadCloser, error)
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
	archives []*zip.ReadCloser
}

// collect expands the paths into documents. Problems with one path are
// kept beside the documents found elsewhere.
func collect(paths []string) *collection {
	c := &collection{}
	for _, p := range paths {
		found, err := c.collectPath(p)
		c.docs = append(c.docs, found...)
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
	base := filepath.Base(filepath.Clean(p))
	switch {
	case info.IsDir():
		return c.collectDir(p, base)
	case strings.EqualFold(filepath.Ext(p), ".zip"):
		return c.collectZip(p, base)
	}
	return []document{fileDocument(p, base, info.Size())}, nil
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
		docs = append(docs, fileDocument(p, key, info.Size()))
		return nil
	})
	return docs, err
}

// collectZip lists the Markdown entries of a zip archive. The archive stays
// open until the import ends (see collection.Close): reopening it for each
// entry would read its central directory once per entry.
func (c *collection) collectZip(name, key string) ([]document, error) {
	r, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("not a readable zip archive: %w", unwrapPathError(err))
	}
	c.archives = append(c.archives, r)
	var docs []document
	for _, f := range r.File {
		entry := f.Name
		if f.FileInfo().IsDir() || hiddenZipEntry(entry) {
			continue
		}
		if !markdownExtensions[strings.ToLower(path.Ext(entry))] {
			continue
		}
		docs = append(docs, document{
			Name: name + "/" + entry,
			Key:  path.Join(key, entry),
			Size: int64(f.UncompressedSize64),
			open: zipEntryOpener(f),
		})
	}
	return docs, nil
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
