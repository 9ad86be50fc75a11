package tracker

import (
	"regexp"
	"strings"
)

// Jira Cloud's REST v3 takes rich text in the Atlassian Document Format:
// a "doc" node (version 1) holding block nodes, here only paragraphs,
// which hold inline nodes: text (never empty: the schema refuses an empty
// text node) and hardBreak. A web address becomes a link mark, so that
// the link back to the postmortem can be followed from Jira.

// adfNode is one node of a document; the zero fields are left out.
type adfNode struct {
	Type    string     `json:"type"`
	Version int        `json:"version,omitempty"`
	Text    string     `json:"text,omitempty"`
	Content []*adfNode `json:"content,omitempty"`
	Marks   []adfMark  `json:"marks,omitempty"`
}

type adfMark struct {
	Type  string            `json:"type"`
	Attrs map[string]string `json:"attrs,omitempty"`
}

var (
	reParagraphBreak = regexp.MustCompile(`\n[ \t]*\n\s*`)
	reWebAddress     = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)\]]`)
)

// adfDocument turns plain text into a document: blank lines separate
// paragraphs, other line ends become hard breaks.
func adfDocument(text string) *adfNode {
	doc := &adfNode{Type: "doc", Version: 1, Content: []*adfNode{}}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	for _, para := range reParagraphBreak.Split(strings.TrimSpace(text), -1) {
		p := &adfNode{Type: "paragraph", Content: []*adfNode{}}
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				p.Content = append(p.Content, &adfNode{Type: "hardBreak"})
			}
			p.Content = append(p.Content, adfText(line)...)
		}
		if len(p.Content) > 0 {
			doc.Content = append(doc.Content, p)
		}
	}
	return doc
}

// adfText splits a line into text nodes, web addresses marked as links.
func adfText(line string) []*adfNode {
	var nodes []*adfNode
	add := func(s string, marks []adfMark) {
		if s != "" {
			nodes = append(nodes, &adfNode{Type: "text", Text: s, Marks: marks})
		}
	}
	last := 0
	for _, m := range reWebAddress.FindAllStringIndex(line, -1) {
		add(line[last:m[0]], nil)
		href := line[m[0]:m[1]]
		add(href, []adfMark{{Type: "link", Attrs: map[string]string{"href": href}}})
		last = m[1]
	}
	add(line[last:], nil)
	return nodes
}
