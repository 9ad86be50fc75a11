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
