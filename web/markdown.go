package web

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdownRenderer turns report Markdown into HTML that is safe to embed.
// Raw HTML is let through goldmark on purpose: authors paste <br>, <kbd> or
// <details>, and the bluemonday pass afterwards is what decides what stays.
type markdownRenderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// headingOffset moves Markdown headings down below the page's own outline:
// the report page uses h1 for the title and h2 for its sections, so an
// author's "# Background" becomes an h3 and the outline stays navigable.
const headingOffset = 2

func newMarkdownRenderer() *markdownRenderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(
			util.Prioritized(headingShifter{}, 100),
		)),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)

	p := bluemonday.UGCPolicy()
	// GFM task lists render disabled checkboxes; keep them and nothing else
	// of <input>.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")

	return &markdownRenderer{md: md, policy: p}
}

// Render returns the sanitised HTML of src. A conversion error cannot come
// from an in-memory buffer, but if goldmark reports one the text is shown
// escaped rather than lost.
func (m *markdownRenderer) Render(src string) template.HTML {
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(m.policy.SanitizeBytes(buf.Bytes()))
}

type headingShifter struct{}

func (headingShifter) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(h.Level+headingOffset, 6)
		}
		return ast.WalkContinue, nil
	})
}
