package web

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
)

// The impact/effort matrix: effort across (low to high), impact up (low to
// high), three levels each. Its nine cells fall into four quadrants, as in
// the domain's rule: impact medium or high is worth doing, effort low or
// medium is easy. Each action item is a badge in its cell, linking to the
// item; a cell shows at most matrixSlots badges and says how many more it
// holds, so the drawing keeps its size however many items there are.
//
// Colours are presentation attributes, not classes, so that the drawing
// reads the same wherever it is put (a page, a print, a saved SVG file)
// without a stylesheet; the CSP governs style attributes and elements, not
// these.

// Geometry, in SVG user units.
const (
	matrixCellW  = 240
	matrixCellH  = 136
	matrixLeft   = 84 // room for the impact axis
	matrixTop    = 8
	matrixBand   = 24 // strip at the top of each cell, for its quadrant's name
	matrixPad    = 6
	matrixBadgeW = 72
	matrixBadgeH = 22
	matrixGap    = 4
	matrixCols   = 3 // badges across a cell
	matrixRows   = 4 // badges down a cell
	matrixSlots  = matrixCols * matrixRows
	// matrixLabelRunes is the longest label a badge shows. Fonts differ, so
	// the longest labels, and any with wide letters, are fitted to
	// matrixLabelW.
	matrixLabelRunes = 10
	matrixLabelW     = matrixBadgeW - 8
	matrixTitleRunes = 300
	matrixWidth      = matrixLeft + 3*matrixCellW + 12
	matrixGridBottom = matrixTop + 3*matrixCellH
	matrixHeight     = matrixGridBottom + 84
)

// The quadrants, in the order the drawing describes them.
const (
	quadrantQuickWin     = "quick win"
	quadrantMajorProject = "major project"
	quadrantFillIn       = "fill-in"
	quadrantDeprioritise = "deprioritise"
)

// matrixItem is an action item as the matrix draws it.
type matrixItem struct {
	Label      string // "AI-3" or "pm-id #3"
	Title      string // description, for the tooltip (<title>)
	URL        string // link to the item
	Impact     int    // 1..3; an item rated outside that is not drawn
	Effort     int    // 1..3
	Prevention bool
	// NoPurpose is true when the item says neither prevention nor
	// mitigation: drawn as a mitigation, but not called one.
	NoPurpose bool
	Overdue   bool
	Status    string
}

// closed reports whether the item's work is finished; the matrix fades it.
func (it matrixItem) closed() bool {
	return it.Status == "done" || it.Status == "verified"
}

func (it matrixItem) rated() bool {
	return it.Impact >= 1 && it.Impact <= 3 && it.Effort >= 1 && it.Effort <= 3
}

// matrixQuadrant mirrors the domain's rule (debrief.ActionItem.Quadrant)
// on the 1–3 scale.
func matrixQuadrant(impact, effort int) string {
	high, easy := impact >= 2, effort <= 2
	switch {
	case high && easy:
		return quadrantQuickWin
	case high:
		return quadrantMajorProject
	case easy:
		return quadrantFillIn
	}
	return quadrantDeprioritise
}

// matrixCell is the top-left corner of the cell for impact and effort.
func matrixCell(impact, effort int) (x, y int) {
	return matrixLeft + (effort-1)*matrixCellW, matrixTop + (3-impact)*matrixCellH
}

// matrixSlot is the top-left corner of the k-th badge in a cell.
func matrixSlot(cellX, cellY, k int) (x, y int) {
	col, row := k%matrixCols, k/matrixCols
	return cellX + matrixPad + col*(matrixBadgeW+matrixGap),
		cellY + matrixBand + row*(matrixBadgeH+matrixGap)
}

type matrixView struct {
	Width, Height int
	Title, Desc   string
	Regions       []matrixRegion
	Lines         []matrixLine
	Axis          []matrixText
	Badges        []matrixBadge
	More          []matrixMore
	LegendY       int
	LabelW        int
}

// matrixRegion is a quadrant's area, named in the band of its top-left
// cell.
type matrixRegion struct {
	X, Y, W, H int
	Fill       string
	Label      string
	LabelX     int
	LabelY     int
	Quadrant   string
	Count      int
}

type matrixLine struct{ X1, Y1, X2, Y2 int }

type matrixText struct {
	X, Y   int
	Anchor string
	Text   string
	Rotate bool
}

type matrixBadge struct {
	X, Y, W, H   int
	TextX, TextY int
	// Squeeze fits a long label, or one of wide letters (CJK, emoji), to
	// the badge's width.
	Squeeze    bool
	URL        string
	Label      string
	Tooltip    string
	Prevention bool
	Overdue    bool
	Closed     bool
}

// matrixMore stands in the last slot of a cell holding more items than
// it can show.
type matrixMore struct {
	X, Y, W, H   int
	TextX, TextY int
	Text         string
	Tooltip      string
}

// matrixCount is what one cell of the matrix holds in all, for a drawing
// given only the first items of each cell: how many items, how many of
// them for prevention and how many overdue.
type matrixCount struct {
	Impact, Effort             int // 1..3
	Items, Prevention, Overdue int
}

// matrixTally is what the drawing counts and says: the items of each
// cell and, of all of them, those for prevention, those overdue and those
// it cannot place.
type matrixTally struct {
	cells                      [4][4]int // [impact][effort], 1-based
	rated, prevention, overdue int
	unrated                    int
}

func (t *matrixTally) quadrants() map[string]int {
	counts := make(map[string]int, 4)
	for impact := 1; impact <= 3; impact++ {
		for effort := 1; effort <= 3; effort++ {
			counts[matrixQuadrant(impact, effort)] += t.cells[impact][effort]
		}
	}
	return counts
}

// drawMatrix draws items on the impact/effort matrix as an SVG element,
// or returns "" when no item has an impact and effort of 1–3 to place.
// Within a cell prevention items come first, then open ones before
// finished ones, then overdue ones; otherwise items keep the order given.
func drawMatrix(items []matrixItem) template.HTML {
	tally := matrixTally{}
	for _, it := range items {
		if !it.rated() {
			tally.unrated++
			continue
		}
		tally.cells[it.Impact][it.Effort]++
		tally.count(it)
	}
	return drawTallied(items, tally)
}

func (t *matrixTally) count(it matrixItem) {
	t.rated++
	if it.Prevention {
		t.prevention++
	}
	if it.Overdue {
		t.overdue++
	}
}

// drawCountedMatrix draws a matrix of which items holds only the first of
// each cell, in the order drawMatrix gives a cell, and counts says what
// each cell holds in all: a cell with more than it can show says how many
// more from its count, so a list of any length is drawn from a few dozen
// items. Unrated counts the items that could not be placed.
func drawCountedMatrix(items []matrixItem, counts []matrixCount, unrated int) template.HTML {
	tally := matrixTally{unrated: unrated}
	for _, c := range counts {
		if c.Impact < 1 || c.Impact > 3 || c.Effort < 1 || c.Effort > 3 {
			tally.unrated += c.Items
			continue
		}
		tally.cells[c.Impact][c.Effort] += c.Items
		tally.rated += c.Items
		tally.prevention += c.Prevention
		tally.overdue += c.Overdue
	}
	// A cell's count is never less than the items it was given, so that
	// every item given is drawn and counted.
	var given [4][4]int
	for _, it := range items {
		if it.rated() {
			given[it.Impact][it.Effort]++
		}
	}
	for impact := 1; impact <= 3; impact++ {
		for effort := 1; effort <= 3; effort++ {
			if extra := given[impact][effort] - tally.cells[impact][effort]; extra > 0 {
				tally.cells[impact][effort] += extra
				tally.rated += extra
			}
		}
	}
	return drawTallied(items, tally)
}

// drawTallied draws the rated items given, with the counts of the tally.
func drawTallied(items []matrixItem, tally matrixTally) template.HTML {
	var rated []matrixItem
	for _, it := range items {
		if it.rated() {
			rated = append(rated, it)
		}
	}
	if tally.rated == 0 {
		return ""
	}

	v := &matrixView{
		Width: matrixWidth, Height: matrixHeight,
		Title: "Impact/effort matrix", LegendY: matrixGridBottom + 56, LabelW: matrixLabelW,
		Desc: matrixDesc(&tally),
	}
	v.Regions = matrixRegions(&tally)
	v.Lines, v.Axis = matrixGrid()
	v.Badges, v.More = matrixBadges(rated, &tally)

	var b bytes.Buffer
	if err := matrixTemplate.Execute(&b, v); err != nil {
		// The template is fixed and its data typed; writing to a buffer
		// cannot fail. Drawing nothing beats half a drawing.
		return ""
	}
	return template.HTML(b.String()) // html/template escaped every value
}

// matrixBadges places each cell's items in its slots, in ranking order,
// with "+N more" in the last slot of a cell that holds more than its
// slots, by the tally's count.
func matrixBadges(items []matrixItem, tally *matrixTally) ([]matrixBadge, []matrixMore) {
	var cells [4][4][]matrixItem // [impact][effort], 1-based
	for _, it := range items {
		cells[it.Impact][it.Effort] = append(cells[it.Impact][it.Effort], it)
	}

	var badges []matrixBadge
	var more []matrixMore
	for impact := 3; impact >= 1; impact-- {
		for effort := 1; effort <= 3; effort++ {
			in := cells[impact][effort]
			slices.SortStableFunc(in, rankItems)
			cx, cy := matrixCell(impact, effort)
			shown := min(len(in), matrixSlots)
			if tally.cells[impact][effort] > matrixSlots {
				shown = min(shown, matrixSlots-1)
			}
			for k, it := range in[:shown] {
				x, y := matrixSlot(cx, cy, k)
				label := badgeLabel(orDefault(it.Label, "item"))
				badges = append(badges, matrixBadge{
					X: x, Y: y, W: matrixBadgeW, H: matrixBadgeH,
					TextX: x + matrixBadgeW/2, TextY: y + matrixBadgeH - 7, URL: it.URL,
					Label: label, Squeeze: labelUnits(label) >= matrixLabelRunes,
					Tooltip: matrixTooltip(it), Prevention: it.Prevention,
					Overdue: it.Overdue, Closed: it.closed(),
				})
			}
			if hidden := tally.cells[impact][effort] - shown; hidden > 0 {
				x, y := matrixSlot(cx, cy, shown)
				more = append(more, matrixMore{
					X: x, Y: y, W: matrixBadgeW, H: matrixBadgeH,
					TextX: x + matrixBadgeW/2, TextY: y + matrixBadgeH - 7,
					Text: "+" + strconv.Itoa(hidden) + " more",
					Tooltip: fmt.Sprintf("%d more item%s in this cell; the list names "+
						"them all", hidden, plural(hidden)),
				})
			}
		}
	}
	return badges, more
}

// badgeLabel fits a label in a badge. A long one loses its middle, not its
// end, since the end ("#12") tells one report's items apart; the tooltip
// has it whole.
func badgeLabel(s string) string {
	s = strings.Join(strings.Fields(xmlText(s)), " ")
	runes := []rune(s)
	if len(runes) <= matrixLabelRunes {
		return s
	}
	var tail []rune
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		tail = []rune(s[i+1:])
	}
	if len(tail) > matrixLabelRunes/2 {
		tail = nil
	}
	head := string(runes[:matrixLabelRunes-1-len(tail)])
	return strings.TrimRight(head, " -_.") + "…" + string(tail)
}

// labelUnits is a label's width in narrow letters, counting every letter
// outside ASCII as two: an estimate, since the drawing cannot measure its
// font, that errs towards squeezing.
func labelUnits(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x80 && r != '…' {
			n++
		}
	}
	return n
}

// rankItems orders a cell: prevention before mitigation, open before
// finished, overdue before on time.
func rankItems(a, b matrixItem) int {
	key := func(it matrixItem) int {
		k := 0
		if !it.Prevention {
			k += 4
		}
		if it.closed() {
			k += 2
		}
		if !it.Overdue {
			k++
		}
		return k
	}
	return key(a) - key(b)
}

func matrixTooltip(it matrixItem) string {
	var notes []string
	switch {
	case it.Prevention:
		notes = append(notes, "prevention")
	case it.NoPurpose:
		notes = append(notes, "purpose not set")
	default:
		notes = append(notes, "mitigation")
	}
	if it.Overdue {
		notes = append(notes, "overdue")
	}
	if it.Status != "" {
		notes = append(notes, shorten(40, xmlText(strings.ReplaceAll(it.Status, "_", " "))))
	}
	s := orDefault(it.Label, "item")
	if it.Title != "" {
		s += ": " + it.Title
	}
	return shorten(matrixTitleRunes, xmlText(s)) + " (" + strings.Join(notes, ", ") + ")"
}

// matrixRegions are the four quadrants with their counts.
func matrixRegions(tally *matrixTally) []matrixRegion {
	counts := tally.quadrants()
	regions := []matrixRegion{
		{X: 0, Y: 0, W: 2, H: 2, Fill: "#e6f4e8", Label: "Quick wins",
			Quadrant: quadrantQuickWin},
		{X: 2, Y: 0, W: 1, H: 2, Fill: "#e7eef8", Label: "Major projects",
			Quadrant: quadrantMajorProject},
		{X: 0, Y: 2, W: 2, H: 1, Fill: "#f5f7f9", Label: "Fill-ins",
			Quadrant: quadrantFillIn},
		{X: 2, Y: 2, W: 1, H: 1, Fill: "#f6eeee", Label: "Deprioritise",
			Quadrant: quadrantDeprioritise},
	}
	for i := range regions {
		r := &regions[i]
		r.X, r.Y = matrixLeft+r.X*matrixCellW, matrixTop+r.Y*matrixCellH
		r.W, r.H = r.W*matrixCellW, r.H*matrixCellH
		r.LabelX, r.LabelY = r.X+matrixPad, r.Y+17
		r.Count = counts[r.Quadrant]
	}
	return regions
}

// matrixGrid is the lines between cells and the axes' words.
func matrixGrid() ([]matrixLine, []matrixText) {
	var lines []matrixLine
	for i := 1; i < 3; i++ {
		x := matrixLeft + i*matrixCellW
		y := matrixTop + i*matrixCellH
		lines = append(lines,
			matrixLine{x, matrixTop, x, matrixGridBottom},
			matrixLine{matrixLeft, y, matrixLeft + 3*matrixCellW, y})
	}

	levels := []string{"low", "medium", "high"}
	var axis []matrixText
	for i, word := range levels {
		axis = append(axis,
			matrixText{X: matrixLeft + i*matrixCellW + matrixCellW/2,
				Y: matrixGridBottom + 18, Anchor: "middle", Text: word},
			matrixText{X: matrixLeft - 8, Y: matrixTop + (2-i)*matrixCellH + matrixCellH/2 + 4,
				Anchor: "end", Text: word})
	}
	axis = append(axis,
		matrixText{X: matrixLeft + 3*matrixCellW/2, Y: matrixGridBottom + 38,
			Anchor: "middle", Text: "Effort →"},
		matrixText{X: 18, Y: matrixTop + 3*matrixCellH/2, Anchor: "middle",
			Text: "Impact →", Rotate: true})
	return lines, axis
}

// matrixDesc says in words what the drawing shows: how many items fall in
// each quadrant, and how many could not be placed.
func matrixDesc(tally *matrixTally) string {
	counts := tally.quadrants()
	rated, prevention, overdue := tally.rated, tally.prevention, tally.overdue
	s := fmt.Sprintf("%d action item%s by impact and effort: %d quick win%s, "+
		"%d major project%s, %d fill-in%s and %d to deprioritise. %d %s prevention, "+
		"%d overdue.",
		rated, plural(rated),
		counts[quadrantQuickWin], plural(counts[quadrantQuickWin]),
		counts[quadrantMajorProject], plural(counts[quadrantMajorProject]),
		counts[quadrantFillIn], plural(counts[quadrantFillIn]),
		counts[quadrantDeprioritise], prevention, isAre(prevention), overdue)
	if unrated := tally.unrated; unrated > 0 {
		s += fmt.Sprintf(" %d item%s without an impact and effort %s not drawn.",
			unrated, plural(unrated), isAre(unrated))
	}
	return s
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// xmlText drops what XML cannot carry (control characters, U+FFFE and
// U+FFFF) and mends invalid UTF-8, so the drawing stays well-formed when
// it is served or saved as an SVG file, not only inside HTML.
func xmlText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}

// matrixTemplate draws the matrix. It is html/template, so every label,
// tooltip and link is escaped for where it stands, and a javascript: link
// comes out inert. The SVG is a group, not an image, since its links are
// meant to be followed; its title and description name it for a screen
// reader.
var matrixTemplate = template.Must(template.New("matrix").Parse(`<svg class="action-matrix" ` +
	`viewBox="0 0 {{.Width}} {{.Height}}" role="group" ` +
	`aria-labelledby="action-matrix-title action-matrix-desc" ` +
	`xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="inherit">
<title id="action-matrix-title">{{.Title}}</title>
<desc id="action-matrix-desc">{{.Desc}}</desc>
{{range .Regions}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"/>
{{end}}{{range .Lines}}<line x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}" ` +
	`stroke="#d8dee4" stroke-dasharray="3 3"/>
{{end}}{{range .Regions}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" ` +
	`fill="none" stroke="#57606a" stroke-width="1.5"/>
<text x="{{.LabelX}}" y="{{.LabelY}}" font-weight="700" font-size="13" fill="#1d232b">` +
	`{{.Label}} ({{.Count}})</text>
{{end}}{{range .Axis}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}" fill="#57606a"` +
	`{{if .Rotate}} transform="rotate(-90 {{.X}} {{.Y}})"{{end}}>{{.Text}}</text>
{{end}}{{range .Badges}}<a href="{{.URL}}"><title>{{.Tooltip}}</title>` +
	`<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="4" ` +
	`{{if .Prevention}}fill="#1f5fa8"{{else}}fill="#ffffff"{{end}} ` +
	`{{if .Overdue}}stroke="#a3161c" stroke-width="2.5" stroke-dasharray="4 2"` +
	`{{else}}stroke="#1f5fa8" stroke-width="1.5"{{end}}` +
	`{{if .Closed}} opacity="0.5"{{end}}/>` +
	`<text x="{{.TextX}}" y="{{.TextY}}" text-anchor="middle" font-size="11" ` +
	`{{if .Squeeze}}textLength="{{$.LabelW}}" lengthAdjust="spacingAndGlyphs" {{end}}` +
	`{{if and .Prevention (not .Closed)}}fill="#ffffff"{{else}}fill="#1d232b"{{end}}` +
	`{{if .Closed}} text-decoration="line-through"{{end}}>{{.Label}}</text></a>
{{end}}{{range .More}}<g><title>{{.Tooltip}}</title>` +
	`<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="4" fill="#f5f7f9" ` +
	`stroke="#57606a" stroke-dasharray="2 2"/>` +
	`<text x="{{.TextX}}" y="{{.TextY}}" text-anchor="middle" font-size="11" ` +
	`fill="#57606a" font-style="italic">{{.Text}}</text></g>
{{end}}` + matrixLegend + `</svg>`))

// matrixLegend explains the badges: fill for prevention, a dashed red edge
// for overdue, struck-through and faded for finished work.
const matrixLegend = `<g font-size="11" fill="#1d232b">` +
	`<rect x="84" y="{{.LegendY}}" width="28" height="14" rx="3" fill="#1f5fa8" ` +
	`stroke="#1f5fa8"/><text x="118" y="{{.LegendY}}" dy="11">prevention</text>` +
	`<rect x="214" y="{{.LegendY}}" width="28" height="14" rx="3" fill="#ffffff" ` +
	`stroke="#1f5fa8" stroke-width="1.5"/>` +
	`<text x="248" y="{{.LegendY}}" dy="11">mitigation</text>` +
	`<rect x="344" y="{{.LegendY}}" width="28" height="14" rx="3" fill="#ffffff" ` +
	`stroke="#a3161c" stroke-width="2.5" stroke-dasharray="4 2"/>` +
	`<text x="378" y="{{.LegendY}}" dy="11">overdue</text>` +
	`<rect x="464" y="{{.LegendY}}" width="28" height="14" rx="3" fill="#ffffff" ` +
	`stroke="#1f5fa8" opacity="0.5"/>` +
	`<text x="498" y="{{.LegendY}}" dy="11" text-decoration="line-through">done</text>` +
	`</g>`
