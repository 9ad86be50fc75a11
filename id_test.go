package debrief

import (
	"strings"
	"testing"
)

func TestValidateIDKeepsIDsSafeInAddressesAndFileNames(t *testing.T) {
	for _, id := range []string{"inc-2026-03-07-queue", "INC_4411", "v1.2", "7",
		strings.Repeat("a", MaxIDLen)} {
		if err := ValidateID("id", id); err != nil {
			t.Errorf("ValidateID(%q) = %v, want nil", id, err)
		}
	}
	for _, id := range []string{"", "..", ".hidden", "-x", "a/b", "a b", "é", "<script>",
		strings.Repeat("a", MaxIDLen+1)} {
		err := ValidateID("incident_id", id)
		if ErrorKind(err) != KindInvalid || ErrorField(err) != "incident_id" {
			t.Errorf("ValidateID(%q) = %v, want an invalid incident_id", id, err)
		}
		if err != nil && !strings.Contains(ErrorMessage(err), "incident_id") {
			t.Errorf("ValidateID(%q) says %q, which does not name the field", id, err)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"PM2022-006 - ALB 502 errors", "pm2022-006-alb-502-errors"},
		{"Zürich café outage", "zurich-cafe-outage"},
		{"  --Weird__name--  ", "weird-name"},
		{"東京", ""},
		{"Google Compute Engine incident affecting the us-central1 region in August 2024",
			"google-compute-engine-incident-affecting-the-us-central1"},
	} {
		if got := Slug(c.in); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
