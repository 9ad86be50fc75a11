package timestamp

import (
	"fmt"
	"time"
)

// wallToUTC turns the wall clock on t's date in loc into a UTC moment. In a
// zone that follows daylight saving a wall time can be missing (the clocks
// jumped over it) or occur twice (they went back); time.Date picks a moment
// for either without saying so, so both are flagged here instead.
func (t *Time) wallToUTC(loc *time.Location, hour, minute, sec int) time.Time {
	date := fmt.Sprintf("%04d-%02d-%02d", t.Year, t.Month, t.Day)
	wall := fmt.Sprintf("%02d:%02d", hour, minute)
	moments := wallMoments(loc, t.Year, time.Month(t.Month), t.Day, hour, minute, sec)
	switch len(moments) {
	case 0:
		t.impossible(fmt.Sprintf("%s does not exist on %s in %s: the clocks moved forward",
			wall, date, loc))
		return time.Time{}
	case 1:
		return moments[0]
	}
	t.addFlag(FlagApproximate)
	t.Problem = fmt.Sprintf("%s occurs twice on %s in %s: the clocks moved back; "+
		"read as the first", wall, date, loc)
	return moments[0]
}

// wallMoments returns the UTC moments, earliest first, at which loc's clocks
// show the given wall time: none in a daylight saving gap, two in an overlap.
func wallMoments(loc *time.Location, y int, m time.Month, d, hh, mm, ss int) []time.Time {
	asUTC := time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
	// The offsets a day either side cover any transition near the wall time.
	_, before := asUTC.Add(-24 * time.Hour).In(loc).Zone()
	_, after := asUTC.Add(24 * time.Hour).In(loc).Zone()
	var out []time.Time
	for _, off := range []int{before, after} {
		u := asUTC.Add(-time.Duration(off) * time.Second)
		if sameWall(u.In(loc), asUTC) && (len(out) == 0 || !out[0].Equal(u)) {
			out = append(out, u)
		}
	}
	if len(out) == 2 && out[1].Before(out[0]) {
		out[0], out[1] = out[1], out[0]
	}
	return out
}

// sameWall reports whether local shows the same date and clock as wall.
func sameWall(local, wall time.Time) bool {
	y1, m1, d1 := local.Date()
	y2, m2, d2 := wall.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && local.Hour() == wall.Hour() &&
		local.Minute() == wall.Minute() && local.Second() == wall.Second()
}
