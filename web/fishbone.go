package web

import (
	"strconv"

	"github.com/debrief-oss/debrief"
)

// Geometry of the fishbone (Ishikawa) diagram: a spine to the incident at
// the right, three bones above and three below, each cause a line of text
// beside its bone. Long lists are cut; the grouped list below is complete.
const (
	fishWidth     = 960
	fishHeight    = 420
	fishSpineY    = 210
	fishBoneRise  = 160 // vertical reach of a bone from the spine
	fishBoneSlant = 120 // horizontal reach, so bones lean back from the head
	fishHeadX     = 840
	fishMaxCauses = 4
	fishCauseStep = 30
	fishTextRunes = 26
)

var fishBoneX = [3]float64{300, 540, 780}

type fishbone struct {
	Width, Height int
	SpineY        int
	HeadX         int
	Bones         []fishBone
}

type fishBone struct {
	Label          string
	X1, Y1, X2, Y2 float64 // from the spine out to the label end
	LabelY         float64
	Causes         []fishCause
}

type fishCause struct {
	X, Y  float64
	Text  string // shortened to fit
	Full  string // the tooltip
	Class string
}

// newFishbone lays out the six bones of the guide, or returns nil when the
// report names no causes. Causes outside the six categories appear only in
// the list, since the diagram has no bone for them.
func newFishbone(causes []debrief.Cause) *fishbone {
	if len(causes) == 0 {
		return nil
	}
	f := &fishbone{Width: fishWidth, Height: fishHeight, SpineY: fishSpineY, HeadX: fishHeadX}
	for i, cat := range debrief.FishboneCategories {
		f.Bones = append(f.Bones, layoutBone(i, cat, causes))
	}
	return f
}

func layoutBone(i int, cat debrief.FishboneCategory, causes []debrief.Cause) fishBone {
	up := i < 3
	sx := fishBoneX[i%3]
	dir := 1.0 // +1 draws below the spine, -1 above
	if up {
		dir = -1
	}

	b := fishBone{
		Label: string(cat),
		X1:    sx, Y1: fishSpineY,
		X2: sx - fishBoneSlant, Y2: fishSpineY + dir*fishBoneRise,
	}
	b.LabelY = b.Y2 + dir*14

	var mine []debrief.Cause
	for _, c := range causes {
		if c.Category == cat {
			mine = append(mine, c)
		}
	}
	for j, c := range mine {
		if j == fishMaxCauses {
			more := strconv.Itoa(len(mine)-fishMaxCauses) + " more in the list below"
			b.Causes = append(b.Causes, boneText(b, j, "+"+more, "", "cause-more"))
			break
		}
		b.Causes = append(b.Causes, boneText(b, j, c.Text, c.Text, "cause-"+causeClass(c.Kind)))
	}
	return b
}

// boneText places the j-th cause beside its bone, starting from the outer
// end so the first cause sits near the category label.
func boneText(b fishBone, j int, text, full, class string) fishCause {
	frac := (20 + float64(j*fishCauseStep)) / fishBoneRise
	y := b.Y2 + (b.Y1-b.Y2)*frac
	x := b.X2 + (b.X1-b.X2)*frac
	return fishCause{X: x - 6, Y: y + 4, Text: shorten(fishTextRunes, text), Full: full, Class: class}
}

func causeClass(k debrief.CauseKind) string {
	if k == "" {
		return "unjudged"
	}
	return string(k)
}
