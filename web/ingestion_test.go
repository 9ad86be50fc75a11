package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// receiveBad posts a body the workflow cannot read and returns the ID of
// the payload it kept.
func (e *incidentEnv) receiveBad(source debrief.AlertSource, body string) int64 {
	e.t.Helper()
	_, err := e.flow.ReceiveAlerts(context.Background(), alertSender, source,
		"application/json", []byte(body))
	pe, ok := workflow.IsPayloadError(err)
	if !ok {
		e.t.Fatalf("receive a bad %s payload: %v, want a payload error", source, err)
	}
	return pe.ID
}

func TestPayloadPagesAreForAdminsOnly(t *testing.T) {
	e := newIncidentEnv(t)
	id := e.receiveBad(debrief.SourceGeneric, "not json")
	page := fmt.Sprintf("/admin/payloads/%d", id)

	for _, role := range []debrief.AccessRole{debrief.AccessViewer,
		debrief.AccessContributor, debrief.AccessFacilitator} {
		b := e.as(role)
		for _, path := range []string{"/admin/payloads", page} {
			if res := b.fetch(path); res.status != http.StatusForbidden {
				t.Errorf("%s GET %s: status %d, want 403", role, path, res.status)
			}
		}
		if res, _ := b.post(page+"/reprocess", url.Values{}); res.StatusCode !=
			http.StatusForbidden {
			t.Errorf("%s reprocess: status %d, want 403", role, res.StatusCode)
		}
		assertNotContains(t, string(role)+"'s nav", b.fetch("/").body, `href="/admin/payloads"`)
	}
	admin := e.as(debrief.AccessAdmin)
	assertContains(t, "admin's nav", admin.fetch("/").body,
		`<a href="/admin/payloads">Alert payloads</a>`)
}

func TestPayloadListPutsFailedFirst(t *testing.T) {
	e := newIncidentEnv(t)
	e.outage()
	bad := e.receiveBad(debrief.SourceAlertmanager, `{"alerts": "none"}`)
	admin := e.as(debrief.AccessAdmin)

	res := admin.fetch("/admin/payloads")
	if res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	failed, all, ok := strings.Cut(res.body, `<h2 id="all-h">`)
	if !ok {
		t.Fatalf("no list of all payloads after the failed ones:\n%s", res.body)
	}
	row := fmt.Sprintf(`<a href="/admin/payloads/%d">#%d</a>`, bad, bad)
	assertContains(t, "failed section", failed, "Not read: 1 payload", row,
		`payload-status-failed">Failed</span>`)
	assertNotContains(t, "failed section", failed, `payload-status-processed`)
	assertContains(t, "all payloads", all, row, `payload-status-processed">Processed</span>`,
		"Showing 1–3 of 3 payloads")

	filtered := admin.fetch("/admin/payloads?status=processed&source=alertmanager").body
	assertNotContains(t, "processed only", filtered, row, "Not read:")
	assertContains(t, "processed only", filtered, "Showing 1–2 of 2 payloads", "Clear filters")

	for _, q := range []string{"status=lost", "source=nagios"} {
		if res := admin.fetch("/admin/payloads?" + q); res.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", q, res.status)
		}
	}
}

// TestHostilePayloadIsShownInert sends a body built to run script, clear
// the terminal, reverse the text and break the page's encoding; the page
// shows every byte of it as text.
func TestHostilePayloadIsShownInert(t *testing.T) {
	e := newIncidentEnv(t)
	body := "<script>alert('owned')</script><img src=x onerror=alert(1)>" +
		"\x1b[2J\x00\u202egnp.exe\xff\xfe</pre><b>bold</b>"
	id := e.receiveBad(debrief.SourceGeneric, body)
	admin := e.as(debrief.AccessAdmin)

	res := admin.fetch(fmt.Sprintf("/admin/payloads/%d", id))
	if res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	assertNoActiveMarkup(t, "payload page", res.body)
	assertContains(t, "payload page", res.body,
		`&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;`,
		`&lt;img src=x onerror=alert(1)&gt;`,
		`<span class="ctl">\x1b</span>[2J<span class="ctl">\x00</span>`,
		`<span class="ctl">\u202e</span>gnp.exe<span class="ctl">\xff</span>`+
			`<span class="ctl">\xfe</span>&lt;/pre&gt;&lt;b&gt;bold&lt;/b&gt;`,
		fmt.Sprintf("%d bytes.", len(body)), ">Process again</button>")
	for _, raw := range []string{"\x1b", "\x00", "\u202e", "<b>bold"} {
		if strings.Contains(res.body, raw) {
			t.Errorf("the page holds %q as it came", raw)
		}
	}
	if !utf8.ValidString(res.body) {
		t.Error("the page is not valid UTF-8")
	}
}

func TestLargePayloadIsCut(t *testing.T) {
	e := newIncidentEnv(t)
	body := strings.Repeat("é", maxBodyShown) // two bytes each: cut in the middle
	id := e.receiveBad(debrief.SourceGeneric, body)
	admin := e.as(debrief.AccessAdmin)

	page := admin.fetch(fmt.Sprintf("/admin/payloads/%d", id)).body
	assertContains(t, "large payload", page, fmt.Sprintf("%d bytes.", len(body)),
		fmt.Sprintf("Only the first %d bytes are shown.", maxBodyShown))
	if n := strings.Count(page, "é"); n != maxBodyShown/2 {
		t.Errorf("the page shows %d characters of the body, want %d", n, maxBodyShown/2)
	}
	assertNotContains(t, "large payload", page, `<span class="ctl">`)
}

func TestReprocessShowsTheReceipt(t *testing.T) {
	e := newIncidentEnv(t)
	// A payload stored but never read, as after a crash between the two.
	p := &debrief.Payload{Source: debrief.SourceAlertmanager, ContentType: "application/json",
		Body: []byte(amBody("billing", amAlert{"firing", "InvoiceQueueStuck", "b1", "error",
			"2026-03-10 11:00", ""}))}
	if _, err := e.store.SavePayload(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	bad := e.receiveBad(debrief.SourceGeneric, "{")
	admin := e.as(debrief.AccessAdmin)
	page := fmt.Sprintf("/admin/payloads/%d", p.ID)

	res, body := admin.post(page+"/reprocess", url.Values{})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("reprocess: status %d\n%s", res.StatusCode, body)
	}
	assertContains(t, "receipt", body, "<h2>Processed</h2>", "opened", "1 new event",
		`href="/incidents/inc-2026-03-10-invoicequeuestuck-on-billing"`,
		`payload-status-processed">Processed</span>`)
	assertNotContains(t, "processed payload", body, ">Process again</button>")

	res, body = admin.post(page+"/reprocess", url.Values{})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("reprocessing a processed payload: status %d, want 409", res.StatusCode)
	}
	assertContains(t, "second reprocess", body, "processed already")

	res, body = admin.post(fmt.Sprintf("/admin/payloads/%d/reprocess", bad), url.Values{})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("reprocessing a broken body: status %d, want 400", res.StatusCode)
	}
	assertContains(t, "failed again", body, "Processing it again did not work")

	if res := admin.fetch("/admin/payloads/999999"); res.status != http.StatusNotFound {
		t.Errorf("unknown payload: status %d, want 404", res.status)
	}
	if res := admin.fetch("/admin/payloads/abc"); res.status != http.StatusNotFound {
		t.Errorf("payload abc: status %d, want 404", res.status)
	}
}

func TestVisibleBody(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		limit int
		want  string
		shown int
	}{
		{"plain text", "a\tb\nc", 100, "a\tb\nc", 5},
		{"markup escaped", `<a href="x">&`, 100, `&lt;a href=&#34;x&#34;&gt;&amp;`, 13},
		{"carriage return", "a\r\n", 100, `a<span class="ctl">\x0d</span>` + "\n", 3},
		{"delete", "\x7f", 100, `<span class="ctl">\x7f</span>`, 1},
		{"C1 control", "\u0085", 100, `<span class="ctl">\u0085</span>`, 2},
		{"zero width joiner", "a\u200db", 100, `a<span class="ctl">\u200d</span>b`, 5},
		{"line separator", "\u2028", 100, `<span class="ctl">\u2028</span>`, 3},
		{"replacement character", "\ufffd", 100, `<span class="ctl">\ufffd</span>`, 3},
		{"cut between characters", "ab€", 3, "ab", 2},
		{"broken character at the end", "ab\xe2\x82", 100,
			`ab<span class="ctl">\xe2</span><span class="ctl">\x82</span>`, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, shown := visibleBody([]byte(tt.body), tt.limit)
			if got != template.HTML(tt.want) || shown != tt.shown {
				t.Errorf("visibleBody(%q, %d) = %q, %d; want %q, %d", tt.body, tt.limit,
					got, shown, tt.want, tt.shown)
			}
		})
	}
}

// FuzzVisibleBody checks that whatever a body holds, the HTML made of it
// has no markup but the escape marks, no invisible or control character
// other than newline and tab, and is valid UTF-8.
func FuzzVisibleBody(f *testing.F) {
	for _, seed := range []string{"", "<script>", "\x1b[31m", "\u202e", "\xff\xfe", "a\r\nb",
		`{"alerts":[{"status":"firing"}]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, shown := visibleBody(body, 64)
		s := strings.ReplaceAll(string(got), `<span class="ctl">`, "")
		s = strings.ReplaceAll(s, `</span>`, "")
		if strings.ContainsAny(s, "<>\"'") {
			t.Errorf("markup left in %q", got)
		}
		if !utf8.ValidString(s) {
			t.Errorf("invalid UTF-8 in %q", got)
		}
		for _, r := range s {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || r == '\u202e' {
				t.Errorf("control character %U left in %q", r, got)
			}
		}
		if shown > len(body) || shown > 64 || (len(body) > 64 && shown < 61) {
			t.Errorf("shown %d of %d bytes", shown, len(body))
		}
	})
}
