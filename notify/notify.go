// Package notify delivers notifications about action items: to outgoing
// webhooks (a generic signed JSON body, or Slack's incoming-webhook
// message format) and by e-mail over SMTP.
//
// A Channel sends one Message per call and nothing else: it keeps no queue
// and never retries by itself. The caller, an outbox in the database, calls
// Send once per delivery, asks Retryable whether a failure is worth another
// try, and waits Backoff (or RetryPolicy.After, which honours a receiver's
// Retry-After) before it. Every Message carries a Key that stays the same
// across those tries, so that receivers can drop duplicates: webhooks send
// it in X-Debrief-Delivery and e-mail derives its Message-ID from it.
//
// Channels are read from configuration by ParseChannels. Secrets (webhook
// URLs with a token in their path, signing secrets, SMTP passwords) come
// from the environment or the configuration and never appear in an error,
// in String or in LogValue. The package writes no logs.
package notify

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Message is one notification about an action item.
type Message struct {
	// Key identifies the delivery and stays the same across retries, such
	// as "pm2022-006/3/overdue-1d/email:ops". Required: printable ASCII,
	// spaces inside only, at most 200 bytes.
	Key string
	// Event names what happened: "action.overdue", "action.escalated",
	// "action.stalled", "action.status", "action.recheck", ... Required.
	Event string
	// Subject is one line, the e-mail subject and the headline of a chat
	// message. Required; a line break or other control character is refused.
	Subject string
	// Text is the plain-text body, a few lines.
	Text string
	// URL links to the item in debrief.
	URL string
	// At is when the event happened.
	At time.Time
	// Item describes the action item the message is about.
	Item ItemInfo
}

// ItemInfo describes the action item a Message is about. Its JSON form is
// the "item" object of a webhook body.
type ItemInfo struct {
	PostmortemID    string `json:"postmortem_id"`
	PostmortemTitle string `json:"postmortem_title,omitempty"`
	// Number is the item's number within its postmortem.
	Number      int    `json:"number"`
	Description string `json:"description,omitempty"`
	Owner       string `json:"owner,omitempty"`
	// Due is a calendar date, "2006-01-02", or empty.
	Due string `json:"due,omitempty"`
	// Status is the item's status word: open, in_progress, blocked, done,
	// verified.
	Status string `json:"status,omitempty"`
	// Team is the team that owns the item, whose settings chose who is told.
	Team string `json:"team,omitempty"`
}

// Channel delivers a Message. to lists the e-mail recipients; webhooks
// ignore it. Send makes one attempt: an error says why it failed, and
// Retryable says whether another attempt may succeed.
type Channel interface {
	Send(ctx context.Context, m Message, to []string) error
}

// Limits on a Message; longer text is cut (see the formats), while a
// longer Key, Event or Subject is refused, since cutting would change what
// it means.
const (
	maxKey     = 200
	maxEvent   = 64
	maxSubject = 500
)

// check refuses a message that no channel can send. The fields it checks
// go into headers, so a control character could forge another header.
func (m *Message) check() error {
	if m.Key == "" {
		return fmt.Errorf("the message has no key")
	}
	if len(m.Key) > maxKey {
		return fmt.Errorf("the message key is longer than %d bytes", maxKey)
	}
	for i := 0; i < len(m.Key); i++ {
		if c := m.Key[i]; c < ' ' || c >= 0x7f {
			return fmt.Errorf("the message key has a byte that is not printable ASCII "+
				"at offset %d", i)
		}
	}
	if strings.TrimSpace(m.Key) != m.Key {
		return fmt.Errorf("the message key starts or ends with a space")
	}
	if m.Event == "" {
		return fmt.Errorf("the message has no event")
	}
	if len(m.Event) > maxEvent || strings.ContainsFunc(m.Event, notEventRune) {
		return fmt.Errorf("the event %q is not a word such as action.overdue", m.Event)
	}
	if strings.TrimSpace(m.Subject) == "" {
		return fmt.Errorf("the message has no subject")
	}
	if len(m.Subject) > maxSubject {
		return fmt.Errorf("the subject is longer than %d bytes", maxSubject)
	}
	if err := headerText(m.Subject); err != nil {
		return fmt.Errorf("the subject %w", err)
	}
	return nil
}

func notEventRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r == '.' || r == '_' || r == '-')
}

// headerText refuses text that cannot stand in a one-line header: invalid
// UTF-8 and control characters, of which CR and LF would start a new
// header (header injection).
func headerText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		if s[i] == '\r' || s[i] == '\n' {
			return fmt.Errorf("has a line break: it must be one line")
		}
		return fmt.Errorf("has a control character at offset %d", i)
	}
	return nil
}

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return s[:i] + "…"
}
