package debrief

import "strings"

// Team is a group of people who own action items together: its lead is
// who an overdue item escalates to, its services the systems it owns.
type Team struct {
	Name     string   `json:"name"`
	Lead     string   `json:"lead,omitempty"`
	Members  []string `json:"members,omitempty"`
	Services []string `json:"services,omitempty"`
}

// Has reports whether the name (login or display name, any case) is the
// team's lead or one of its members.
func (t *Team) Has(name string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return false
	}
	if strings.ToLower(t.Lead) == name {
		return true
	}
	for _, m := range t.Members {
		if strings.ToLower(m) == name {
			return true
		}
	}
	return false
}

// Owns reports whether the item belongs to the team: owned by the team by
// name, or by one of its people.
func (t *Team) Owns(a *ActionItem) bool {
	if a.OwnerIsTeam || strings.EqualFold(strings.TrimSpace(a.Owner), t.Name) {
		return strings.EqualFold(strings.TrimSpace(a.Owner), t.Name)
	}
	return t.Has(a.Owner)
}

// People lists the team's lead and members, each once.
func (t *Team) People() []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range append([]string{t.Lead}, t.Members...) {
		k := strings.ToLower(strings.TrimSpace(n))
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, strings.TrimSpace(n))
		}
	}
	return out
}

// TeamOf returns the first team that owns the item, or nil.
func TeamOf(teams []Team, a *ActionItem) *Team {
	for i := range teams {
		if teams[i].Owns(a) {
			return &teams[i]
		}
	}
	return nil
}
