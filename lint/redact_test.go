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
