package slack

import (
	"strconv"
	"strings"
	"time"
)

// Render returns m's text as plain text: Slack's markup rendered, its
// escapes decoded. A message whose text is empty, as integrations often
// send, renders its attachments instead. name gives the label for a
// mentioned user ID; when it is nil or returns "", the user's name in the
// export is used, then the name the mention carries, then the ID.
func (e *Export) Render(m Message, name func(userID string) string) string {
	text := m.Text
	if strings.TrimSpace(text) == "" && len(m.Attachments) > 0 {
		text = strings.Join(m.Attachments, "\n")
	}
	return e.RenderText(text, name)
}

// RenderText renders a text in Slack's markup as plain text; see Render.
//
//	<@U123>, <@U123|alice>     → name("U123")
//	<#C123|general>, <#C123>   → #general
//	<!here>, <!channel>        → @here, @channel (and @everyone)
//	<!subteam^S1|@oncall>      → @oncall
//	<!date^1392734382^…|Feb 18> → Feb 18
//	<https://x|label>          → label (https://x)
//	<https://x>                → https://x
//	<mailto:a@b.c|a@b.c>       → a@b.c
//	&amp; &lt; &gt;            → & < >
func (e *Export) RenderText(text string, name func(userID string) string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(text, '<')
		if open < 0 {
			break
		}
		end := strings.IndexAny(text[open+1:], "<>")
		if end < 0 {
			break
		}
		end += open + 1
		if text[end] == '<' {
			// "<a <b>": the first bracket opens nothing.
			b.WriteString(unescape(text[:end]))
			text = text[end:]
			continue
		}
		inner := text[open+1 : end]
		if !markupTarget(inner) {
			b.WriteString(unescape(text[:end+1]))
			text = text[end+1:]
			continue
		}
		b.WriteString(unescape(text[:open]))
		b.WriteString(e.markup(inner, name))
		text = text[end+1:]
	}
	b.WriteString(unescape(text))
	return b.String()
}

// markupTarget reports whether inner, between < and >, is Slack markup.
// Slack escapes a lone "<", and its targets hold no spaces but in a
// date's format; a bracket in text from elsewhere opens nothing.
func markupTarget(inner string) bool {
	target, _, _ := strings.Cut(inner, "|")
	return target != "" && (target[0] == '!' || !strings.ContainsAny(target, " \t\n"))
}

// markup renders what stood between < and >.
func (e *Export) markup(inner string, name func(string) string) string {
	target, label, _ := strings.Cut(inner, "|")
	label = unescape(label)
	switch {
	case strings.HasPrefix(target, "@"):
		return e.userLabel(target[1:], label, name)
	case strings.HasPrefix(target, "#"):
		return "#" + e.channelLabel(target[1:], label)
	case strings.HasPrefix(target, "!"):
		return special(target[1:], label)
	}
	return link(unescape(target), label)
}

func (e *Export) userLabel(id, label string, name func(string) string) string {
	if name != nil {
		if s := name(id); s != "" {
			return s
		}
	}
	if s := e.DisplayName(id); s != "" {
		return s
	}
	if label = strings.TrimPrefix(label, "@"); label != "" {
		return label
	}
	return id
}

func (e *Export) channelLabel(id, label string) string {
	if label != "" {
		return label
	}
	for _, c := range e.Channels {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

// special renders Slack's commands: broadcasts, user groups and dates.
func special(cmd, label string) string {
	switch {
	case cmd == "here" || cmd == "channel" || cmd == "everyone":
		return "@" + cmd
	case label != "":
		return label
	case strings.HasPrefix(cmd, "subteam^"):
		return "@" + strings.TrimPrefix(cmd, "subteam^")
	case strings.HasPrefix(cmd, "date^"):
		// A date without its fallback text: show the moment it encodes.
		secs, _, _ := strings.Cut(strings.TrimPrefix(cmd, "date^"), "^")
		if n, err := strconv.ParseInt(secs, 10, 64); err == nil && n >= 0 && n < 1<<35 {
			return time.Unix(n, 0).UTC().Format("2006-01-02 15:04 UTC")
		}
	}
	return cmd
}

// link renders a link; a label that only repeats the address is dropped.
func link(url, label string) string {
	bare := url
	for _, scheme := range []string{"mailto:", "https://", "http://"} {
		bare = strings.TrimPrefix(bare, scheme)
	}
	switch {
	case label == "" && strings.HasPrefix(url, "mailto:"):
		return bare
	case label == "":
		return url
	case label == url || label == bare || label == strings.TrimSuffix(bare, "/"):
		return label
	}
	return label + " (" + url + ")"
}

// unescaper decodes the three entities Slack escapes; an "&amp;lt;" becomes
// "&lt;", as a replacer does not rescan what it wrote.
var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func unescape(s string) string { return unescaper.Replace(s) }
