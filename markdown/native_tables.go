package markdown

import (
	"strconv"

	"github.com/debrief-oss/debrief"
)

// nativeTableHeaders gives each table context the header Write uses.
var nativeTableHeaders = map[string][]string{
	nativeInTimeline: nativeTimelineHeader,
	nativeInCauses:   nativeCauseHeader,
	nativeInFactors:  nativeFactorHeader,
	nativeInImpacts:  nativeImpactHeader,
	nativeInActions:  nativeActionHeader,
	nativeInTeam:     nativeTeamHeader,
	nativeInLinks:    nativeLinkHeader,
}

// nativeRowDecoders turn a table row of the right width into the report's data.
var nativeRowDecoders = map[string]func(d *nativeBody, i int, cells []string) error{
	nativeInTimeline: (*nativeBody).timelineRow,
	nativeInCauses:   (*nativeBody).causeRow,
	nativeInFactors:  (*nativeBody).factorRow,
	nativeInImpacts:  (*nativeBody).impactRow,
	nativeInActions:  (*nativeBody).actionRow,
	nativeInTeam:     (*nativeBody).teamRow,
	nativeInLinks:    (*nativeBody).linkRow,
}

// tableRow reads one line of a table: its header, its delimiter row, or a
// row of data. A row of the wrong width is an error rather than a warning:
// guessing which cell went missing would put text in the wrong field.
func (d *nativeBody) tableRow(i int, ctx, t string) error {
	cells, ok := splitNativeRow(t)
	if !ok {
		d.warn(i, "a line that is not a table row is ignored")
		return nil
	}
	want := len(nativeTableHeaders[ctx])
	switch {
	case d.header == nil:
		if len(cells) != want {
			return d.invalid(i, "the %s table has %d columns; it must have %d",
				ctx, len(cells), want)
		}
		d.header = cells
		return nil
	case !d.delimiter:
		if !isNativeDelimiter(cells) || len(cells) != want {
			return d.invalid(i, "the %s table's header must be followed by a "+
				"delimiter row of %d cells such as | --- |", ctx, want)
		}
		d.delimiter = true
		return nil
	case len(cells) != want:
		return d.invalid(i, "this %s row has %d cells; the table has %d columns "+
			"(write | inside a cell as \\|)", ctx, len(cells), want)
	}
	return nativeRowDecoders[ctx](d, i, cells)
}

func (d *nativeBody) timelineRow(i int, c []string) error {
	nativeAt, err := parseNativeTime(c[1])
	if err != nil {
		return d.invalid(i, "the timeline time %q is not an RFC 3339 time such as %s",
			c[1], "2024-03-07T14:02:00Z")
	}
	d.p.Timeline = append(d.p.Timeline, debrief.TimelineEvent{
		Time: nativeAt, TimeText: c[2], Kind: debrief.EventKind(c[3]), Text: c[4],
		Source: c[5], Flag: c[6],
	})
	return nil
}

func (d *nativeBody) causeRow(_ int, c []string) error {
	d.p.Analysis.Causes = append(d.p.Analysis.Causes, debrief.Cause{
		Category: debrief.FishboneCategory(c[0]), Text: c[1], Kind: debrief.CauseKind(c[2]),
	})
	return nil
}

func (d *nativeBody) factorRow(_ int, c []string) error {
	d.p.ContributingFactors = append(d.p.ContributingFactors, debrief.ContributingFactor{
		Category: debrief.FactorCategory(c[0]), Description: c[1], HowContributed: c[2],
	})
	return nil
}

func (d *nativeBody) impactRow(i int, c []string) error {
	im := debrief.Impact{Kind: debrief.ImpactKind(c[0]), Description: c[1],
		Money: c[5], Currency: c[6]}
	if c[2] != "" {
		f, err := strconv.ParseFloat(c[2], 64)
		if err != nil {
			return d.invalid(i, "minutes down %q is not a number", c[2])
		}
		im.MinutesDown = &f
	}
	var err error
	if im.UsersAffected, err = parseNativeCount(c[3]); err != nil {
		return d.invalid(i, "users affected %q is not a whole number", c[3])
	}
	if im.FailedTransactions, err = parseNativeCount(c[4]); err != nil {
		return d.invalid(i, "failed transactions %q is not a whole number", c[4])
	}
	d.p.Impacts = append(d.p.Impacts, im)
	return nil
}

// parseNativeCount reads a quantity; an empty cell is an unknown one.
func parseNativeCount(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

func (d *nativeBody) actionRow(i int, c []string) error {
	n, err := strconv.Atoi(c[0])
	if err != nil {
		return d.invalid(i, "the action item number %q is not a whole number", c[0])
	}
	var team bool
	switch c[3] {
	case "", "no":
	case "yes":
		team = true
	default:
		return d.invalid(i, "the team owner cell must be \"yes\" or empty, not %q", c[3])
	}
	d.p.ActionItems = append(d.p.ActionItems, debrief.ActionItem{
		Number: n, Description: c[1], Owner: c[2], OwnerIsTeam: team, Due: c[4],
		Impact: debrief.Level(c[5]), Effort: debrief.Level(c[6]),
		Category: debrief.ActionCategory(c[7]), Purpose: debrief.Purpose(c[8]),
		SuccessMetric: c[9], Verification: c[10], Status: debrief.ActionStatus(c[11]),
		BlockedReason: c[12], TrackerURL: c[13],
	})
	return nil
}

func (d *nativeBody) teamRow(_ int, c []string) error {
	d.p.Team = append(d.p.Team, debrief.TeamMember{Name: c[0], Role: debrief.Role(c[1])})
	return nil
}

func (d *nativeBody) linkRow(_ int, c []string) error {
	d.p.Links = append(d.p.Links, debrief.Link{Title: c[0], URL: c[1]})
	return nil
}
