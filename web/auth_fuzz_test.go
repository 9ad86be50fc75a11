package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext: whatever next holds, the login form sends the browser to
// a path on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/postmortems/a?x=1", "//evil.example", `/\evil`,
		"/\t/evil", "https://evil.example", "javascript:alert(1)", "/%2F%2Fevil",
		"/./../evil", "/login", "\x00/", "/ok#frag"} {
		f.Add(s)
	}
	site, _ := url.Parse("https://debrief.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != "/" && got != next {
			t.Fatalf("safeNext(%q) = %q: neither the input nor home", next, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") ||
			strings.ContainsAny(got, "\\\t\r\n") {
			t.Fatalf("safeNext(%q) = %q: not a local path", next, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q does not parse: %v", next, got, err)
		}
		if to := site.ResolveReference(u); to.Host != site.Host || to.Scheme != site.Scheme {
			t.Fatalf("safeNext(%q) = %q leads to %s", next, got, to)
		}
	})
}
