package debrief

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// How alerts become incidents. A group (Alertmanager's groupKey, a
// PagerDuty incident, an Opsgenie alias) belongs to one incident while it
// lasts; its alerts are folded into that incident one event at a time:
// each event moves its alert's state, and the incident's status and
// moments follow from all its alerts. The rules are here, not in a store,
// so that both stores fold alike and a test can read them.

// OpensNewIncident reports whether ev starts a new incident rather than
// joining in, the incident its group last opened: a group keeps its key
// after it resolves, so an alert that fires after the resolution is a new
// incident. A late event from before the resolution still joins in.
func OpensNewIncident(in *Incident, ev AlertEvent) bool {
	return in.Status == IncidentResolved && ev.Status == AlertFiring &&
		!in.ResolvedAt.IsZero() && ev.At.After(in.ResolvedAt)
}

// NewAlertIncident is the incident a first alert opens, without an ID.
func NewAlertIncident(ev AlertEvent) Incident {
	title := strings.TrimSpace(ev.Title)
	if title == "" {
		title = string(ev.Source) + " alert " + ev.GroupKey
	}
	return Incident{Title: clip(title, MaxTitleLen), Status: IncidentOpen}
}

// IncidentIDBase is the ID an incident would get before a number is added
// to keep it unique: "inc-2026-03-07-checkout-502s", from the start date
// (or now) and the title.
func IncidentIDBase(in *Incident, now time.Time) string {
	day := in.StartedAt
	if day.IsZero() {
		day = now
	}
	return strings.TrimSuffix("inc-"+day.UTC().Format("2006-01-02")+"-"+Slug(in.Title), "-")
}

// EventKey identifies an alert event, so that the same event delivered
// twice is recorded once. A state change is the same event when it names
// the same alert, state and time, whatever its text says (Alertmanager
// repeats a firing group with fresh annotation values); a note is the same
// when its time and text are.
func (ev AlertEvent) EventKey() string {
	h := sha256.New()
	for _, part := range []string{string(ev.Source), ev.AlertKey, string(ev.Status),
		string(ev.Kind), ev.At.UTC().Format(time.RFC3339Nano)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	if ev.Status == "" {
		h.Write([]byte(ev.Text))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// maxAlertURL is the longest alert link kept; a longer one is left out
// rather than cut, which would break it.
const maxAlertURL = 2048

// FoldAlert applies a new event to its incident and the incident's alerts
// (by key; the alert is added when missing) and returns the entry it adds
// to the incident's timeline. Call it only for events not recorded before.
func FoldAlert(in *Incident, alerts map[string]*Alert, ev AlertEvent) IncidentEvent {
	a := alerts[ev.AlertKey]
	if a == nil {
		a = &Alert{IncidentID: in.ID, Source: ev.Source, Key: ev.AlertKey,
			Title: clip(ev.Title, MaxTitleLen), Status: AlertFiring}
		alerts[ev.AlertKey] = a
	}
	prevSeverity := a.Severity
	foldAlertState(a, ev)
	foldIncidentFacts(in, ev)
	foldIncidentState(in, alerts, a, prevSeverity, ev)
	return IncidentEvent{
		IncidentID: in.ID, At: ev.At.UTC(), Kind: ev.Kind, Source: ev.Source,
		AlertKey: ev.AlertKey, Status: ev.Status, Text: clip(ev.Text, MaxTextLen),
	}
}

// foldAlertState moves the alert's state and span. An event older than
// the one that set the state now (a delivery that arrived late), or one
// that changes no state (a note), only fills in what is not known. An
// alert firing again after it ended starts a new span.
func foldAlertState(a *Alert, ev AlertEvent) {
	if ev.URL != "" && len(ev.URL) <= maxAlertURL && (a.URL == "" || !ev.At.Before(a.ChangedAt)) {
		a.URL = ev.URL
	}
	// A tool that gives no start (PagerDuty without created_at) has the
	// alert known from its first event on.
	start := ev.StartsAt
	if start.IsZero() {
		start = ev.At
	}
	if ev.Status == "" || ev.At.Before(a.ChangedAt) {
		if a.Severity == "" {
			a.Severity = ev.Severity
		}
		if a.StartsAt.IsZero() {
			a.StartsAt = start.UTC()
		}
		return
	}
	if ev.Status == AlertFiring && !a.EndsAt.IsZero() {
		a.StartsAt, a.EndsAt = time.Time{}, time.Time{}
	}
	setEarliest(&a.StartsAt, start)
	if ev.Severity != "" {
		a.Severity = ev.Severity
	}
	a.Status, a.ChangedAt = ev.Status, ev.At.UTC()
	if ev.Status == AlertResolved {
		a.EndsAt = ev.EndsAt.UTC()
		if ev.EndsAt.IsZero() {
			a.EndsAt = ev.At.UTC()
		}
	}
}

// foldIncidentFacts adds what the event says about the incident without
// taking away what is known: services, category, impact flags, and a title
// when there is none.
func foldIncidentFacts(in *Incident, ev AlertEvent) {
	if in.Title == "" && ev.Title != "" {
		in.Title = clip(ev.Title, MaxTitleLen)
	}
	for _, s := range ev.Services {
		if s != "" && !slices.ContainsFunc(in.Services, func(t string) bool {
			return strings.EqualFold(s, t)
		}) && len(in.Services) < MaxListLen {
			in.Services = append(in.Services, clip(s, MaxTitleLen))
		}
	}
	if in.Category == "" {
		in.Category = ev.Category
	}
	in.UserImpact = in.UserImpact || ev.UserImpact
	in.CriticalProcess = in.CriticalProcess || ev.CriticalProcess
}

// foldIncidentState derives the incident's status, severity and moments
// from its alerts after alert a changed (its severity was prevSeverity).
// The incident is resolved when every alert is, at the last alert's end;
// acknowledged when every alert still open is; open otherwise. It is as
// severe as its most severe alert, or as a person set it when that is
// more severe. The alerts are scanned only as far as needed, so that a
// storm folding into one group stays linear while alerts keep firing.
func foldIncidentState(
	in *Incident,
	alerts map[string]*Alert,
	a *Alert,
	prevSeverity Severity,
	ev AlertEvent,
) {
	setEarliest(&in.StartedAt, ev.StartsAt)
	if ev.Status == AlertFiring {
		setEarliest(&in.StartedAt, ev.At)
		setEarliest(&in.DetectedAt, ev.At)
	}
	if ev.Status == AlertAcknowledged {
		setEarliest(&in.AcknowledgedAt, ev.At)
	}

	switch {
	case a.Severity != "" && (in.Severity == "" || a.Severity < in.Severity):
		in.Severity = a.Severity
	case a.Severity != prevSeverity && prevSeverity == in.Severity:
		// The alert that made the incident this severe was re-ranked (a
		// PagerDuty priority lowered): the most severe alert decides.
		if sev := mostSevere(alerts); sev != "" {
			in.Severity = sev
		}
	}
	foldIncidentStatus(in, alerts, a)
}

// foldIncidentStatus sets the incident's status and resolution from its
// alerts; one alert firing is enough to know it is open.
func foldIncidentStatus(in *Incident, alerts map[string]*Alert, a *Alert) {
	if a.Status == AlertFiring {
		in.Status, in.ResolvedAt = IncidentOpen, time.Time{}
		return
	}
	var acked int
	var lastEnd time.Time
	for _, o := range alerts {
		switch o.Status {
		case AlertResolved:
			if o.EndsAt.After(lastEnd) {
				lastEnd = o.EndsAt
			}
		case AlertAcknowledged:
			acked++
		default:
			in.Status, in.ResolvedAt = IncidentOpen, time.Time{}
			return
		}
	}
	if acked > 0 {
		in.Status, in.ResolvedAt = IncidentAcknowledged, time.Time{}
		return
	}
	in.Status, in.ResolvedAt = IncidentResolved, lastEnd
	if in.StartedAt.After(lastEnd) {
		in.ResolvedAt = in.StartedAt
	}
}

// mostSevere is the severity of the most severe alert, or "" when none
// has one.
func mostSevere(alerts map[string]*Alert) Severity {
	var sev Severity
	for _, a := range alerts {
		if a.Severity != "" && (sev == "" || a.Severity < sev) {
			sev = a.Severity
		}
	}
	return sev
}

// setEarliest sets *t to at when at is known and earlier than *t or *t is
// not known.
func setEarliest(t *time.Time, at time.Time) {
	if !at.IsZero() && (t.IsZero() || at.Before(*t)) {
		*t = at.UTC()
	}
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
