package timeline

import (
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/slack"
	"github.com/debrief-oss/debrief/timestamp"
)

// How FromSlack names people.
const (
	PeopleName = "name"
	PeopleRole = "role"
)

// SlackOptions choose what of a Slack export becomes events. The zero
// value of each option is the usual choice: threads and bots are in.
type SlackOptions struct {
	// Channel is the channel's name or ID.
	Channel string
	// From and To bound the messages' times: From is in, To is out; a
	// zero time leaves that end open.
	From, To time.Time
	// People is PeopleName (the default) to name people as Slack shows
	// them, or PeopleRole to name them by their role in the report where
	// Roles knows it, as a blameless report prefers.
	People string
	// Roles maps a Slack user ID, handle, display name or real name to
	// the person's role in this report ("incident commander").
	Roles map[string]string
	// ExcludeThreads leaves out thread replies, but for those their
	// authors also sent to the channel.
	ExcludeThreads bool
	// ExcludeBots leaves out messages from bots and integrations.
	ExcludeBots bool
}

// formerMember names a deleted user of whom the export keeps no name.
const formerMember = "a former member"

// FromSlack makes one event per message of a channel in the window, in
// time order, a thread reply placed by its own time and marked "↳ ". Joins,
// leaves and topic, purpose and name changes are left out, and so is the
// text of a deleted message, but not the replies it kept.
//
// Text is "speaker: message", the message rendered from Slack's markup
// with mentions named as speakers are. The speaker is the role when People
// is PeopleRole and Roles knows it, else the person's display or real
// name, else "a former member" for a deleted user the export keeps no name
// of, else the user ID; a bot goes by the bot's name. Files shared are
// listed after the text.
//
// Source is "slack". TimeText is the moment in UTC followed by Slack's own
// timestamp, "2024-01-15 10:02:33 UTC (ts 1705312953.000100)", which with
// the channel finds the message again; Time holds the same moment to the
// microsecond.
func FromSlack(ex *slack.Export, o SlackOptions) ([]debrief.TimelineEvent, error) {
	if o.People != "" && o.People != PeopleName && o.People != PeopleRole {
		return nil, debrief.FieldErrorf("people", "people must be %q or %q, not %q",
			PeopleName, PeopleRole, o.People)
	}
	msgs, err := ex.Messages(o.Channel, o.From, o.To)
	if err != nil {
		return nil, err
	}
	n := newNamer(ex, o)
	var events []debrief.TimelineEvent
	for _, m := range msgs {
		switch {
		case m.Housekeeping(), m.Kind == slack.KindTombstone:
			continue
		case m.Parent != "" && m.Subtype != "thread_broadcast" && o.ExcludeThreads,
			m.Bot && o.ExcludeBots:
			continue
		}
		events = append(events, slackEvent(ex, m, n))
	}
	return Check(events), nil
}

// slackEvent makes the event of one message.
func slackEvent(ex *slack.Export, m slack.Message, n *namer) debrief.TimelineEvent {
	text := ex.Render(m, n.mention)
	if len(m.Files) > 0 {
		text = joinText(text, "[file: "+strings.Join(m.Files, ", ")+"]")
	}
	line := n.speaker(m) + ": " + text
	if m.Parent != "" {
		line = "↳ " + line
	}
	ev := debrief.TimelineEvent{
		Time:     m.Time,
		TimeText: m.Time.Format(utcLayout) + " (ts " + m.TS + ")",
		Text:     clean(line),
		Kind:     debrief.GuessEventKind(text),
		Source:   SourceSlack,
	}
	if !timestamp.PlausibleYear(m.Time.Year()) {
		ev.Time, ev.Flag = time.Time{}, debrief.FlagImpossible
	}
	return ev
}

// namer names the people of an export as the options ask.
type namer struct {
	ex    *slack.Export
	role  bool
	roles map[string]string // by user ID, and by name folded to lower case
}

func newNamer(ex *slack.Export, o SlackOptions) *namer {
	n := &namer{ex: ex, role: o.People == PeopleRole, roles: map[string]string{}}
	for key, role := range o.Roles {
		if role = strings.TrimSpace(role); role != "" {
			n.roles[strings.ToLower(strings.TrimSpace(key))] = role
			n.roles[strings.TrimSpace(key)] = role
		}
	}
	return n
}

// roleOf returns the role of a user, by ID first, then by any of their names.
func (n *namer) roleOf(id string, names ...string) string {
	if r := n.roles[id]; r != "" {
		return r
	}
	u := n.ex.Users[id]
	for _, name := range append(names, u.Name, u.DisplayName, u.RealName) {
		if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
			if r := n.roles[name]; r != "" {
				return r
			}
		}
	}
	return ""
}

// mention names a mentioned user: by role when asked and known, else ""
// so that Render names them as the export does.
func (n *namer) mention(id string) string {
	if n.role {
		return n.roleOf(id)
	}
	return ""
}

// speaker names the author of m.
func (n *namer) speaker(m slack.Message) string {
	if m.Bot && m.BotName != "" {
		return m.BotName
	}
	if m.User == "" {
		if m.Bot {
			return "a bot"
		}
		return "someone"
	}
	if n.role {
		if r := n.roleOf(m.User, m.UserName); r != "" {
			return r
		}
	}
	u, known := n.ex.Users[m.User]
	switch {
	case u.Label() != "":
		return u.Label()
	case m.UserName != "":
		return m.UserName
	case known && u.Deleted:
		return formerMember
	}
	return m.User
}
