package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

// TestFormTooLargeNamesItsLimit: a form refused for its size says the
// limit of its own kind of body.
func TestFormTooLargeNamesItsLimit(t *testing.T) {
	ts, store := editorServer(t, emptyReport("pm-big"))
	b := signIn(t, ts, store, debrief.AccessContributor)
	path := sectionURL("pm-big", "summary")

	res, body := b.post(path, url.Values{
		"summary.narrative": {strings.Repeat("x", 11<<20)},
	})
	if res.StatusCode != http.StatusRequestEntityTooLarge ||
		!strings.Contains(body, "send at most 10 MiB") {
		t.Errorf("an 11 MiB form: status %d, want 413 saying 10 MiB\n%.300s", res.StatusCode, body)
	}

	form := url.Values{}
	for i := range 41000 {
		form.Set("f"+strconv.Itoa(i), "1")
	}
	res, body = b.post(path, form)
	if res.StatusCode != http.StatusRequestEntityTooLarge ||
		!strings.Contains(body, "too many fields") {
		t.Errorf("a form of 41,000 fields: status %d, want 413 saying too many fields\n%.300s",
			res.StatusCode, body)
	}
}
