package alerting

import "github.com/debrief-oss/debrief"

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
	return parseAlertGroup(debrief.SourceGrafana, body, "a Grafana Alerting webhook body")
}
