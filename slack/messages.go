package slack

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// Kind says whether a message is part of the conversation or a change to
// the channel that Slack records as a message.
type Kind string

// The message kinds. KindMessage is what people and bots wrote; the others
// are housekeeping, except KindTombstone, the place of a deleted message
// that keeps its thread.
const (
	KindMessage   Kind = ""
	KindJoin      Kind = "join"
	KindLeave     Kind = "leave"
	KindTopic     Kind = "topic"
	KindPurpose   Kind = "purpose"
	KindRename    Kind = "rename"
	KindArchive   Kind = "archive"
	KindTombstone Kind = "tombstone"
)

// subtypeKinds maps Slack's subtypes to kinds; other subtypes (bot_message,
// thread_broadcast, file_share, me_message, …) are ordinary messages.
var subtypeKinds = map[string]Kind{
	"channel_join": KindJoin, "group_join": KindJoin,
	"channel_leave": KindLeave, "group_leave": KindLeave,
	"channel_topic": KindTopic, "group_topic": KindTopic,
	"channel_purpose": KindPurpose, "group_purpose": KindPurpose,
	"channel_name": KindRename, "group_name": KindRename,
	"channel_archive": KindArchive, "group_archive": KindArchive,
	"channel_unarchive": KindArchive, "group_unarchive": KindArchive,
	"tombstone": KindTombstone,
}

// deletedText is what Slack leaves as the text of a deleted thread parent.
const deletedText = "This message was deleted."

// Message is one message of a channel.
type Message struct {
	// TS is Slack's timestamp exactly as exported; with the channel it
	// identifies the message.
	TS string
	// Time is TS as a moment in UTC, to the microsecond.
	Time time.Time
	// User is the author's user ID; bots posting through integrations
	// may have none.
	User string
	// UserName is the author's name from the profile the message carries
	// (the display name, else the real name, else the handle), for authors
	// users.json does not list.
	UserName string
	// BotID and BotName are set for messages from bots and integrations.
	BotID   string
	BotName string
	// Bot is true for a message from a bot: one with a bot ID, the
	// bot_message subtype, or an author users.json marks as a bot.
	Bot     bool
	Subtype string
	Kind    Kind
	// Text is the message as Slack stores it, markup and all; see Render.
	Text string
	// Attachments holds the text of legacy attachments, which
	// integrations use instead of Text.
	Attachments []string
	// ThreadTS is the thread the message starts or belongs to, as exported.
	ThreadTS string
	// Parent is the TS of the thread's first message when this message is
	// a reply, found from ThreadTS whatever the subtype; "" otherwise.
	Parent string
	// Replies lists the TS of the replies found in the export, for the
	// first message of a thread, in time order.
	Replies []string
	Files   []string
	Edited  bool
	Hidden  bool
	// File is the day file the message was read from, "general/2024-01-15.json".
	File string
}

// Housekeeping reports whether m records a change to the channel (a join,
// a leave, a new topic, purpose or name, an archiving) rather than
// something said.
func (m Message) Housekeeping() bool {
	return m.Kind != KindMessage && m.Kind != KindTombstone
}

// Messages returns the messages of a channel, named by ID or name, whose
// time is in [from, to), in time order; a zero from or to leaves that end
// open. All the channel's day files are read, because a reply may be
// filed under a later day than its thread or an exporter may file it with
// its thread; each reply is placed by its own time, with Parent set. A
// channel without a folder has no messages.
func (e *Export) Messages(channel string, from, to time.Time) ([]Message, error) {
	c, err := e.channel(channel)
	if err != nil {
		return nil, err
	}
	all, err := e.readChannel(c)
	if err != nil {
		return nil, err
	}
	resolveThreads(all)
	var out []Message
	for _, m := range all {
		if !from.IsZero() && m.Time.Before(from) || !to.IsZero() && !m.Time.Before(to) {
			continue
		}
		out = append(out, m)
	}
	return out, nil
}

// readChannel reads every day file of c, keeping the first copy of a
// message that more than one file holds, and sorts by time.
func (e *Export) readChannel(c Channel) ([]Message, error) {
	dir, entries, err := e.channelFolder(c)
	if err != nil || dir == "" {
		return nil, err
	}
	b := &budget{left: maxTotalSize}
	seen := map[string]bool{}
	var all []Message
	for _, en := range entries {
		if en.IsDir() || !dayFile(en.Name()) {
			continue
		}
		name := path.Join(dir, en.Name())
		data, err := b.read(e.fsys, name)
		if err != nil {
			return nil, err
		}
		err = decodeList(name, data, func(w *wireMessage) error {
			m, err := e.message(w, name)
			if err != nil || seen[m.TS] {
				return err
			}
			seen[m.TS] = true
			all = append(all, m)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(all, func(a, b Message) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.TS, b.TS))
	})
	return all, nil
}

// channelFolder lists the folder of c's day files: the one named after c,
// else the one named by its ID; "" when there is neither.
func (e *Export) channelFolder(c Channel) (string, []fs.DirEntry, error) {
	for _, dir := range []string{c.folder, c.ID} {
		if !fs.ValidPath(dir) || dir == "." || strings.Contains(dir, "/") {
			continue // a name that is no folder of the export
		}
		if info, err := fs.Stat(e.fsys, dir); err != nil || !info.IsDir() {
			continue
		}
		entries, err := fs.ReadDir(e.fsys, dir)
		if err != nil {
			return "", nil, fmt.Errorf("slack: listing %s: %w", quoteName(dir), err)
		}
		return dir, entries, nil
	}
	return "", nil, nil
}

// message checks and converts one exported message.
func (e *Export) message(w *wireMessage, file string) (Message, error) {
	at, ok := ParseTS(w.TS)
	if !ok {
		return Message{}, fmt.Errorf("ts %s is not a Slack timestamp", quoteValue(w.TS))
	}
	if w.ThreadTS != "" {
		if _, ok := ParseTS(w.ThreadTS); !ok {
			return Message{}, fmt.Errorf("thread_ts %s is not a Slack timestamp",
				quoteValue(w.ThreadTS))
		}
	}
	m := Message{
		TS: w.TS, Time: at, User: w.User, BotID: w.BotID, Subtype: w.Subtype,
		Kind: subtypeKinds[w.Subtype], Text: w.Text, ThreadTS: w.ThreadTS,
		Edited: len(w.Edited) > 0 && string(w.Edited) != "null", Hidden: w.Hidden, File: file,
		UserName: firstOf(w.UserProfile.DisplayName, w.UserProfile.RealName, w.UserProfile.Name),
	}
	if m.Kind == KindMessage && w.Hidden && strings.TrimSpace(w.Text) == deletedText {
		m.Kind = KindTombstone
	}
	author := e.Users[w.User]
	m.Bot = w.BotID != "" || w.Subtype == "bot_message" || author.IsBot
	if m.Bot {
		m.BotName = firstOf(w.BotProfile.Name, w.Username, looseText(author.Label()))
	}
	for _, f := range w.Files {
		if name := firstOf(f.Name, f.Title, f.ID); name != "" {
			m.Files = append(m.Files, name)
		}
	}
	for _, a := range w.Attachments {
		if text := attachmentText(a); text != "" {
			m.Attachments = append(m.Attachments, text)
		}
	}
	return m, nil
}

// attachmentText is the plain-text form an attachment offers, or its parts.
func attachmentText(a wireAttachment) string {
	if s := firstOf(a.Fallback); s != "" {
		return s
	}
	var parts []string
	for _, s := range []looseText{a.Pretext, a.Title, a.Text} {
		if s := firstOf(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " — ")
}

// resolveThreads sets Parent on replies and Replies on the messages they
// answer. A reply is any message whose thread_ts is not its own ts: Slack
// marks some with the thread_broadcast subtype and lists some in the
// parent's legacy "replies" array, but neither is reliable.
func resolveThreads(all []Message) {
	index := make(map[string]int, len(all))
	for i, m := range all {
		index[m.TS] = i
	}
	for i := range all {
		m := &all[i]
		if m.ThreadTS == "" || m.ThreadTS == m.TS {
			continue
		}
		m.Parent = m.ThreadTS
		if p, ok := index[m.Parent]; ok {
			all[p].Replies = append(all[p].Replies, m.TS)
		}
	}
}

// ParseTS reads a Slack timestamp, "1705312800.000001": seconds since 1970
// and a fraction, read as digits rather than as a float so no
// microsecond is lost.
func ParseTS(ts string) (time.Time, bool) {
	sec, frac, dot := strings.Cut(ts, ".")
	if sec == "" || len(sec) > 11 || !digits(sec) || len(frac) > 9 || !digits(frac) ||
		dot && frac == "" {
		return time.Time{}, false
	}
	var s, ns int64
	for _, c := range sec {
		s = s*10 + int64(c-'0')
	}
	for i := range 9 {
		ns *= 10
		if i < len(frac) {
			ns += int64(frac[i] - '0')
		}
	}
	return time.Unix(s, ns).UTC(), true
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// quoteValue quotes a value from the export in an error, cut if long.
func quoteValue(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%q", s)
}
