// Package alerting reads the webhook payloads of alerting tools
// (Prometheus Alertmanager, Grafana alerting, PagerDuty, Opsgenie and
// debrief's own generic shape) into alert events, and checks the secrets
// and signatures those tools send with them. It does no I/O: the HTTP
// layer hands it a body and stores what it returns.
//
// docs/webhooks.md describes, for people pointing a tool at debrief, what
// each parser reads from its payload.
package alerting

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/jsontext"
)

// Parse reads the webhook body an alerting tool sent to source's endpoint
// into the events it reports, in the order the body gives them. A body
// that says nothing about an incident (PagerDuty's test ping, a service
// change) gives no events and no error. A body that cannot be read is a
// KindInvalid *debrief.Error whose message names the JSON path at fault;
// it is safe to show to the person who configured the tool.
func Parse(source debrief.AlertSource, body []byte) ([]debrief.AlertEvent, error) {
	body = bytes.TrimPrefix(body, utf8BOM)
	switch source {
	case debrief.SourceAlertmanager:
		return parseAlertmanager(body)
	case debrief.SourceGrafana:
		return parseGrafana(body)
	case debrief.SourcePagerDuty:
		return parsePagerDuty(body)
	case debrief.SourceOpsgenie:
		return parseOpsgenie(body)
	case debrief.SourceGeneric:
		return parseGeneric(body)
	}
	return nil, debrief.Errorf(debrief.KindInvalid,
		"%s is not an alerting tool debrief listens to", quote(string(source)))
}

// effect is what an event type or action does: the state it puts the
// alert in ("" for none of its own), its kind on the timeline, and the
// words that start its line.
type effect struct {
	status debrief.AlertStatus
	kind   debrief.EventKind
	words  string
}

// utf8BOM is tolerated at the start of a body: a few HTTP clients on
// Windows write one, and it says nothing about the content.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readObject checks that body is UTF-8 JSON holding one object and
// returns its members, so that a parser can tell which shape it was sent
// before decoding it. want names the shape expected, for the messages.
func readObject(body []byte, want string) (map[string]json.RawMessage, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, debrief.Errorf(debrief.KindInvalid,
			"the body is empty; expected %s as JSON", want)
	}
	if bad := jsontext.InvalidUTF8(body); bad >= 0 {
		return nil, debrief.Errorf(debrief.KindInvalid, "the body is not UTF-8 text: "+
			"the byte at %s is not part of a UTF-8 character", position(body, bad))
	}
	var top map[string]json.RawMessage
	err := json.Unmarshal(body, &top)
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field == "" || err == nil && top == nil {
		return nil, debrief.Errorf(debrief.KindInvalid,
			"the body is %s, not a JSON object; expected %s",
			article(kindOfJSON(body)), want)
	}
	if err != nil {
		return nil, decodeError(body, "", err)
	}
	return top, nil
}

// decode unmarshals data into v, naming the JSON path (under path) at
// fault when a value has the wrong type.
func decode(data []byte, path string, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return decodeError(data, path, err)
	}
	return nil
}

// decodeError turns the decoder's err about data, found under path, into
// a message for the person who sent it.
func decodeError(data []byte, path string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return debrief.Errorf(debrief.KindInvalid, "the body is not valid JSON: %s at %s",
			syn.Error(), position(data, int(syn.Offset)-1))
	case errors.As(err, &typ):
		p := joinPath(path, typ.Field)
		return debrief.FieldErrorf(p, "%s: found %s where %s belongs",
			orBody(p), article(typ.Value), jsontext.TypeWord(typ.Type))
	}
	// Other decoder errors (a json.Number that is no number) carry no
	// offset; the message still says what was wrong.
	return debrief.FieldErrorf(path, "%s: %s", orBody(path), err.Error())
}

func joinPath(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}

func orBody(path string) string {
	if path == "" {
		return "the body"
	}
	return path
}

// missing is the error for a required member that is absent or empty.
func missing(path string) error {
	return debrief.FieldErrorf(path, "%s is missing", path)
}

// invalid is an error about the value at path.
func invalid(path, format string, args ...any) error {
	return debrief.FieldErrorf(path, "%s: %s", path, fmt.Sprintf(format, args...))
}

// article puts "a" or "an" before a JSON kind the decoder names
// ("string", "number", "array", "object", "bool").
func article(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "true or false"
	case "null":
		return "null"
	}
	return "a " + kind
}

// kindOfJSON names the JSON kind of a raw value by its first byte.
func kindOfJSON(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// position says where a byte offset is, as "line L, column C".
func position(data []byte, offset int) string {
	line, col := jsontext.Position(data, offset)
	return fmt.Sprintf("line %d, column %d", line, col)
}

// notThis is the error for a body that lacks the member path that every
// body of source has. When the body looks like another tool's, the
// message says which endpoint it belongs to: the usual cause is a tool
// pointed at the wrong URL.
func notThis(top map[string]json.RawMessage, source debrief.AlertSource,
	path, want string) error {
	msg := fmt.Sprintf("%s is missing, so this is not %s", path, want)
	guess, what := lookalike(top)
	switch {
	case guess == "legacy":
		msg += "; it looks like " + what + ", which debrief does not read: " +
			"use Grafana Alerting (Grafana 8 and later) with a webhook contact point"
	case guess == "pagerduty-v2":
		msg += "; it looks like " + what + ", which PagerDuty no longer sends: " +
			"create a v3 webhook subscription"
	case guess != "" && guess != source:
		msg += fmt.Sprintf("; it looks like %s: send it to /api/v1/webhooks/%s", what, guess)
	}
	return debrief.FieldErrorf(path, "%s", msg)
}

// lookalike guesses whose webhook body top is from its members.
func lookalike(top map[string]json.RawMessage) (debrief.AlertSource, string) {
	has := func(k string) bool { _, ok := top[k]; return ok }
	switch {
	case has("alerts") && (has("orgId") || has("state")):
		return debrief.SourceGrafana, "a Grafana Alerting webhook"
	case has("alerts"):
		return debrief.SourceAlertmanager, "an Alertmanager webhook"
	case has("evalMatches") || has("ruleId"):
		return "legacy", "a Grafana legacy alerting notification"
	case has("event") && kindOfJSON(top["event"]) == "object":
		return debrief.SourcePagerDuty, "a PagerDuty v3 webhook"
	case has("messages"):
		return "pagerduty-v2", "a PagerDuty v2 webhook"
	case has("action") && has("alert"):
		return debrief.SourceOpsgenie, "an Opsgenie webhook"
	case has("group_key") || has("events"):
		return debrief.SourceGeneric, "debrief's generic alert shape"
	}
	return "", ""
}
