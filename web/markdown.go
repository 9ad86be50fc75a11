package web

import (
	"bytes"
	"errors"
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
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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

// Render returns the sanitised HTML of src. Source too costly to format
// (see tooComplex) is shown as written, with a note saying why. A conversion
// error cannot come from an in-memory buffer, but if goldmark reports one
// the text is shown as written rather than lost.
func (m *markdownRenderer) Render(src string) template.HTML {
	if src == "" {
		return ""
	}
	if why := tooComplex(src); why != "" {
		return asWritten(src, why)
	}

	source := []byte(src)
	doc := m.md.Parser().Parse(text.NewReader(source))
	// A link reference definition is written once and copied into every
	// link that uses it, so the output can outgrow the source many times.
	limit := maxRenderedBytes(len(src))
	if linkTargetBytes(doc) > limit {
		return asWritten(src, "it is too complex to format")
	}

	out := cappedBuffer{max: limit}
	if err := m.md.Renderer().Render(&out, source, doc); err != nil {
		if out.full {
			return asWritten(src, "it is too complex to format")
		}
		return asWritten(src, "it could not be formatted")
	}
	return balanced(m.policy.SanitizeBytes(out.Bytes()))
}

// balanced parses sanitised HTML as the body of a <div> and writes it back,
// so that tags the author left unclosed are closed and stray end tags
// ("</div></main>" in a summary) are dropped: a report's text cannot end or
// reshape the page around it. The HTML5 parser decides as a browser would.
func balanced(fragment []byte) template.HTML {
	context := &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := xhtml.ParseFragment(bytes.NewReader(fragment), context)
	if err != nil {
		return template.HTML(template.HTMLEscapeString(string(fragment)))
	}
	var b bytes.Buffer
	for _, n := range nodes {
		if err := xhtml.Render(&b, n); err != nil {
			return template.HTML(template.HTMLEscapeString(string(fragment)))
		}
	}
	return template.HTML(b.String())
}

// markdownPage formats the Markdown fields of one page from a shared
// budget of source bytes, so that many fields each under the limits cannot
// together make the page slow.
type markdownPage struct {
	renderer *markdownRenderer
	left     int // source bytes this page may still format
}

func (m *markdownRenderer) page() *markdownPage {
	return &markdownPage{renderer: m, left: maxPageMarkdownBytes}
}

// Render formats src like markdownRenderer.Render while the page's budget
// lasts, and shows it as written after that.
func (p *markdownPage) Render(src string) template.HTML {
	switch {
	case src == "":
		return ""
	case len(src) > maxMarkdownBytes:
		return asWritten(src, "it is too long to format")
	case len(src) > p.left:
		return asWritten(src, "this page has too much text to format")
	}
	p.left -= len(src)
	return p.renderer.Render(src)
}

// maxRenderedBytes is the most HTML a field of n bytes may become: ordinary
// Markdown grows two to five times, escaped quotes and short table cells a
// little more.
func maxRenderedBytes(n int) int {
	return 16*n + 64<<10
}

// asWritten shows src escaped and preformatted, below a note saying why.
func asWritten(src, why string) template.HTML {
	return template.HTML(`<p class="as-written-note">This text is shown as written: ` +
		why + `.</p>` + "\n" + `<pre class="as-written">` + template.HTMLEscapeString(src) +
		`</pre>`)
}

func linkTargetBytes(doc ast.Node) int {
	n := 0
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := node.(type) {
		case *ast.Link:
			n += len(l.Destination) + len(l.Title)
		case *ast.Image:
			n += len(l.Destination) + len(l.Title)
		}
		return ast.WalkContinue, nil
	})
	return n
}

// errOutputTooLarge stops a render that outgrew its cappedBuffer.
var errOutputTooLarge = errors.New("rendered markdown too large")

// cappedBuffer is a buffer that refuses to grow past max bytes. Once full it
// refuses every write, so the rest of the render costs almost nothing.
type cappedBuffer struct {
	bytes.Buffer
	max  int
	full bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.full || b.Len()+len(p) > b.max {
		b.full = true
		return 0, errOutputTooLarge
	}
	return b.Buffer.Write(p)
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
