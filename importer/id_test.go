package importer

import "testing"

func TestSlug(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"PM2022-006 - ALB 502 errors", "pm2022-006-alb-502-errors"},
		{"Zürich café outage", "zurich-cafe-outage"},
		{"  --Weird__name--  ", "weird-name"},
		{"東京", ""},
		{"Google Compute Engine incident affecting the us-central1 region in August 2024",
			"google-compute-engine-incident-affecting-the-us-central1"},
	} {
		if got := slug(c.in); got != c.want {
			t.Errorf("slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
