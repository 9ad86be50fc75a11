package notify

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The parts of a Slack message that slackBody writes. Slack refuses a
// whole message for one block it does not like (400 invalid_blocks), so
// the body keeps to the documented limits below.
type (
	slackMessage struct {
		Text   string       `json:"text"`
		Blocks []slackBlock `json:"blocks"`
	}
	slackBlock struct {
		Type     string         `json:"type"`
		Text     *slackText     `json:"text,omitempty"`
		Elements []slackElement `json:"elements,omitempty"`
	}
	slackText struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	// slackElement is a context block's text (Text a string) or an
	// actions block's button (Text a *slackText, and a URL).
	slackElement struct {
		Type string `json:"type"`
		Text any    `json:"text"`
		URL  string `json:"url,omitempty"`
	}
)

// Slack's limits, in characters.
const (
	slackSectionMax  = 3000
	slackContextMax  = 3000
	slackFallbackMax = 3000
	slackURLMax      = 3000
)

// slackBody writes m as a Slack incoming-webhook message: a fallback text
// for notifications, a section with the subject in bold and the text, a
// context line about the item, and a button linking to it.
func slackBody(m Message) ([]byte, error) {
	head := "*" + slackEscape(m.Subject) + "*"
	section := head
	if t := strings.TrimSpace(m.Text); t != "" {
		section += "\n" + slackEscape(t)
	}
	msg := slackMessage{
		Text: truncate(slackEscape(m.Subject), slackFallbackMax),
		Blocks: []slackBlock{{Type: "section",
			Text: &slackText{Type: "mrkdwn", Text: truncate(section, slackSectionMax)}}},
	}
	if about := itemLine(m.Item); about != "" {
		msg.Blocks = append(msg.Blocks, slackBlock{Type: "context",
			Elements: []slackElement{{Type: "mrkdwn",
				Text: truncate(slackEscape(about), slackContextMax)}}})
	}
	if link := slackLink(m.URL); link != "" {
		msg.Blocks = append(msg.Blocks, slackBlock{Type: "actions",
			Elements: []slackElement{{Type: "button", URL: link,
				Text: &slackText{Type: "plain_text", Text: "Open in debrief"}}}})
	}
	return marshal(msg)
}

// slackEscape escapes the three characters Slack's markup gives a
// meaning: without it, user text such as "<!channel>" would notify a
// whole channel, and "<https://x|y>" would make a disguised link.
var slackEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// slackLink returns u when it can be a button's link: an absolute http(s)
// URL within Slack's length limit.
func slackLink(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" ||
		len(u) > slackURLMax {
		return ""
	}
	return u
}

// itemLine describes the item in one line: "Action item 3 of pm2022-006
// (ALB 502 errors) · owner: SRE · due: 2026-03-01 · status: open · team:
// payments".
func itemLine(it ItemInfo) string {
	var parts []string
	if it.PostmortemID != "" {
		s := "Action item " + strconv.Itoa(it.Number) + " of " + oneLine(it.PostmortemID)
		if it.PostmortemTitle != "" {
			s += " (" + oneLine(it.PostmortemTitle) + ")"
		}
		parts = append(parts, s)
	}
	for _, f := range [][2]string{{"owner", it.Owner}, {"due", it.Due},
		{"status", it.Status}, {"team", it.Team}} {
		if f[1] != "" {
			parts = append(parts, f[0]+": "+oneLine(f[1]))
		}
	}
	return strings.Join(parts, " · ")
}

// slackHint says what to do about an answer from Slack that no retry
// cures, after the answer itself.
func slackHint(code int) string {
	switch code {
	case http.StatusNotFound:
		return ": the webhook no longer exists; make a new one in Slack and " +
			"configure its URL"
	case http.StatusGone:
		return ": the channel was archived; unarchive it or configure another " +
			"webhook"
	case http.StatusForbidden:
		return ": Slack does not let this webhook post in its channel"
	case http.StatusBadRequest:
		return ": Slack refused the message as written"
	}
	return ""
}

// oneLine joins the lines and runs of spaces of s into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
