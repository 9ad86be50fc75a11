package client_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/client"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/web"
)

// serve runs the real server on a fresh store with n reports and returns a
// client with a token of the role.
func serve(t *testing.T, n int, role debrief.AccessRole) (*client.Client, *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	batch := make([]debrief.BatchWrite, n)
	for i := range batch {
		id := fmt.Sprintf("pm-%03d", i)
		batch[i].Postmortem = &debrief.Postmortem{ID: id, Title: "Report " + id,
			Status: debrief.StatusDraft, Incident: debrief.Incident{ID: id, Title: id}}
	}
	if _, err := store.SavePostmortems(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateUser(ctx, &debrief.User{Name: "u", Role: role}); err != nil {
		t.Fatal(err)
	}
	secret, hash := auth.NewToken()
	if err := store.CreateToken(ctx, &debrief.Token{UserName: "u", Role: role}, hash); err != nil {
		t.Fatal(err)
	}
	srv, err := web.NewServer(store, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	c, err := client.New(ts.URL+"/", secret)
	if err != nil {
		t.Fatal(err)
	}
	return c, store
}

func TestPostmortemsFetchesEveryPage(t *testing.T) {
	c, _ := serve(t, 230, debrief.AccessViewer)
	ctx := context.Background()
	all, total, err := c.Postmortems(ctx, debrief.PostmortemFilter{Sort: "title"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 230 || total != 230 || all[229].ID != "pm-229" {
		t.Fatalf("%d reports of %d, last %v; want all 230", len(all), total, all[len(all)-1].ID)
	}
	some, total, err := c.Postmortems(ctx, debrief.PostmortemFilter{
		Sort: "title", Limit: 210, Offset: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(some) != 210 || total != 230 || some[0].ID != "pm-010" {
		t.Errorf("limit 210 from 10: %d reports, total %d, first %s", len(some), total, some[0].ID)
	}
}

func TestErrorsKeepTheirKind(t *testing.T) {
	c, _ := serve(t, 1, debrief.AccessContributor)
	ctx := context.Background()

	_, err := c.Postmortem(ctx, "nope")
	if debrief.ErrorKind(err) != debrief.KindNotFound || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown report: %v (%v)", err, debrief.ErrorKind(err))
	}

	p, err := c.Postmortem(ctx, "pm-000")
	if err != nil {
		t.Fatal(err)
	}
	p.Title = "First edit"
	if err := c.Replace(ctx, p); err != nil || p.Version != 2 {
		t.Fatalf("replace: %v, version %d", err, p.Version)
	}
	p.Version = 1
	err = c.Replace(ctx, p)
	if debrief.ErrorKind(err) != debrief.KindConflict || !strings.Contains(err.Error(), "version") {
		t.Errorf("stale replace: %v (%v)", err, debrief.ErrorKind(err))
	}
	p.Version = 2
	p.Links = []debrief.Link{{URL: "javascript:alert(1)"}}
	err = c.Replace(ctx, p)
	if debrief.ErrorKind(err) != debrief.KindInvalid || debrief.ErrorField(err) != "links[0].url" {
		t.Errorf("bad link: %v (field %q)", err, debrief.ErrorField(err))
	}
}

func TestAnswersThatAreNotTheAPIs(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>Bad Gateway</html>", http.StatusBadGateway)
	}))
	t.Cleanup(proxy.Close)
	c, err := client.New(proxy.URL, "dbf_secret")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Postmortem(context.Background(), "x")
	if err == nil || !strings.Contains(err.Error(), "502") || strings.Contains(err.Error(), "dbf_") {
		t.Errorf("proxy error page: %v", err)
	}
	if _, err := client.New("debrief.example", ""); debrief.ErrorKind(err) != debrief.KindInvalid {
		t.Errorf("a server without a scheme: %v", err)
	}
}

// TestIDsNoReportCanHaveAreRefusedFirst: an id such as "." would name the
// list once the server cleans the path; the client refuses it unsent.
func TestIDsNoReportCanHaveAreRefusedFirst(t *testing.T) {
	requests := 0
	ts := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		requests++
	}))
	t.Cleanup(ts.Close)
	c, err := client.New(ts.URL, "secret")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{".", "..", "", "a/b", "../users", "pm 1"} {
		_, err := c.Postmortem(context.Background(), id)
		if debrief.ErrorKind(err) != debrief.KindInvalid ||
			!strings.HasPrefix(err.Error(), "report id") {
			t.Errorf("Postmortem(%q) = %v, want it refused as no report id", id, err)
		}
		err = c.Replace(context.Background(), &debrief.Postmortem{ID: id, Title: "x"})
		if debrief.ErrorKind(err) != debrief.KindInvalid {
			t.Errorf("Replace(%q) = %v, want it refused", id, err)
		}
	}
	if requests != 0 {
		t.Errorf("%d requests sent for ids no report can have", requests)
	}
}

// TestSearchMarksMatchesAsAStoreDoes: the API's highlights come back as
// the markers a local store puts in a snippet.
func TestSearchMarksMatchesAsAStoreDoes(t *testing.T) {
	c, store := serve(t, 3, debrief.AccessViewer)
	ctx := context.Background()
	remote, err := c.Search(ctx, debrief.SearchQuery{Text: "report"})
	if err != nil {
		t.Fatal(err)
	}
	local, err := store.Search(ctx, debrief.SearchQuery{Text: "report"})
	if err != nil {
		t.Fatal(err)
	}
	if len(remote.Hits) != 3 || len(local.Hits) != 3 {
		t.Fatalf("%d hits from the server, %d locally; want 3", len(remote.Hits), len(local.Hits))
	}
	for i := range remote.Hits {
		if remote.Hits[i].Snippet != local.Hits[i].Snippet {
			t.Errorf("hit %d: snippet %q from the server, %q locally", i,
				remote.Hits[i].Snippet, local.Hits[i].Snippet)
		}
	}
	if !strings.Contains(remote.Hits[0].Snippet, debrief.HighlightStart) {
		t.Errorf("snippet %q has no marked match", remote.Hits[0].Snippet)
	}
}
