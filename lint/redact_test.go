package lint

import "testing"

func TestRedactPutsRolesInPlaceOfPeople(t *testing.T) {
	c := New(Roster{People: []Person{{Name: "Priya Raman", Role: "incident commander"}}})
	text := "Priya Raman paged Tomás at 09:14; reach priya.raman@example.com or " +
		"+1 415 555 0100. Priya Raman's notes are in the doc."
	got := Redact(text, c.Text("document", text))
	want := "The incident commander paged a responder at 09:14; reach [e-mail address] or " +
		"[phone number]. The incident commander's notes are in the doc."
	if got != want {
		t.Errorf("redacted:\n%s\nwant:\n%s", got, want)
	}
}

// TestRedactKeepsTechnicalTextAndWholeNames checks that redaction leaves a
// unit after a measurement alone, and replaces a whole name: its title,
// an O'-surname, the particles of "van der Berg", and a possessive
// written with a bare apostrophe.
func TestRedactKeepsTechnicalTextAndWholeNames(t *testing.T) {
	c := New(Roster{})
	tests := []struct{ text, want string }{
		{"The grid frequency fell to 47.5 Hz before the trip.",
			"The grid frequency fell to 47.5 Hz before the trip."},
		{"The call was led by Dr. Sarah O'Neil from the start.",
			"The call was led by a responder from the start."},
		{"The rollback was approved by Pieter van der Berg at noon.",
			"The rollback was approved by a responder at noon."},
		{"The rollback reverted James' commit from Monday.",
			"The rollback reverted a responder's commit from Monday."},
	}
	for _, tt := range tests {
		if got := Redact(tt.text, c.Text("document", tt.text)); got != tt.want {
			t.Errorf("redacted:\n%s\nwant:\n%s", got, tt.want)
		}
	}
}
