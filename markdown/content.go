package markdown

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

var reBoldLead = regexp.MustCompile(`^\*\*([^*]+?)\*\*\s*[:.-]?\s*(.*)$`)

// readFactors takes one contributing factor per list item; "**Name**: how"
// splits into description and how it contributed. The category stays empty:
// reports rarely state one and guessing would mislead trend analysis.
func (r *reportReader) readFactors(s *srcSection) {
	var notes []srcBlock
	lists := 0
	for _, b := range s.blocks {
		if b.kind == blockList {
			lists++
		}
	}
	for _, b := range s.blocks {
		switch {
		case b.kind == blockList:
			r.factorList(b)
		case b.kind == blockParagraph && lists == 0:
			r.addFactor(strings.Join(trimLines(b.lines), " "))
		default:
			notes = append(notes, b)
		}
	}
	if text := s.markdownOf(notes); text != "" {
		r.keep(s.heading, text)
	}
}

func (r *reportReader) factorList(b srcBlock) {
	for _, it := range b.items {
		fs := r.pm.ContributingFactors
		if it.depth > 0 && len(fs) > 0 {
			fs[len(fs)-1].HowContributed = joinText(fs[len(fs)-1].HowContributed, cleanInline(it.text))
			continue
		}
		r.addFactor(it.text)
	}
}

func (r *reportReader) addFactor(text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	f := debrief.ContributingFactor{Description: cleanInline(text)}
	if m := reBoldLead.FindStringSubmatch(text); m != nil && m[2] != "" {
		f.Description, f.HowContributed = cleanInline(m[1]), cleanInline(m[2])
	}
	r.pm.ContributingFactors = append(r.pm.ContributingFactors, f)
	r.factors++
}

// readLessons takes one lesson per list item or paragraph, of the kind the
// heading names ("What went well", "Where we got lucky").
func (r *reportReader) readLessons(s *srcSection) {
	kind := s.lessonKind
	if kind == "" {
		kind = debrief.LessonGeneral
	}
	var notes []srcBlock
	for _, b := range s.blocks {
		switch b.kind {
		case blockList:
			for _, it := range b.items {
				r.addLesson(kind, it.text)
			}
		case blockParagraph, blockQuote:
			r.addLesson(kind, strings.Join(trimLines(b.lines), "\n"))
		default:
			notes = append(notes, b)
		}
	}
	if text := s.markdownOf(notes); text != "" {
		r.keep(s.heading, text)
	}
}

func (r *reportReader) addLesson(kind debrief.LessonKind, text string) {
	if text = strings.TrimSpace(text); text != "" {
		r.pm.Lessons = append(r.pm.Lessons, debrief.Lesson{Kind: kind, Text: text})
		r.lessons++
	}
}

// readAttendees takes names from list items (or comma-separated lines).
func (r *reportReader) readAttendees(s *srcSection) {
	var names []string
	for _, b := range s.blocks {
		switch b.kind {
		case blockList:
			for _, it := range b.items {
				names = append(names, cleanInline(it.text))
			}
		case blockParagraph:
			for _, n := range strings.Split(strings.Join(trimLines(b.lines), ","), ",") {
				names = append(names, cleanInline(n))
			}
		default:
			r.keep(s.heading, strings.Join(b.lines, "\n"))
		}
	}
	for _, n := range names {
		if n == "" {
			continue
		}
		r.pm.Meeting.Attendees = append(r.pm.Meeting.Attendees, n)
		r.pm.Team = append(r.pm.Team, debrief.TeamMember{Name: n, Role: debrief.RoleAttendee})
	}
}

func trimLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

var (
	reDowntime = regexp.MustCompile(`(?i)\b(\d+(?:\.\d+)?)\s*(hours?|hrs?|minutes?|mins?)` +
		`(?:\s+and\s+(\d+)\s*(?:minutes?|mins?))?\s+(?:of\s+)?(?:downtime|outage|unavailability)`)
	reLasting = regexp.MustCompile(`(?i)\b(?:outage|downtime|disruption)\s+(?:lasting|of)\s+` +
		`(\d+(?:\.\d+)?)\s*(hours?|hrs?|minutes?|mins?)(?:\s+and\s+(\d+)\s*(?:minutes?|mins?))?`)
	reUsers = regexp.MustCompile(`(?i)\b(\d{1,3}(?:,\d{3})+|\d+)\s+(?:users|customers)\b`)
)

// readImpact turns the impact sections into one impact with the quantities
// stated plainly; a quantity stated twice differently is left out.
func (r *reportReader) readImpact(texts []string) {
	text := strings.Join(texts, "\n\n")
	if strings.TrimSpace(text) == "" {
		return
	}
	im := debrief.Impact{Description: text}
	if mins, ok := onlyMinutes(text); ok {
		im.MinutesDown = &mins
	}
	if users, ok := onlyUsers(text); ok {
		im.UsersAffected = &users
	}
	if regexp.MustCompile(`(?i)\b(?:customers?|users?)\b`).MatchString(text) {
		im.Kind = debrief.ImpactCustomer
	}
	r.pm.Impacts = append(r.pm.Impacts, im)
}

func onlyMinutes(text string) (float64, bool) {
	found := map[float64]bool{}
	for _, re := range []*regexp.Regexp{reDowntime, reLasting} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			n, _ := strconv.ParseFloat(m[1], 64)
			if strings.HasPrefix(strings.ToLower(m[2]), "h") {
				n *= 60
			}
			if m[3] != "" {
				extra, _ := strconv.ParseFloat(m[3], 64)
				n += extra
			}
			found[n] = true
		}
	}
	for n := range found {
		return n, len(found) == 1
	}
	return 0, false
}

func onlyUsers(text string) (int64, bool) {
	found := map[int64]bool{}
	for _, m := range reUsers.FindAllStringSubmatch(text, -1) {
		n, err := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
		if err == nil {
			found[n] = true
		}
	}
	for n := range found {
		return n, len(found) == 1
	}
	return 0, false
}
