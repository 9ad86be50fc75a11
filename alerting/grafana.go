package alerting

import (
	"encoding/json"
	"strconv"

	"github.com/debrief-oss/debrief"
)

// parseGrafana reads the body of a Grafana Alerting webhook contact point.
// It is Alertmanager's body with Grafana's additions (orgId, state, title,
// message, values, and per alert silenceURL, dashboardURL, panelURL,
// imageURL), and it is read the same way: each alert by its own status
// (Grafana 9 says "ok" for a resolved group, but its alerts say
// "resolved"), grouped by groupKey, keyed by fingerprint. The rule's page
// (generatorURL) is the event's link, else the panel or the dashboard.
// The deprecated top-level title and message are not read: they describe
// the whole group, and each alert carries its own.
func parseGrafana(body []byte) ([]debrief.AlertEvent, error) {
	events, err := parseAlertGroup(debrief.SourceGrafana, body, "a Grafana Alerting webhook body")
	if err != nil {
		return nil, err
	}
	// Each organisation of a Grafana has its own alerting, whose group
	// keys can be the same as another's ({}:{} for a default policy). The
	// group keys of organisations other than the first, which most
	// Grafanas only have, are prefixed with "org <id>/" to keep them apart.
	var org struct {
		OrgID json.RawMessage `json:"orgId"`
	}
	if err := decode(body, "", &org); err != nil {
		return nil, err
	}
	if id, err := strconv.ParseInt(string(org.OrgID), 10, 64); err == nil && id != 1 {
		for i := range events {
			events[i].GroupKey = "org " + strconv.FormatInt(id, 10) + "/" + events[i].GroupKey
		}
	}
	return events, nil
}
