package markdown

import (
	"github.com/debrief-oss/debrief"
)

// nativeFrontAction is an action item's tracking in the front matter: what
// its row in the body's table does not say (how it was verified, its
// ticket, its marks), so that an export imported into another database
// gives the item back as it was.
type nativeFrontAction struct {
	Number     int                 `yaml:"number"`
	Closure    *nativeFrontClosure `yaml:"closure,omitempty"`
	VerifiedBy string              `yaml:"verified_by,omitempty"`
	VerifiedAt nativeTime          `yaml:"verified_at,omitempty"`
	UpdatedBy  string              `yaml:"updated_by,omitempty"`
	UpdatedAt  nativeTime          `yaml:"updated_at,omitempty"`
	Stalled    bool                `yaml:"stalled,omitempty"`
	Recheck    string              `yaml:"recheck,omitempty"`
	Ticket     *nativeFrontTicket  `yaml:"ticket,omitempty"`
}

type nativeFrontClosure struct {
	Implemented bool   `yaml:"implemented"`
	Tested      bool   `yaml:"tested"`
	Documented  bool   `yaml:"documented"`
	Result      string `yaml:"result,omitempty"`
	Evidence    string `yaml:"evidence,omitempty"`
}

type nativeFrontTicket struct {
	System   string     `yaml:"system"`
	Key      string     `yaml:"key"`
	URL      string     `yaml:"url,omitempty"`
	Status   string     `yaml:"status,omitempty"`
	SyncedAt nativeTime `yaml:"synced_at,omitempty"`
}

// actionTracking lists the tracking of the items that have any beyond
// their status.
func actionTracking(items []debrief.ActionItem) []nativeFrontAction {
	var out []nativeFrontAction
	for _, x := range items {
		a := nativeFrontAction{Number: x.Number, VerifiedBy: x.VerifiedBy,
			VerifiedAt: nativeTime{x.VerifiedAt}, UpdatedBy: x.UpdatedBy,
			UpdatedAt: nativeTime{x.UpdatedAt}, Stalled: x.Stalled, Recheck: x.Recheck}
		if c := x.Closure; c != nil {
			a.Closure = &nativeFrontClosure{Implemented: c.Implemented, Tested: c.Tested,
				Documented: c.Documented, Result: c.Result, Evidence: c.Evidence}
		}
		if t := x.Ticket; t != nil {
			a.Ticket = &nativeFrontTicket{System: t.System, Key: t.Key, URL: t.URL,
				Status: t.Status, SyncedAt: nativeTime{t.SyncedAt}}
		}
		if a.Closure == nil && a.VerifiedBy == "" && x.VerifiedAt.IsZero() &&
			a.UpdatedBy == "" && x.UpdatedAt.IsZero() && !a.Stalled && a.Recheck == "" &&
			a.Ticket == nil {
			continue
		}
		out = append(out, a)
	}
	return out
}

// applyTracking puts the front matter's tracking on the body's items, by
// number.
func applyTracking(p *debrief.Postmortem, tracking []nativeFrontAction) {
	for _, a := range tracking {
		for i := range p.ActionItems {
			x := &p.ActionItems[i]
			if x.Number != a.Number {
				continue
			}
			x.VerifiedBy, x.VerifiedAt = a.VerifiedBy, a.VerifiedAt.Time
			if c := a.Closure; c != nil {
				x.Closure = &debrief.Closure{Implemented: c.Implemented, Tested: c.Tested,
					Documented: c.Documented, Result: c.Result, Evidence: c.Evidence}
			}
			x.UpdatedBy, x.UpdatedAt = a.UpdatedBy, a.UpdatedAt.Time
			x.Stalled, x.Recheck = a.Stalled, a.Recheck
			if t := a.Ticket; t != nil {
				x.Ticket = &debrief.Ticket{System: t.System, Key: t.Key, URL: t.URL,
					Status: t.Status, SyncedAt: t.SyncedAt.Time}
			}
		}
	}
}
