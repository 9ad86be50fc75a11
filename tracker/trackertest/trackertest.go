// Package trackertest serves stand-ins for Jira and GitHub on 127.0.0.1,
// for tests of code that syncs action items with them.
//
// Each double speaks the vendor's REST shapes as its API documents give
// them, and refuses what the vendor would refuse (a wrong token, a
// missing project key, a description that is not an Atlassian Document on
// Jira Cloud, a title missing on GitHub), keeps its tickets in memory,
// counts requests, and lets a test act as a person in the tracker:
// SetStatus (Jira) and SetState (GitHub) change a ticket and answer the
// webhook body the vendor would then send, which WebhookRequest wraps in
// the vendor's headers:
//
//	j := trackertest.NewJira(t, 3)
//	client := j.Client() // a *tracker.Jira aimed at the double
//	ticket, err := client.Create(ctx, tracker.Issue{Title: "Add an alert"})
//	body := j.SetStatus(ticket.Key, "Done")
//	req := j.WebhookRequest(server.URL+"/api/v1/trackers/jira/webhook", "s3cret", body)
//
// Every double stops when its test ends.
package trackertest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Request is one request a double answered.
type Request struct {
	Method string
	// Path is the request's path, without the query.
	Path string
	// Query is the raw query, "" when none.
	Query string
}

// String writes the request as "METHOD /path".
func (r Request) String() string { return r.Method + " " + r.Path }

// recorder keeps the requests a double answered and the failures a test
// asked it to answer next.
type recorder struct {
	mu       sync.Mutex
	requests []Request
	failures []failure
}

type failure struct {
	status int
	header http.Header
	body   string
}

// Requests lists the requests answered so far, oldest first.
func (rc *recorder) Requests() []Request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Request(nil), rc.requests...)
}

// Count tells how many requests answered so far start with prefix, which
// is written as Request.String writes them: "POST /rest/api/3/issue",
// "GET /repos/acme/ops/issues/", or "" for all.
func (rc *recorder) Count(prefix string) int {
	n := 0
	for _, r := range rc.Requests() {
		if strings.HasPrefix(r.String(), prefix) {
			n++
		}
	}
	return n
}

// FailNext makes the next request answer status with header (which may be
// nil) and the vendor's error body, whatever it asks: 429 with
// Retry-After, 503, 401 … Several calls queue several failures.
func (rc *recorder) FailNext(status int, header http.Header) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.failures = append(rc.failures, failure{status: status, header: header})
}

// record notes a request and answers the failure queued for it, if any.
func (rc *recorder) record(
	w http.ResponseWriter,
	r *http.Request,
	errorBody func(int) string,
) bool {
	rc.mu.Lock()
	rc.requests = append(rc.requests, Request{Method: r.Method, Path: r.URL.Path,
		Query: r.URL.RawQuery})
	var f *failure
	if len(rc.failures) > 0 {
		f = &rc.failures[0]
		rc.failures = rc.failures[1:]
	}
	rc.mu.Unlock()
	if f == nil {
		return false
	}
	for k, vs := range f.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeRaw(w, f.status, errorBody(f.status))
	return true
}

func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// clock gives the doubles' timestamps: real time, in UTC.
func clock() time.Time { return time.Now().UTC() }

// deliveryID makes an identifier shaped like the vendors' (a UUID).
func deliveryID(n int) string {
	return fmt.Sprintf("%08x-d0c5-4e1f-8b1e-%012x", time.Now().Unix()&0xffffffff, n)
}
