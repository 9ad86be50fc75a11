package markdown

import (
	"testing"
	"time"
)

func TestIncidentMomentsComeFromTheTimeline(t *testing.T) {
	doc := `# Checkout errors

## Timeline

All times in UTC.

- 2024-03-07 09:55 Deploy of checkout v42 started
- 2024-03-07 10:00 Alert fired: checkout error rate above 5%
- 2024-03-07 10:20 Rolled back to v41; error rate falling
- 2024-03-07 10:45 Incident resolved
`
	res, err := Parse(Document{Name: "checkout.md", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	inc := res.Postmortem.Incident
	at := func(hm string) time.Time {
		v, _ := time.Parse("2006-01-02 15:04", "2024-03-07 "+hm)
		return v
	}
	for _, c := range []struct {
		name      string
		got, want time.Time
	}{
		{"started", inc.StartedAt, at("09:55")},
		{"detected", inc.DetectedAt, at("10:00")},
		{"mitigated", inc.MitigatedAt, at("10:20")},
		{"resolved", inc.ResolvedAt, at("10:45")},
	} {
		if !c.got.Equal(c.want) {
			t.Errorf("%s at %v, want %v", c.name, c.got, c.want)
		}
	}
}
