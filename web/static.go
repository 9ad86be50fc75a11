package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// staticAsset is one embedded file with the content-hashed name it is served
// under. The hash in the name is what lets browsers keep it for a year: a
// changed file gets a new URL, so no stale copy is ever served.
type staticAsset struct {
	name        string // "style.css"
	hashedName  string // "style.1a2b3c4d5e.css"
	contentType string
	body        []byte
}

type staticFiles struct {
	byName   map[string]*staticAsset
	byHashed map[string]*staticAsset
}

func loadStatic(fsys fs.FS) (*staticFiles, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read static files: %w", err)
	}

	sf := &staticFiles{
		byName:   make(map[string]*staticAsset),
		byHashed: make(map[string]*staticAsset),
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read static file %s: %w", e.Name(), err)
		}
		a := newStaticAsset(e.Name(), body)
		sf.byName[a.name] = a
		sf.byHashed[a.hashedName] = a
	}
	return sf, nil
}

func newStaticAsset(name string, body []byte) *staticAsset {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext

	ctype := mime.TypeByExtension(ext)
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return &staticAsset{name: name, hashedName: hashed, contentType: ctype, body: body}
}

// URL returns the hashed URL of the named file. An unknown name is an error,
// so a typo in a template fails the page (and its test) instead of quietly
// leaving it unstyled.
func (sf *staticFiles) URL(name string) (string, error) {
	a, ok := sf.byName[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + a.hashedName, nil
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := s.static.byHashed[r.PathValue("file")]
	if !ok {
		s.notFound(w, r)
		return
	}

	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(a.body)
}
