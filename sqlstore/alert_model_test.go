package sqlstore_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// alertModel folds events one at a time in memory, by the domain's rules,
// as the store must however it batches them: an event recorded before (in
// any incident) changes nothing; the others join their group's last
// incident or open a new one. Incident moments are kept as stored, at
// microseconds.
type alertModel struct {
	groups    map[string]string // group key → incident ID
	incidents map[string]*debrief.Incident
	alerts    map[string]map[string]*debrief.Alert
	events    map[string][]debrief.IncidentEvent
	recorded  map[string]string // group and event key → incident ID
	opened    map[string]int    // ID base → incidents opened under it
}

func newAlertModel() *alertModel {
	return &alertModel{groups: map[string]string{}, incidents: map[string]*debrief.Incident{},
		alerts: map[string]map[string]*debrief.Alert{},
		events: map[string][]debrief.IncidentEvent{}, recorded: map[string]string{},
		opened: map[string]int{}}
}

func (m *alertModel) record(payloadID int64, evs []debrief.AlertEvent) []debrief.IncidentChange {
	var changes []debrief.IncidentChange
	at := map[string]int{}
	touch := func(id string, before debrief.IncidentStatus, created bool) *debrief.IncidentChange {
		if i, ok := at[id]; ok {
			return &changes[i]
		}
		at[id] = len(changes)
		changes = append(changes, debrief.IncidentChange{IncidentID: id, Before: before,
			Created: created})
		return &changes[len(changes)-1]
	}
	for _, ev := range evs {
		key := ev.GroupKey + "\x00" + ev.EventKey()
		if id, ok := m.recorded[key]; ok {
			touch(id, m.incidents[id].Status, false)
			continue
		}
		in := m.incidents[m.groups[ev.GroupKey]]
		if in == nil || debrief.OpensNewIncident(in, ev) {
			n := debrief.NewAlertIncident(ev)
			base := debrief.IncidentIDBase(&n, ev.At)
			m.opened[base]++
			n.ID = base
			if k := m.opened[base]; k > 1 {
				n.ID += "-" + strconv.Itoa(k)
			}
			in = &n
			m.incidents[n.ID], m.alerts[n.ID], m.groups[ev.GroupKey] = in, map[string]*debrief.Alert{},
				n.ID
			touch(n.ID, "", true)
		}
		c := touch(in.ID, in.Status, false)
		e := debrief.FoldAlert(in, m.alerts[in.ID], ev)
		for _, t := range in.Moments() {
			*t = utc(*t)
		}
		e.PayloadID = payloadID
		m.events[in.ID] = append(m.events[in.ID], e)
		m.recorded[key] = in.ID
		c.Events++
	}
	for i := range changes {
		changes[i].After = m.incidents[changes[i].IncidentID].Status
	}
	return changes
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// randomEvents returns n events of two groups about a few alerts, at
// random times with nanoseconds, with repeats. The groups' alerts have the
// same keys, as a generic sender's may.
func randomEvents(r *rand.Rand, n int) []debrief.AlertEvent {
	start := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	statuses := []debrief.AlertStatus{debrief.AlertFiring, debrief.AlertFiring,
		debrief.AlertAcknowledged, debrief.AlertResolved, debrief.AlertResolved, ""}
	var evs []debrief.AlertEvent
	for len(evs) < n {
		if len(evs) > 0 && r.IntN(8) == 0 {
			evs = append(evs, evs[r.IntN(len(evs))]) // a repeat
			continue
		}
		group := []string{"a", "b"}[r.IntN(2)]
		ev := debrief.AlertEvent{Source: debrief.SourceAlertmanager, GroupKey: group,
			AlertKey: "k" + strconv.Itoa(r.IntN(3)), Status: statuses[r.IntN(len(statuses))],
			At:    start.Add(time.Duration(r.Int64N(int64(4 * time.Hour)))),
			Title: "Group " + group, Text: "event " + strconv.Itoa(len(evs)),
			Severity: debrief.Severity("P" + strconv.Itoa(1+r.IntN(4))),
			Services: []string{"svc-" + strconv.Itoa(r.IntN(3))}}
		if r.IntN(3) == 0 {
			ev.StartsAt = ev.At.Add(-time.Duration(r.Int64N(int64(time.Hour))))
		}
		if ev.Status == debrief.AlertResolved && r.IntN(2) == 0 {
			ev.EndsAt = ev.At.Add(-time.Duration(r.Int64N(int64(time.Minute))))
		}
		evs = append(evs, ev)
	}
	return evs
}

// TestRecordAlertsFoldsAsOneEventAtATime: however events are cut into
// payloads, the store ends where folding them one at a time does, and
// reports the same changes for each payload.
func TestRecordAlertsFoldsAsOneEventAtATime(t *testing.T) {
	for seed := range uint64(6) {
		// A subtest of its own: eachStore's names repeated would get a "#",
		// which a SQLite file name must not hold (see sqliteDSN).
		t.Run(fmt.Sprint("seed-", seed), func(t *testing.T) {
			eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
				foldLikeModel(t, db, rand.New(rand.NewPCG(seed, 8)))
			})
		})
	}
}

// foldLikeModel records random events, cut into payloads at random, and
// compares each payload's changes and the end state with the model's.
func foldLikeModel(t *testing.T, db *sqlstore.DB, r *rand.Rand) {
	ctx := context.Background()
	evs := randomEvents(r, 120)
	m := newAlertModel()
	for i := 0; len(evs) > 0; i++ {
		n := min(len(evs), 1+r.IntN(30))
		p := savePayload(t, db, fmt.Sprint("payload ", i))
		got, err := db.RecordAlerts(ctx, p.ID, evs[:n])
		if err != nil {
			t.Fatal(err)
		}
		want := m.record(p.ID, evs[:n])
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Fatalf("payload %d: changes (-model +store):\n%s", i, diff)
		}
		evs = evs[n:]
	}
	compareWithModel(t, db, m)
}

func compareWithModel(t *testing.T, db *sqlstore.DB, m *alertModel) {
	t.Helper()
	ctx := context.Background()
	_, total, err := db.Incidents(ctx, debrief.IncidentFilter{})
	if err != nil || total != len(m.incidents) {
		t.Fatalf("%d incidents (%v), the model has %d", total, err, len(m.incidents))
	}
	for id, want := range m.incidents {
		if diff := gocmp.Diff(*want, incident(t, db, id)); diff != "" {
			t.Errorf("incident %s (-model +store):\n%s", id, diff)
		}
		var wantAlerts []debrief.Alert
		for _, a := range m.alerts[id] {
			wantAlerts = append(wantAlerts, *a)
		}
		slices.SortFunc(wantAlerts, byStart)
		if diff := gocmp.Diff(wantAlerts, alerts(t, db, id)); diff != "" {
			t.Errorf("alerts of %s (-model +store):\n%s", id, diff)
		}
		wantEvents := slices.Clone(m.events[id])
		slices.SortStableFunc(wantEvents, func(a, b debrief.IncidentEvent) int {
			return a.At.Compare(b.At)
		})
		if diff := gocmp.Diff(wantEvents, incidentEvents(t, db, id)); diff != "" {
			t.Errorf("events of %s (-model +store):\n%s", id, diff)
		}
	}
}

// byStart orders alerts as Alerts returns them: by start, those without
// one last, then by key.
func byStart(a, b debrief.Alert) int {
	if az, bz := a.StartsAt.IsZero(), b.StartsAt.IsZero(); az != bz {
		if az {
			return 1
		}
		return -1
	}
	return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.Key, b.Key))
}
