package web

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// tokenOf makes an API token for the person of that login, added with the
// role on first use.
func (e *actionEnv) tokenOf(name string, role debrief.AccessRole) apiClient {
	e.t.Helper()
	if _, err := e.store.User(context.Background(), name); debrief.IsNotFound(err) {
		newTestUser(e.t, e.store, name, role)
	}
	secret, hash := auth.NewToken()
	tok := &debrief.Token{UserName: name, Label: "test"}
	if err := e.store.CreateToken(context.Background(), tok, hash); err != nil {
		e.t.Fatal(err)
	}
	return apiClient{t: e.t, ts: e.ts, token: secret}
}

const lagAPI = "/api/v1/postmortems/replica-lag/actions/1"

func TestAPIActions(t *testing.T) {
	eachActionEnv(t, func(t *testing.T, e *actionEnv) {
		sc := newSchemaChecker(t, openAPIDoc(t, e.tokenOf("vic", debrief.AccessViewer)))
		vic := e.tokenOf("vic", debrief.AccessViewer)

		res := vic.call("GET", "/api/v1/actions?limit=2", nil).want(t, http.StatusOK)
		sc.check("GET", "/api/v1/actions", res)
		var list apiActionList
		res.decode(t, &list)
		if list.Today != "2026-03-10" || list.Total != 3 || len(list.Items) != 2 ||
			list.Items[0].Ref.Number != 1 || list.Items[0].DaysOverdue != 9 ||
			list.Items[0].Quadrant != "quick win" || list.Items[0].Title == "" ||
			list.Items[0].URL != "/postmortems/replica-lag/actions/1" {
			t.Errorf("first page: %+v", list)
		}
		if link := res.header.Get("Link"); !strings.Contains(link,
			"/api/v1/actions?limit=2&offset=2>; rel=\"next\"") {
			t.Errorf("Link %q", link)
		}
		res = vic.call("GET", "/api/v1/actions?status=all&team=storage&overdue=1", nil)
		res.decode(t, &list)
		if len(list.Items) != 2 || list.Items[1].DaysOverdue != 37 {
			t.Errorf("storage's overdue items: %+v", list.Items)
		}
		bad := vic.call("GET", "/api/v1/actions?quadrant=soon", nil).want(t, 400)
		sc.check("GET", "/api/v1/actions", bad)
		if f := bad.fail(t).Field; f != "quadrant" {
			t.Errorf("bad quadrant: field %q", f)
		}

		res = vic.call("GET", lagAPI, nil).want(t, http.StatusOK)
		sc.check("GET", "/api/v1/postmortems/{id}/actions/{number}", res)
		var view apiActionView
		res.decode(t, &view)
		if view.Item.Description != "Alert on replica lag over 30 s" || view.Title !=
			"Replica lag on orders-db" || view.Team == nil || view.Team.Name != "storage" ||
			len(view.Next) != 0 || res.header.Get("ETag") != `"open.0"` {
			t.Errorf("a viewer's view: %+v, ETag %s", view, res.header.Get("ETag"))
		}

		// The owner moves the item; the answer is the item, and its ETag.
		cleo := e.tokenOf("cleo", debrief.AccessContributor)
		res = cleo.call("GET", lagAPI, nil)
		res.decode(t, &view)
		if strings.Join(statusNames(view.Next), " ") != "in_progress blocked done" {
			t.Errorf("cleo's next moves: %v", view.Next)
		}
		move := lagAPI + "/move"
		res = cleo.call("POST", move, map[string]any{"to": "in progress"},
			"If-Match", res.header.Get("ETag")).want(t, http.StatusOK)
		sc.check("POST", "/api/v1/postmortems/{id}/actions/{number}/move", res)
		var item debrief.ActionItem
		res.decode(t, &item)
		if item.Status != debrief.ActionInProgress || item.UpdatedBy != "cleo" ||
			res.header.Get("ETag") != `"in_progress.1773144000000000"` {
			t.Errorf("moved: %+v, ETag %s", item, res.header.Get("ETag"))
		}

		// A stale If-Match is 412; refusals name the field.
		stale := cleo.call("POST", move, map[string]any{"to": "done"}, "If-Match", `"open.0"`)
		stale.want(t, http.StatusPreconditionFailed)
		sc.check("POST", "/api/v1/postmortems/{id}/actions/{number}/move", stale)
		for body, field := range map[string]string{
			`{"to": "blocked"}`:               "reason",
			`{"to": "finished"}`:              "to",
			`{"reason": "x"}`:                 "to",
			`{"to": "done", "colour": "red"}`: "colour",
		} {
			res := cleo.send("POST", move, "application/json", []byte(body))
			if res.status != http.StatusBadRequest || res.fail(t).Field != field {
				t.Errorf("%s: status %d, body %s; want 400 naming %s", body, res.status,
					res.body, field)
			}
		}
		cleo.call("POST", move, map[string]any{"to": "done"}).want(t, http.StatusOK)
		res = cleo.call("POST", move, map[string]any{"to": "verified",
			"closure": map[string]any{"implemented": true}})
		if e := res.want(t, http.StatusBadRequest).fail(t); e.Field != "closure" ||
			!strings.Contains(e.Message, "give a link (http or https) to the evidence") {
			t.Errorf("incomplete closure: %+v", e)
		}
		// Verifying needs the closure, and is the owner's.
		closure := map[string]any{"implemented": true, "tested": true, "documented": true,
			"result":   "Paused replication: paged in 40 s",
			"evidence": "https://grafana.example/d/lag"}
		ana := e.tokenOf("ana", debrief.AccessContributor)
		ana.call("POST", move, map[string]any{"to": "verified", "closure": closure}).
			want(t, http.StatusForbidden)
		vic.call("POST", move, map[string]any{"to": "open", "reason": "x"}).
			want(t, http.StatusForbidden)
		res = cleo.call("POST", move, map[string]any{"to": "verified", "closure": closure})
		res.want(t, http.StatusOK).decode(t, &item)
		if item.Closure == nil || item.VerifiedBy != "cleo" {
			t.Errorf("verified: %+v", item)
		}
		res = vic.call("GET", lagAPI, nil)
		res.decode(t, &view)
		if len(view.History) != 3 || view.History[2].To != debrief.ActionVerified ||
			view.History[2].Link != "https://grafana.example/d/lag" {
			t.Errorf("history: %+v", view.History)
		}

		// The restricted report's item is not there for cleo, nor an
		// unknown one for anyone.
		cleo.call("GET", "/api/v1/postmortems/vault-sealed/actions/1", nil).want(t, 404)
		cleo.call("POST", "/api/v1/postmortems/vault-sealed/actions/1/move",
			map[string]any{"to": "done"}).want(t, 404)
		vic.call("GET", "/api/v1/postmortems/replica-lag/actions/9", nil).want(t, 404)
		vic.call("GET", "/api/v1/postmortems/replica-lag/actions/x", nil).want(t, 400)
		res = cleo.call("GET", "/api/v1/actions?status=all", nil)
		if strings.Contains(string(res.body), "vault") {
			t.Error("cleo's list holds the restricted report's item")
		}
	})
}

func statusNames(ss []debrief.ActionStatus) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// racingStore moves an item to done just before the first move the
// server asks for, as a second person at the same moment would.
type racingStore struct {
	Store
	raced atomic.Bool
}

func (s *racingStore) MoveActionItem(
	ctx context.Context,
	ref debrief.ActionRef,
	from debrief.ActionStatus,
	item *debrief.ActionItem,
	ev debrief.ActionEvent,
) error {
	if s.raced.CompareAndSwap(false, true) {
		other := *item
		other.Status = debrief.ActionDone
		ev2 := ev
		ev2.To, ev2.Actor = debrief.ActionDone, "someone-else"
		if err := s.Store.MoveActionItem(ctx, ref, from, &other, ev2); err != nil {
			return err
		}
	}
	return s.Store.MoveActionItem(ctx, ref, from, item, ev)
}

func TestAPIActionConcurrentMove(t *testing.T) {
	eachActionEnv(t, func(t *testing.T, e *actionEnv) {
		race := newActionEnv(t, &racingStore{Store: e.store})
		cleo := race.tokenOf("cleo", debrief.AccessContributor)
		res := cleo.call("POST", lagAPI+"/move", map[string]any{"to": "blocked",
			"reason": "waiting for the exporter"}).want(t, http.StatusConflict)
		if e := res.fail(t); e.Code != "conflict" {
			t.Errorf("concurrent move: %+v", e)
		}
		var view apiActionView
		cleo.call("GET", lagAPI, nil).decode(t, &view)
		if view.Item.Status != debrief.ActionDone || len(view.History) != 1 {
			t.Errorf("after the race: %s, history %+v", view.Item.Status, view.History)
		}
	})
}
