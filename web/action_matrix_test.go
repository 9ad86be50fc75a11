package web

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// svgNode is any element of the drawing, read back with encoding/xml.
type svgNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []svgNode  `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n svgNode) num(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

func (n svgNode) child(name string) svgNode {
	for _, c := range n.Children {
		if c.XMLName.Local == name {
			return c
		}
	}
	return svgNode{}
}

func (n svgNode) all(name string) []svgNode {
	var out []svgNode
	for _, c := range n.Children {
		if c.XMLName.Local == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

// box is a drawn rectangle.
type box struct{ x, y, w, h float64 }

func (b box) overlaps(o box) bool {
	return b.x < o.x+o.w && o.x < b.x+b.w && b.y < o.y+o.h && o.y < b.y+b.h
}

func (b box) inside(o box) bool {
	return b.x >= o.x && b.y >= o.y && b.x+b.w <= o.x+o.w && b.y+b.h <= o.y+o.h
}

func rectBox(t *testing.T, n svgNode) box {
	t.Helper()
	return box{n.num(t, "x"), n.num(t, "y"), n.num(t, "width"), n.num(t, "height")}
}

// drawnBadge is one item's link as the drawing shows it.
type drawnBadge struct {
	href, tooltip, label string
	rect                 svgNode
	box                  box
}

type drawnMatrix struct {
	svg    svgNode
	desc   string
	badges []drawnBadge
	more   []svgNode // the "+N more" groups
}

// readMatrix parses the drawing as XML, as a browser loading it as an SVG
// file would, and picks out its links.
func readMatrix(t *testing.T, items []matrixItem) drawnMatrix {
	t.Helper()
	return parseMatrix(t, string(drawMatrix(items)))
}

// parseMatrix reads a drawing as readMatrix does.
func parseMatrix(t *testing.T, out string) drawnMatrix {
	t.Helper()
	var svg svgNode
	if err := xml.Unmarshal([]byte(out), &svg); err != nil {
		t.Fatalf("the matrix is not well-formed XML: %v\n%s", err, out)
	}
	if svg.XMLName.Local != "svg" {
		t.Fatalf("the root element is <%s>", svg.XMLName.Local)
	}
	m := drawnMatrix{svg: svg, desc: svg.child("desc").Text}
	for _, a := range svg.all("a") {
		rect := a.child("rect")
		m.badges = append(m.badges, drawnBadge{
			href: a.attr("href"), tooltip: a.child("title").Text,
			label: a.child("text").Text, rect: rect, box: rectBox(t, rect),
		})
	}
	for _, g := range svg.all("g") {
		if strings.HasPrefix(g.child("text").Text, "+") {
			m.more = append(m.more, g)
		}
	}
	return m
}

// cellBox is where the test expects the cell for impact and effort: effort
// runs left to right, impact bottom to top, in a 3×3 grid.
func cellBox(impact, effort int) box {
	return box{
		x: float64(matrixLeft + (effort-1)*matrixCellW), y: float64(matrixTop + (3-impact)*matrixCellH),
		w: matrixCellW, h: matrixCellH,
	}
}

func item(n, impact, effort int) matrixItem {
	return matrixItem{
		Label: fmt.Sprintf("AI-%d", n), Title: fmt.Sprintf("Action item number %d", n),
		URL: fmt.Sprintf("/postmortems/pm-1#ai-%d", n), Impact: impact, Effort: effort,
		Status: "open",
	}
}

// everyCell has an item in each of the nine cells, numbered row by row
// from high impact and low effort.
func everyCell() []matrixItem {
	var items []matrixItem
	for impact := 3; impact >= 1; impact-- {
		for effort := 1; effort <= 3; effort++ {
			items = append(items, item(len(items)+1, impact, effort))
		}
	}
	return items
}

func TestMatrixLinksEveryItemOnceInItsCell(t *testing.T) {
	items := everyCell()
	m := readMatrix(t, items)

	byURL := map[string][]drawnBadge{}
	for _, b := range m.badges {
		byURL[b.href] = append(byURL[b.href], b)
	}
	if len(m.badges) != len(items) {
		t.Errorf("%d links for %d items", len(m.badges), len(items))
	}
	for _, it := range items {
		got := byURL[it.URL]
		if len(got) != 1 {
			t.Errorf("%s is linked %d times, want once", it.URL, len(got))
			continue
		}
		b := got[0]
		if cell := cellBox(it.Impact, it.Effort); !b.box.inside(cell) {
			t.Errorf("%s (impact %d, effort %d) drawn at %+v, outside its cell %+v",
				it.Label, it.Impact, it.Effort, b.box, cell)
		}
		if b.label != it.Label {
			t.Errorf("badge reads %q, want %q", b.label, it.Label)
		}
		if !strings.Contains(b.tooltip, it.Title) || !strings.Contains(b.tooltip, it.Label) {
			t.Errorf("tooltip %q does not name %s and its description", b.tooltip, it.Label)
		}
	}
}

func TestMatrixBadgesInACellDoNotOverlap(t *testing.T) {
	for _, n := range []int{2, 5, matrixSlots, matrixSlots + 1, 40} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			var items []matrixItem
			for i := range n {
				items = append(items, item(i+1, 2, 2))
			}
			items = append(items, item(n+1, 3, 3)) // a neighbour in another cell
			m := readMatrix(t, items)

			boxes := map[string]box{}
			for _, b := range m.badges {
				boxes["link "+b.href] = b.box
			}
			for i, g := range m.more {
				boxes["more "+strconv.Itoa(i)] = rectBox(t, g.child("rect"))
			}
			if n > matrixSlots && len(m.more) != 1 {
				t.Errorf("%d items in one cell and %d '+N more' marks, want one", n, len(m.more))
			}
			for a, ba := range boxes {
				for b, bb := range boxes {
					if a < b && ba.overlaps(bb) {
						t.Errorf("%s %+v overlaps %s %+v", a, ba, b, bb)
					}
				}
				if a != "link "+items[n].URL && !ba.inside(cellBox(2, 2)) {
					t.Errorf("%s %+v spills out of its cell", a, ba)
				}
			}
		})
	}
}

func TestMatrixManyItemsInOneCellStayBounded(t *testing.T) {
	var few, many []matrixItem
	for i := range 200 {
		it := item(i+1, 3, 1)
		it.Title = strings.Repeat("A long description of the work. ", 20)
		many = append(many, it)
		if i < matrixSlots {
			few = append(few, it)
		}
	}
	m := readMatrix(t, many)

	if len(m.badges) != matrixSlots-1 {
		t.Errorf("%d badges drawn for 200 items, want %d and a count", len(m.badges),
			matrixSlots-1)
	}
	wantMore := fmt.Sprintf("+%d more", 200-(matrixSlots-1))
	if len(m.more) != 1 || m.more[0].child("text").Text != wantMore {
		t.Errorf("no %q mark: %+v", wantMore, m.more)
	}
	if got, limit := len(drawMatrix(many)), len(drawMatrix(few))+1000; got > limit {
		t.Errorf("200 items draw %d bytes, want at most %d: the drawing grows with the items",
			got, limit)
	}
	if vb := m.svg.attr("viewBox"); vb != fmt.Sprintf("0 0 %d %d", matrixWidth, matrixHeight) {
		t.Errorf("viewBox %q grew with the items", vb)
	}
	if !strings.Contains(m.desc, "200 action items") {
		t.Errorf("the description does not count every item: %q", m.desc)
	}
}

func TestMatrixRanksPreventionFirstInACell(t *testing.T) {
	late := item(1, 2, 1)
	late.Overdue = true
	done := item(2, 2, 1)
	done.Prevention, done.Status = true, "done"
	prevention := item(3, 2, 1)
	prevention.Prevention = true
	plain := item(4, 2, 1)
	m := readMatrix(t, []matrixItem{late, done, prevention, plain})

	var order []string
	for _, b := range m.badges { // slots run left to right, then down
		order = append(order, b.label)
	}
	// Prevention first (open before done), then mitigation, overdue first.
	want := []string{"AI-3", "AI-2", "AI-1", "AI-4"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("order in the cell (-want +got):\n%s", diff)
	}
	for i := 1; i < len(m.badges); i++ {
		a, b := m.badges[i-1].box, m.badges[i].box
		if b.y < a.y || (b.y == a.y && b.x <= a.x) {
			t.Errorf("badge %d at %+v is not after badge %d at %+v", i, b, i-1, a)
		}
	}
}

func TestMatrixDrawsKindsDistinctly(t *testing.T) {
	prevention := item(1, 3, 1)
	prevention.Prevention = true
	late := item(2, 3, 1)
	late.Overdue = true
	m := readMatrix(t, []matrixItem{prevention, late, item(3, 3, 1)})

	look := map[string]string{}
	for _, b := range m.badges {
		look[b.label] = b.rect.attr("fill") + " " + b.rect.attr("stroke-dasharray")
	}
	if look["AI-1"] == look["AI-3"] {
		t.Errorf("a prevention item looks like a mitigation one: %q", look["AI-1"])
	}
	if look["AI-2"] == look["AI-3"] || !strings.Contains(look["AI-2"], " 4") {
		t.Errorf("an overdue item is not marked: %q against %q", look["AI-2"], look["AI-3"])
	}
	for _, b := range m.badges {
		if want := b.label == "AI-2"; strings.Contains(b.tooltip, "overdue") != want {
			t.Errorf("tooltip %q says overdue: %v, want %v", b.tooltip, !want, want)
		}
	}
}

var descCounts = regexp.MustCompile(`(\d+) action items? by impact and effort: ` +
	`(\d+) quick wins?, (\d+) major projects?, (\d+) fill-ins? and (\d+) to deprioritise\. ` +
	`(\d+) (?:is|are) prevention, (\d+) overdue\.`)

func TestMatrixDescriptionCountsQuadrants(t *testing.T) {
	items := []matrixItem{
		item(1, 3, 1), item(2, 2, 2), item(3, 3, 2), // quick wins
		item(4, 3, 3), item(5, 2, 3), // major projects
		item(6, 1, 1),                                               // fill-in
		item(7, 1, 3), item(8, 1, 3), item(9, 1, 3), item(10, 1, 3), // deprioritise
	}
	items[0].Prevention, items[6].Prevention = true, true
	items[3].Overdue = true
	m := readMatrix(t, items)

	got := descCounts.FindStringSubmatch(m.desc)
	if got == nil {
		t.Fatalf("description %q gives no counts", m.desc)
	}
	want := []string{"10", "3", "2", "1", "4", "2", "1"}
	if diff := cmp.Diff(want, got[1:]); diff != "" {
		t.Errorf("counts in %q (-want +got):\n%s", m.desc, diff)
	}

	labels := map[string]bool{}
	for _, tx := range m.svg.all("text") {
		labels[tx.Text] = true
	}
	for _, l := range []string{"Quick wins (3)", "Major projects (2)", "Fill-ins (1)",
		"Deprioritise (4)"} {
		if !labels[l] {
			t.Errorf("no quadrant label %q", l)
		}
	}
	if role := m.svg.attr("role"); role == "" || m.svg.attr("aria-labelledby") == "" {
		t.Errorf("the drawing has role %q and no label: a screen reader cannot name it", role)
	}
}

func TestMatrixLeavesOutUnratedItems(t *testing.T) {
	unrated := item(2, 0, 2)
	tooHigh := item(3, 2, 4)
	m := readMatrix(t, []matrixItem{item(1, 2, 2), unrated, tooHigh})
	if len(m.badges) != 1 || m.badges[0].label != "AI-1" {
		t.Errorf("drew %d badges, want only the rated AI-1", len(m.badges))
	}
	if !strings.Contains(m.desc, "2 items without an impact and effort are not drawn") {
		t.Errorf("the description does not own up to the missing items: %q", m.desc)
	}
	if got := drawMatrix([]matrixItem{unrated}); got != "" {
		t.Errorf("a matrix with nothing to place drew %d bytes", len(got))
	}
	if got := drawMatrix(nil); got != "" {
		t.Errorf("an empty matrix drew %d bytes", len(got))
	}
}

func TestMatrixEscapesHostileText(t *testing.T) {
	hostile := matrixItem{
		Label:  `<script>alert(1)</script>`,
		Title:  "\"/><script>alert(2)</script><a href=\"x\x01\uFFFF",
		URL:    "javascript:alert(3)",
		Impact: 2, Effort: 2, Status: `"><img src=x onerror=alert(4)>`,
	}
	sneaky := item(2, 2, 2)
	sneaky.URL = `/pm/1" onmouseover="alert(5)`
	out := string(drawMatrix([]matrixItem{hostile, sneaky}))
	m := readMatrix(t, []matrixItem{hostile, sneaky})

	for _, bad := range []string{"<script", "<img", "javascript:", `" onmouseover`} {
		if strings.Contains(out, bad) {
			t.Errorf("the drawing carries %q unescaped:\n%s", bad, out)
		}
	}
	if len(m.badges) != 2 {
		t.Fatalf("%d links, want 2: hostile text broke the structure", len(m.badges))
	}
	for _, b := range m.badges {
		if strings.HasPrefix(strings.ToLower(b.href), "javascript") {
			t.Errorf("a javascript: link survived: %q", b.href)
		}
		for _, a := range b.rect.Attrs {
			if strings.HasPrefix(a.Name.Local, "on") {
				t.Errorf("an event handler attribute appeared: %v", a)
			}
		}
	}
	if !strings.Contains(m.badges[0].tooltip, "<script>alert(2)") {
		t.Errorf("the tooltip lost the text it should show as text: %q", m.badges[0].tooltip)
	}
}

func TestMatrixLabelsFitTheirBadges(t *testing.T) {
	long := item(1, 2, 2)
	long.Label = "2026-03-09-payments-db-outage #12"
	wide := item(2, 2, 2)
	wide.Label = "障害対応の改善 #3"
	short := item(3, 2, 2)
	m := readMatrix(t, []matrixItem{long, wide, short})

	byURL := map[string]drawnBadge{}
	for _, b := range m.badges {
		byURL[b.href] = b
	}
	got := byURL[long.URL]
	if !strings.HasSuffix(got.label, "…#12") || len([]rune(got.label)) > matrixLabelRunes {
		t.Errorf("long label drawn as %q: want it cut to %d letters, keeping #12",
			got.label, matrixLabelRunes)
	}
	if !strings.Contains(got.tooltip, long.Label) {
		t.Errorf("the tooltip %q does not give the whole label", got.tooltip)
	}
	for _, it := range []matrixItem{long, wide, short} {
		b := byURL[it.URL]
		var text svgNode
		for _, a := range m.svg.all("a") {
			if a.attr("href") == it.URL {
				text = a.child("text")
			}
		}
		squeezed := text.attr("textLength") != ""
		if squeezed && text.num(t, "textLength") > b.box.w-4 {
			t.Errorf("%q is squeezed to %s, wider than its badge", b.label,
				text.attr("textLength"))
		}
		if wantSqueeze := it.URL != short.URL; squeezed != wantSqueeze {
			t.Errorf("%q squeezed: %v, want %v", b.label, squeezed, wantSqueeze)
		}
	}
}

// FuzzMatrixText draws items with arbitrary text: the drawing stays
// well-formed XML with one link per item, and no text becomes markup.
func FuzzMatrixText(f *testing.F) {
	f.Add("AI-3", "Add alert; <b>now</b> & then", "/postmortems/pm-1#ai-3", "open")
	f.Add("<script>", "\x00\x01\uFFFE\xff", "javascript:alert(1)", `"><x`)
	f.Fuzz(func(t *testing.T, label, title, url, status string) {
		items := []matrixItem{
			{Label: label, Title: title, URL: url, Impact: 2, Effort: 1, Status: status},
			{Label: title, Title: label, URL: url, Impact: 2, Effort: 1, Prevention: true},
		}
		m := readMatrix(t, items)
		if len(m.badges) != 2 {
			t.Fatalf("%d links for 2 items", len(m.badges))
		}
		names := map[string]bool{}
		var walk func(svgNode)
		walk = func(n svgNode) {
			names[n.XMLName.Local] = true
			for _, c := range n.Children {
				walk(c)
			}
		}
		walk(m.svg)
		for name := range names {
			switch name {
			case "svg", "title", "desc", "rect", "line", "text", "a", "g":
			default:
				t.Errorf("text became a <%s> element", name)
			}
		}
	})
}

// TestCountedMatrixSaysHowManyMore: a list draws its matrix from the first
// items of each cell and the cells' counts; a cell holding more than it
// shows says how many more from its count, and the quadrants and the
// description count every item, not those given.
func TestCountedMatrixSaysHowManyMore(t *testing.T) {
	var items []matrixItem
	for i := range matrixSlots {
		it := item(i+1, 3, 1)
		it.Prevention = i < 4
		items = append(items, it)
	}
	for i := range matrixSlots {
		items = append(items, item(100+i, 1, 3))
	}
	items = append(items, item(200, 2, 2), item(201, 2, 2))
	counts := []matrixCount{
		{Impact: 3, Effort: 1, Items: 40, Prevention: 9, Overdue: 3},
		{Impact: 1, Effort: 3, Items: matrixSlots, Prevention: 0, Overdue: 1},
		// The count of a cell given more items than it says is raised to
		// them: every item given is drawn and counted.
		{Impact: 2, Effort: 2, Items: 1},
	}
	m := parseMatrix(t, string(drawCountedMatrix(items, counts, 5)))

	inCell := func(impact, effort int) int {
		n := 0
		for _, b := range m.badges {
			if b.box.inside(cellBox(impact, effort)) {
				n++
			}
		}
		return n
	}
	if got := inCell(3, 1); got != matrixSlots-1 {
		t.Errorf("a cell of 40 shows %d badges, want %d and a count", got, matrixSlots-1)
	}
	if got := inCell(1, 3); got != matrixSlots {
		t.Errorf("a full cell of %d shows %d badges", matrixSlots, got)
	}
	if got := inCell(2, 2); got != 2 {
		t.Errorf("a cell given 2 items shows %d", got)
	}
	wantMore := fmt.Sprintf("+%d more", 40-(matrixSlots-1))
	if len(m.more) != 1 || m.more[0].child("text").Text != wantMore ||
		!rectBox(t, m.more[0].child("rect")).inside(cellBox(3, 1)) {
		t.Errorf("want one %q in the quick-win cell, got %+v", wantMore, m.more)
	}

	got := descCounts.FindStringSubmatch(m.desc)
	want := []string{"54", "42", "0", "0", "12", "9", "4"}
	if got == nil || !slices.Equal(got[1:], want) {
		t.Errorf("description %q, want counts %v", m.desc, want)
	}
	if !strings.Contains(m.desc, "5 items without an impact and effort are not drawn") {
		t.Errorf("the description does not count the unrated items: %q", m.desc)
	}
	labels := map[string]bool{}
	for _, tx := range m.svg.all("text") {
		labels[tx.Text] = true
	}
	if !labels["Quick wins (42)"] || !labels["Deprioritise (12)"] {
		t.Errorf("the quadrants do not count every item: %v", labels)
	}
	if drawCountedMatrix(nil, nil, 3) != "" {
		t.Error("a matrix of unrated items only drew something")
	}
}
