package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageNames lists every page the server renders. Each is parsed at start-up
// together with the layout and the partials, and a missing one stops the
// server from starting rather than failing the first visitor.
var pageNames = []string{"list", "report", "search", "error", "login", "account", "users",
	"new", "edit", "conflict", "revisions", "compare", "incidents", "incident", "payloads",
	"payload", "overdue", "timeline_import", "action", "actions", "calendars"}

// parseTemplates builds one template set per page: the layout and all
// partials, plus the page's own "title" and "content" blocks. Cloning the
// base per page keeps the pages' block names from overwriting each other.
func parseTemplates(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	base := template.New("layout.html").Funcs(funcs)
	base, err := base.ParseFS(fsys, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout and partials: %w", err)
	}

	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := parsePage(base, fsys, name)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

func parsePage(base *template.Template, fsys fs.FS, name string) (*template.Template, error) {
	file := path.Join("pages", name+".html")
	if _, err := fs.Stat(fsys, file); err != nil {
		return nil, fmt.Errorf("page template %s: %w", file, err)
	}

	t, err := base.Clone()
	if err != nil {
		return nil, fmt.Errorf("clone layout for %s: %w", name, err)
	}
	if t, err = t.ParseFS(fsys, file); err != nil {
		return nil, fmt.Errorf("parse page %s: %w", name, err)
	}
	for _, block := range []string{"title", "content"} {
		if t.Lookup(block) == nil {
			return nil, fmt.Errorf("page %s defines no %q block", name, block)
		}
	}
	return t, nil
}

// templatesDir returns the embedded templates with the directory prefix
// stripped, so the parser sees "layout.html" and "pages/list.html".
func templatesDir() fs.FS {
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	return sub
}

func staticDir() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	return sub
}
