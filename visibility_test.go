package debrief

import "testing"

func TestRestrictedReportsAreVisibleToThePeopleNamed(t *testing.T) {
	restricted := &Postmortem{
		ID:          "breach",
		Visibility:  VisibilityRestricted,
		Authors:     []string{"Alice Andersen", "bob"},
		Facilitator: " Fay Fischer ",
		Team:        []TeamMember{{Name: "Tom Tran", Role: RoleDeveloper}},
		Meeting:     Meeting{Attendees: []string{"ATTENDEE-ANN"}},
		UpdatedBy:   "uwe",
	}
	person := func(login, display string, role AccessRole) Actor {
		return Actor{UserID: 9, Name: login, DisplayName: display, Role: role}
	}
	tests := []struct {
		name string
		a    Actor
		want bool
	}{
		{"admin named nowhere", person("root", "", AccessAdmin), true},
		{"author by login, other case", person("Bob", "", AccessViewer), true},
		{"author by display name", person("aa", "alice andersen", AccessViewer), true},
		{"facilitator, spaces ignored", person("ff", "Fay Fischer", AccessFacilitator), true},
		{"team member", person("tt", " tom tran ", AccessContributor), true},
		{"meeting attendee", person("attendee-ann", "Ann", AccessViewer), true},
		{"last to save it", person("UWE", "", AccessContributor), true},
		{"stranger", person("sam", "Sam Stone", AccessFacilitator), false},
		{"stranger with no display name", person("sam", "", AccessViewer), false},
		{"display name of the last saver is not enough", person("x", "uwe", AccessViewer), false},
		{"nobody signed in, though named", person("bob", "", ""), false},
	}
	for _, tt := range tests {
		if got := restricted.VisibleTo(tt.a); got != tt.want {
			t.Errorf("%s: VisibleTo = %t, want %t", tt.name, got, tt.want)
		}
	}
}

func TestInternalReportsAreVisibleToEveryoneSignedIn(t *testing.T) {
	for _, v := range []Visibility{VisibilityInternal, ""} {
		p := &Postmortem{ID: "x", Visibility: v, Authors: []string{"alice"}}
		for _, role := range AccessRoles {
			if !p.VisibleTo(Actor{Name: "sam", Role: role}) {
				t.Errorf("visibility %q: a %s who is not named cannot read it", v, role)
			}
		}
		if p.VisibleTo(Actor{}) {
			t.Errorf("visibility %q: visible to someone not signed in", v)
		}
	}
}

func TestARestrictedReportNamingNobodyIsNotOpenToNamelessActors(t *testing.T) {
	p := &Postmortem{ID: "x", Visibility: VisibilityRestricted}
	if p.VisibleTo(Actor{Role: AccessViewer}) {
		t.Error("a report with no names and no last saver is visible to an actor with no names")
	}
}
