package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// savePayload stores body as a new payload from Alertmanager.
func savePayload(t *testing.T, db *sqlstore.DB, body string) *debrief.Payload {
	t.Helper()
	p := &debrief.Payload{Source: debrief.SourceAlertmanager, ContentType: "application/json",
		Body: []byte(body)}
	replay, err := db.SavePayload(context.Background(), p)
	if err != nil {
		t.Fatalf("save payload: %v", err)
	}
	if replay {
		t.Fatalf("payload %q is a replay", body)
	}
	return p
}

// receive stores a payload of its own for events and records them.
func receive(
	t *testing.T,
	db *sqlstore.DB,
	events ...debrief.AlertEvent,
) []debrief.IncidentChange {
	t.Helper()
	p := savePayload(t, db, fmt.Sprintf("%v %s", events, randomHex(t, 4)))
	changes, err := db.RecordAlerts(context.Background(), p.ID, events)
	if err != nil {
		t.Fatalf("record alerts: %v", err)
	}
	return changes
}

// alert is an event of an Alertmanager group "checkout" about one alert.
func alert(key string, status debrief.AlertStatus, when string) debrief.AlertEvent {
	kinds := map[debrief.AlertStatus]debrief.EventKind{
		debrief.AlertFiring:       debrief.EventDetection,
		debrief.AlertAcknowledged: debrief.EventEscalation,
		debrief.AlertResolved:     debrief.EventResolution,
	}
	ev := debrief.AlertEvent{Source: debrief.SourceAlertmanager, GroupKey: "{}:{job=\"checkout\"}",
		AlertKey: key, Status: status, Kind: kinds[status], At: at(when),
		Title: "Checkout 502s", Text: key + " " + string(status), Severity: "P2",
		Services: []string{"checkout"}, Category: debrief.CategoryAvailability}
	if status == debrief.AlertResolved {
		ev.EndsAt = ev.At
	}
	return ev
}

func incident(t *testing.T, db *sqlstore.DB, id string) debrief.Incident {
	t.Helper()
	s, err := db.Incident(context.Background(), id)
	if err != nil {
		t.Fatalf("read incident %s: %v", id, err)
	}
	return s.Incident
}

func incidentEvents(t *testing.T, db *sqlstore.DB, id string) []debrief.IncidentEvent {
	t.Helper()
	es, err := db.IncidentEvents(context.Background(), id)
	if err != nil {
		t.Fatalf("read incident events: %v", err)
	}
	return es
}

func alerts(t *testing.T, db *sqlstore.DB, id string) []debrief.Alert {
	t.Helper()
	as, err := db.Alerts(context.Background(), id)
	if err != nil {
		t.Fatalf("read alerts: %v", err)
	}
	return as
}

func TestSavePayloadKeepsBodyAndRecognisesReplay(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		body := []byte(`{"status":"firing","groupKey":"{}:{}"}`)
		p := &debrief.Payload{Source: debrief.SourceAlertmanager,
			ContentType: "application/json", Body: body}
		if replay, err := db.SavePayload(ctx, p); err != nil || replay {
			t.Fatalf("SavePayload = %v, %v; want no replay", replay, err)
		}
		sum := sha256.Sum256(body)
		want := debrief.Payload{ID: p.ID, Source: debrief.SourceAlertmanager,
			ReceivedAt:  clock.Now().UTC().Truncate(time.Microsecond),
			ContentType: "application/json", Body: body, Digest: hex.EncodeToString(sum[:]),
			Status: debrief.PayloadReceived}
		if diff := cmp.Diff(want, *p); diff != "" {
			t.Errorf("saved payload (-want +got):\n%s", diff)
		}
		got, err := db.Payload(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, *got); diff != "" {
			t.Errorf("payload read back (-want +got):\n%s", diff)
		}

		clock.Advance(time.Minute)
		again := &debrief.Payload{Source: debrief.SourceAlertmanager, Body: body}
		if replay, err := db.SavePayload(ctx, again); err != nil || !replay {
			t.Fatalf("SavePayload of the same body = %v, %v; want a replay", replay, err)
		}
		if diff := cmp.Diff(want, *again); diff != "" {
			t.Errorf("replayed payload (-want +got):\n%s", diff)
		}
		other := &debrief.Payload{Source: debrief.SourceGrafana, Body: body}
		if replay, err := db.SavePayload(ctx, other); err != nil || replay || other.ID == p.ID {
			t.Errorf("same body from another tool: replay %v, id %d, %v; want a new payload",
				replay, other.ID, err)
		}
		if _, n, err := db.Payloads(ctx, debrief.PayloadFilter{}); err != nil || n != 2 {
			t.Errorf("Payloads total = %d, %v; want 2", n, err)
		}
		empty := &debrief.Payload{Source: debrief.SourceGeneric}
		if _, err := db.SavePayload(ctx, empty); err != nil {
			t.Errorf("empty body: %v", err)
		}
		_, err = db.SavePayload(ctx, &debrief.Payload{Source: "nagios", Body: body})
		wantKind(t, err, debrief.KindInvalid)
		_, err = db.Payload(ctx, 9999)
		wantKind(t, err, debrief.KindNotFound)
	})
}

func TestFailPayloadThenReprocess(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		p := savePayload(t, db, "not json")
		clock.Advance(time.Second)
		if err := db.FailPayload(ctx, p.ID, "line 1: not JSON"); err != nil {
			t.Fatal(err)
		}
		got, err := db.Payload(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != debrief.PayloadFailed || got.Problem != "line 1: not JSON" ||
			got.Attempts != 1 || !got.ProcessedAt.Equal(clock.Now().Truncate(time.Microsecond)) {
			t.Errorf("failed payload = %s %q, %d attempts, at %v", got.Status, got.Problem,
				got.Attempts, got.ProcessedAt)
		}

		changes, err := db.RecordAlerts(ctx, p.ID,
			[]debrief.AlertEvent{alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z")})
		if err != nil {
			t.Fatal(err)
		}
		got, err = db.Payload(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{changes[0].IncidentID}
		if got.Status != debrief.PayloadProcessed || got.Problem != "" || got.Attempts != 2 ||
			!cmp.Equal(got.Incidents, want) {
			t.Errorf("reprocessed payload = %s %q, %d attempts, incidents %v; want processed, "+
				"no problem, 2 attempts, %v", got.Status, got.Problem, got.Attempts,
				got.Incidents, want)
		}
		wantKind(t, db.FailPayload(ctx, 9999, "x"), debrief.KindNotFound)
		_, err = db.RecordAlerts(ctx, 9999, nil)
		wantKind(t, err, debrief.KindNotFound)
	})
}

func TestPayloadsNewestFirstWithoutBodies(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		var ids []int64
		for i := range 5 {
			clock.Advance(time.Second)
			p := savePayload(t, db, fmt.Sprint("body ", i))
			ids = append(ids, p.ID)
			if i%2 == 1 {
				if err := db.FailPayload(ctx, p.ID, "bad"); err != nil {
					t.Fatal(err)
				}
			}
		}
		tests := []struct {
			f         debrief.PayloadFilter
			wantIDs   []int64
			wantTotal int
		}{
			{debrief.PayloadFilter{}, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}, 5},
			{debrief.PayloadFilter{Limit: 2, Offset: 1}, []int64{ids[3], ids[2]}, 5},
			{debrief.PayloadFilter{Status: debrief.PayloadFailed}, []int64{ids[3], ids[1]}, 2},
			{debrief.PayloadFilter{Source: debrief.SourceGrafana}, nil, 0},
		}
		for _, tt := range tests {
			list, total, err := db.Payloads(ctx, tt.f)
			if err != nil {
				t.Fatalf("%+v: %v", tt.f, err)
			}
			var got []int64
			for _, p := range list {
				got = append(got, p.ID)
				if p.Body != nil || p.Digest == "" {
					t.Errorf("%+v: payload %d has body %q, digest %q; want no body, a digest",
						tt.f, p.ID, p.Body, p.Digest)
				}
			}
			if !cmp.Equal(got, tt.wantIDs) || total != tt.wantTotal {
				t.Errorf("%+v = %v of %d, want %v of %d", tt.f, got, total, tt.wantIDs,
					tt.wantTotal)
			}
		}
		_, _, err := db.Payloads(ctx, debrief.PayloadFilter{Status: "lost"})
		wantKind(t, err, debrief.KindInvalid)
	})
}

// TestAlertGroupResolvesAtLastEnd: an Alertmanager group of three alerts is
// one incident, open while any alert fires and resolved when the last one
// is, at its end.
func TestAlertGroupResolvesAtLastEnd(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		changes := receive(t, db,
			alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z"),
			alert("a2", debrief.AlertFiring, "2025-03-14T09:01:00Z"),
			alert("a3", debrief.AlertFiring, "2025-03-14T09:02:00Z"))
		id := "inc-2025-03-14-checkout-502s"
		want := []debrief.IncidentChange{{IncidentID: id, Created: true,
			After: debrief.IncidentOpen, Events: 3}}
		if diff := cmp.Diff(want, changes); diff != "" {
			t.Fatalf("first payload (-want +got):\n%s", diff)
		}

		changes = receive(t, db, alert("a2", debrief.AlertResolved, "2025-03-14T09:30:00Z"))
		want = []debrief.IncidentChange{{IncidentID: id, Before: debrief.IncidentOpen,
			After: debrief.IncidentOpen, Events: 1}}
		if diff := cmp.Diff(want, changes); diff != "" {
			t.Errorf("one alert resolved (-want +got):\n%s", diff)
		}

		changes = receive(t, db,
			alert("a3", debrief.AlertResolved, "2025-03-14T09:50:00Z"),
			alert("a1", debrief.AlertResolved, "2025-03-14T09:40:00Z"))
		want = []debrief.IncidentChange{{IncidentID: id, Before: debrief.IncidentOpen,
			After: debrief.IncidentResolved, Events: 2}}
		if diff := cmp.Diff(want, changes); diff != "" {
			t.Errorf("all resolved (-want +got):\n%s", diff)
		}

		wantIncident := debrief.Incident{ID: id, Title: "Checkout 502s",
			Services: []string{"checkout"}, Severity: "P2",
			Category: debrief.CategoryAvailability, Status: debrief.IncidentResolved,
			StartedAt: at("2025-03-14T09:00:00Z"), DetectedAt: at("2025-03-14T09:00:00Z"),
			ResolvedAt: at("2025-03-14T09:50:00Z")}
		if diff := cmp.Diff(wantIncident, incident(t, db, id)); diff != "" {
			t.Errorf("incident (-want +got):\n%s", diff)
		}
		var keys []string
		for _, a := range alerts(t, db, id) {
			keys = append(keys, a.Key+" "+string(a.Status))
		}
		if diff := cmp.Diff([]string{"a1 resolved", "a2 resolved", "a3 resolved"},
			keys); diff != "" {
			t.Errorf("alerts by start (-want +got):\n%s", diff)
		}
		var texts []string
		for _, e := range incidentEvents(t, db, id) {
			texts = append(texts, e.Text)
		}
		wantTexts := []string{"a1 firing", "a2 firing", "a3 firing", "a2 resolved",
			"a1 resolved", "a3 resolved"}
		if diff := cmp.Diff(wantTexts, texts); diff != "" {
			t.Errorf("timeline, oldest first (-want +got):\n%s", diff)
		}
	})
}

// TestRecordingTwiceChangesNothing: the same events again, in another
// payload or the same one, add no timeline entry and leave the incident as
// it was.
func TestRecordingTwiceChangesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		events := []debrief.AlertEvent{
			alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z"),
			alert("a1", debrief.AlertAcknowledged, "2025-03-14T09:05:00Z"),
			alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z"), // twice in one payload
		}
		p := savePayload(t, db, "first")
		first, err := db.RecordAlerts(ctx, p.ID, events)
		if err != nil {
			t.Fatal(err)
		}
		id := first[0].IncidentID
		if first[0].Events != 2 {
			t.Errorf("first recording added %d events, want 2", first[0].Events)
		}
		before, beforeEvents := incident(t, db, id), incidentEvents(t, db, id)

		for _, payload := range []int64{p.ID, savePayload(t, db, "second").ID} {
			changes, err := db.RecordAlerts(ctx, payload, events)
			if err != nil {
				t.Fatal(err)
			}
			want := []debrief.IncidentChange{{IncidentID: id,
				Before: debrief.IncidentAcknowledged, After: debrief.IncidentAcknowledged}}
			if diff := cmp.Diff(want, changes); diff != "" {
				t.Errorf("payload %d again (-want +got):\n%s", payload, diff)
			}
		}
		if diff := cmp.Diff(before, incident(t, db, id)); diff != "" {
			t.Errorf("incident changed (-before +after):\n%s", diff)
		}
		if diff := cmp.Diff(beforeEvents, incidentEvents(t, db, id)); diff != "" {
			t.Errorf("timeline changed (-before +after):\n%s", diff)
		}
	})
}

// TestFiringAfterResolutionOpensNewIncident: a group keeps its key after
// its incident resolves. A late event from before the resolution joins the
// resolved incident; a firing after it opens a new one, which the group's
// later events join; a repeat of an old event does not leak into it.
func TestFiringAfterResolutionOpensNewIncident(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		first := receive(t, db, alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z"),
			alert("a1", debrief.AlertResolved, "2025-03-14T10:00:00Z"))
		old := first[0].IncidentID

		late := alert("a1", debrief.AlertAcknowledged, "2025-03-14T09:10:00Z")
		changes := receive(t, db, late)
		want := []debrief.IncidentChange{{IncidentID: old, Before: debrief.IncidentResolved,
			After: debrief.IncidentResolved, Events: 1}}
		if diff := cmp.Diff(want, changes); diff != "" {
			t.Errorf("late event (-want +got):\n%s", diff)
		}

		changes = receive(t, db,
			alert("a1", debrief.AlertResolved, "2025-03-14T10:00:00Z"), // a repeat
			alert("a1", debrief.AlertFiring, "2025-03-14T11:00:00Z"),
			alert("a2", debrief.AlertFiring, "2025-03-14T11:01:00Z"))
		next := "inc-2025-03-14-checkout-502s-2"
		want = []debrief.IncidentChange{
			{IncidentID: old, Before: debrief.IncidentResolved, After: debrief.IncidentResolved},
			{IncidentID: next, Created: true, After: debrief.IncidentOpen, Events: 2},
		}
		if diff := cmp.Diff(want, changes); diff != "" {
			t.Fatalf("firing after resolution (-want +got):\n%s", diff)
		}
		changes = receive(t, db, alert("a2", debrief.AlertAcknowledged, "2025-03-14T11:05:00Z"))
		if len(changes) != 1 || changes[0].IncidentID != next {
			t.Errorf("next event went to %+v, want %s", changes, next)
		}
		if got := incident(t, db, old); got.Status != debrief.IncidentResolved ||
			!got.ResolvedAt.Equal(at("2025-03-14T10:00:00Z")) {
			t.Errorf("old incident %s at %v, want resolved at 10:00", got.Status, got.ResolvedAt)
		}
		if n := len(incidentEvents(t, db, old)); n != 3 {
			t.Errorf("old incident has %d events, want 3", n)
		}
		if got := incident(t, db, next); !got.StartedAt.Equal(at("2025-03-14T11:00:00Z")) {
			t.Errorf("new incident started at %v, want 11:00", got.StartedAt)
		}
	})
}

// TestGroupsWithAlertsOfOneKey: two groups, each with an alert of the
// same key firing at the same time, are two incidents with an alert each.
func TestGroupsWithAlertsOfOneKey(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		host1 := alert("cpu", debrief.AlertFiring, "2025-03-14T09:00:00Z")
		host1.GroupKey, host1.Title = "host-1", "CPU on host-1"
		host2 := host1
		host2.GroupKey, host2.Title = "host-2", "CPU on host-2"
		first := receive(t, db, host1)
		second := receive(t, db, host2)
		if len(first) != 1 || len(second) != 1 || !second[0].Created ||
			second[0].IncidentID == first[0].IncidentID || second[0].Events != 1 {
			t.Fatalf("changes %+v then %+v, want a new incident each", first, second)
		}
		for _, id := range []string{first[0].IncidentID, second[0].IncidentID} {
			if n := len(alerts(t, db, id)); n != 1 {
				t.Errorf("incident %s has %d alerts, want 1", id, n)
			}
		}
	})
}

// TestAlertTimesKeepNanoseconds: an alert's times read back to the
// nanosecond on both stores; the incident's moments, shared with reports,
// keep microseconds.
func TestAlertTimesKeepNanoseconds(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ev := alert("a1", debrief.AlertFiring, "2025-03-14T09:26:53.123456789Z")
		ev.StartsAt = at("2025-03-14T09:26:50.987654321Z")
		id := receive(t, db, ev)[0].IncidentID
		end := alert("a1", debrief.AlertResolved, "2025-03-14T09:30:00.000000001Z")
		receive(t, db, end)

		want := []debrief.Alert{{IncidentID: id, Source: debrief.SourceAlertmanager, Key: "a1",
			Title: "Checkout 502s", Status: debrief.AlertResolved, Severity: "P2",
			StartsAt: ev.StartsAt, EndsAt: end.At, ChangedAt: end.At}}
		if diff := cmp.Diff(want, alerts(t, db, id)); diff != "" {
			t.Errorf("alerts (-want +got):\n%s", diff)
		}
		es := incidentEvents(t, db, id)
		if len(es) != 2 || !es[0].At.Equal(ev.At) || es[0].At.Nanosecond() != 123456789 ||
			!es[1].At.Equal(end.At) {
			t.Errorf("event times = %v, want %v and %v", es, ev.At, end.At)
		}
		in := incident(t, db, id)
		if want := at("2025-03-14T09:26:50.987654Z"); !in.StartedAt.Equal(want) {
			t.Errorf("incident started at %v, want %v", in.StartedAt, want)
		}
	})
}

// TestOneGroupRacesToOneIncident: twenty payloads of one new group arriving
// at once open one incident, whichever is first.
func TestOneGroupRacesToOneIncident(t *testing.T) {
	const senders = 20
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		payloads := make([]*debrief.Payload, senders)
		for i := range payloads {
			payloads[i] = savePayload(t, db, fmt.Sprint("payload ", i))
		}
		var wg sync.WaitGroup
		changes := make([][]debrief.IncidentChange, senders)
		start := make(chan struct{})
		for i := range senders {
			wg.Go(func() {
				<-start
				ev := alert(fmt.Sprint("a", i), debrief.AlertFiring, "2025-03-14T09:00:00Z")
				var err error
				changes[i], err = db.RecordAlerts(ctx, payloads[i].ID, []debrief.AlertEvent{ev})
				if err != nil {
					t.Errorf("sender %d: %v", i, err)
				}
			})
		}
		close(start)
		wg.Wait()

		created := 0
		for i, cs := range changes {
			if len(cs) != 1 || cs[0].IncidentID != changes[0][0].IncidentID {
				t.Errorf("sender %d: changes %+v, want one to %s", i, cs, changes[0][0].IncidentID)
				continue
			}
			if cs[0].Created {
				created++
			}
		}
		_, total, err := db.Incidents(ctx, debrief.IncidentFilter{})
		if err != nil || total != 1 || created != 1 {
			t.Errorf("%d incidents (%v), %d created; want 1 and 1", total, err, created)
		}
		if n := len(alerts(t, db, changes[0][0].IncidentID)); n != senders {
			t.Errorf("incident has %d alerts, want %d", n, senders)
		}
	})
}

// TestOpeningIncidentsInOppositeOrders: two payloads at once, each opening
// incidents of the same titles in opposite orders, do not deadlock (which
// PostgreSQL would find only after a second, and the store would retry).
func TestOpeningIncidentsInOppositeOrders(t *testing.T) {
	const rounds, groups = 10, 10
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var log syncBuffer
			opt := sqlstore.WithLogger(slog.New(slog.NewTextHandler(&log, nil)))
			db := map[string]func(*testing.T, ...sqlstore.Option) *sqlstore.DB{
				"sqlite": openSQLite, "postgres": openPostgres}[name](t, opt)
			for round := range rounds {
				var batches [2][]debrief.AlertEvent
				for i := range groups {
					for b, title := range []int{i, groups - 1 - i} {
						ev := alert("a", debrief.AlertFiring, "2025-03-14T09:00:00Z")
						ev.GroupKey = fmt.Sprint(round, "-", b, "-", i)
						ev.Title = fmt.Sprint("Title ", title)
						batches[b] = append(batches[b], ev)
					}
				}
				recordAtOnce(t, db, batches[:])
			}
			if _, n, err := db.Incidents(context.Background(),
				debrief.IncidentFilter{}); err != nil || n != 2*rounds*groups {
				t.Errorf("%d incidents (%v), want %d", n, err, 2*rounds*groups)
			}
			if strings.Contains(log.String(), "deadlocked") {
				t.Errorf("recording deadlocked:\n%s", log.String())
			}
		})
	}
}

// recordAtOnce records each batch of events from a payload of its own, all
// at once.
func recordAtOnce(t *testing.T, db *sqlstore.DB, batches [][]debrief.AlertEvent) {
	t.Helper()
	payloads := make([]*debrief.Payload, len(batches))
	for i := range batches {
		payloads[i] = savePayload(t, db, randomHex(t, 8))
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, evs := range batches {
		wg.Go(func() {
			<-start
			if _, err := db.RecordAlerts(context.Background(), payloads[i].ID, evs); err != nil {
				t.Errorf("payload %d: %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
}

// syncBuffer is a log destination goroutines may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestAlertIncidentOutlivesItsReport: an incident alerts opened stays when
// the report written about it is deleted; one a report brought goes.
func TestAlertIncidentOutlivesItsReport(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		id := receive(t, db, alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z"))[0].IncidentID
		p := fullReport("pm-alerted")
		p.Incident = incident(t, db, id)
		save(t, db, p)
		plain := fullReport("pm-plain")
		save(t, db, plain)

		for _, pm := range []string{p.ID, plain.ID} {
			if err := db.DeletePostmortem(ctx, pm); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := db.IncidentExists(ctx, id); err != nil || !ok {
			t.Errorf("alert incident after its report's deletion: exists %v, %v", ok, err)
		}
		if n := len(alerts(t, db, id)); n != 1 {
			t.Errorf("%d alerts left, want 1", n)
		}
		if ok, err := db.IncidentExists(ctx, plain.Incident.ID); err != nil || ok {
			t.Errorf("report's own incident after deletion: exists %v, %v", ok, err)
		}
	})
}

func TestRecordAlertsRefusesEventsItCannotPlace(t *testing.T) {
	good := alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z")
	tests := []struct {
		name  string
		edit  func(*debrief.AlertEvent)
		field string
	}{
		{"no group key", func(e *debrief.AlertEvent) { e.GroupKey = " " }, "events[1].group_key"},
		{"no alert key", func(e *debrief.AlertEvent) { e.AlertKey = "" }, "events[1].alert_key"},
		{"no time", func(e *debrief.AlertEvent) { e.At = time.Time{} }, "events[1].at"},
		{"unknown state", func(e *debrief.AlertEvent) { e.Status = "flapping" },
			"events[1].status"},
		{"unknown tool", func(e *debrief.AlertEvent) { e.Source = "nagios" }, "events[1].source"},
		{"end in 2300", func(e *debrief.AlertEvent) { e.EndsAt = at("2300-01-01T00:00:00Z") },
			"events[1].ends_at"},
	}
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := savePayload(t, db, "payload")
		for _, tt := range tests {
			bad := good
			bad.AlertKey = "a2"
			tt.edit(&bad)
			_, err := db.RecordAlerts(ctx, p.ID, []debrief.AlertEvent{good, bad})
			wantKind(t, err, debrief.KindInvalid)
			if got := debrief.ErrorField(err); got != tt.field {
				t.Errorf("%s: field %q, want %q", tt.name, got, tt.field)
			}
		}
		if _, n, err := db.Incidents(ctx, debrief.IncidentFilter{}); err != nil || n != 0 {
			t.Errorf("%d incidents after refusals (%v), want none", n, err)
		}
	})
}

// TestImpactFlagsAreKept: the trigger policy's two facts round-trip through
// incidents and reports, and alerts that state them set them.
func TestImpactFlagsAreKept(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		in := &debrief.Incident{ID: "inc-1", Title: "Login down", UserImpact: true}
		if err := db.SaveIncident(ctx, in); err != nil {
			t.Fatal(err)
		}
		if got := incident(t, db, "inc-1"); !got.UserImpact || got.CriticalProcess {
			t.Errorf("incident flags = %v, %v; want true, false", got.UserImpact,
				got.CriticalProcess)
		}

		p := fullReport("pm-1")
		p.Incident.CriticalProcess = true
		save(t, db, p)
		if got := load(t, db, "pm-1").Incident; got.UserImpact || !got.CriticalProcess {
			t.Errorf("report's incident flags = %v, %v; want false, true", got.UserImpact,
				got.CriticalProcess)
		}

		ev := alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z")
		ev.UserImpact = true
		id := receive(t, db, ev)[0].IncidentID
		if got := incident(t, db, id); !got.UserImpact {
			t.Error("an alert with user impact left the incident without it")
		}
	})
}

// TestAlertsMigrationDown: migration 8 can be undone with alerts, decisions
// and deadlines stored, and done again.
func TestAlertsMigrationDown(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		save(t, db, fullReport("pm-1"))
		id := receive(t, db, alert("a1", debrief.AlertFiring, "2025-03-14T09:00:00Z"))[0].IncidentID
		d := &debrief.Decision{IncidentID: id, Outcome: debrief.OutcomeRequired,
			Reasons: []string{"P2"}}
		if err := db.SaveDecision(ctx, d); err != nil {
			t.Fatal(err)
		}
		err := db.SaveDeadlines(ctx, "pm-1", []debrief.Deadline{{Kind: debrief.DeadlineDraft,
			Due: clock.Now()}})
		if err != nil {
			t.Fatal(err)
		}

		if err := db.MigrateDownTo(ctx, 7); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Payloads(ctx, debrief.PayloadFilter{}); err == nil {
			t.Error("the payloads table is still there")
		}
		if ok, err := db.IncidentExists(ctx, id); err != nil || !ok {
			t.Errorf("incident after the rollback: exists %v, %v", ok, err)
		}
		if err := db.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		if got := load(t, db, "pm-1"); got.Incident.UserImpact {
			t.Error("report's incident has user impact after the migration")
		}
		if _, n, err := db.Payloads(ctx, debrief.PayloadFilter{}); err != nil || n != 0 {
			t.Errorf("payloads after the migration again: %d, %v; want none", n, err)
		}
	})
}
