package escalation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/notify"
)

// Defaults of the delivery settings.
const (
	defaultLease       = 2 * time.Minute
	defaultMaxAttempts = 30 // 30 s, 1 min … then hourly: about a day
	defaultSendTimeout = 30 * time.Second
)

// DeliverDue sends the deliveries that are due, one at a time, until none
// is left or ctx ends, and returns how many were sent.
func (r *Runner) DeliverDue(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		d, err := r.Store.ClaimDelivery(ctx, r.lease())
		if err != nil || d == nil {
			return sent, err
		}
		ok, err := r.deliver(ctx, d)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, ctx.Err()
}

func (r *Runner) lease() time.Duration {
	if r.Lease > 0 {
		return r.Lease
	}
	return defaultLease
}

// deliver makes one attempt at a claimed delivery and records its outcome.
// A process that dies before the outcome is recorded leaves the delivery
// leased: it is attempted again when the lease runs out.
func (r *Runner) deliver(ctx context.Context, d *debrief.Delivery) (bool, error) {
	var m notify.Message
	err := json.Unmarshal(d.Message, &m)
	ch, known := r.Channels[d.Channel]
	if err == nil {
		err = r.stillPrivate(ctx, d, &m)
	}
	switch {
	case errors.Is(err, errNobodyToTell), errors.Is(err, errReportGone):
		d.State, d.LastError = debrief.DeliveryFailed, err.Error()
		ev := &debrief.ActionEvent{Ref: d.Ref, At: r.now(), Actor: actorName,
			Kind: debrief.ActionEventFailed, Note: describeDelivery(d) + ": " + err.Error()}
		return false, r.Store.FinishDelivery(context.WithoutCancel(ctx), d, ev)
	case err != nil:
		err = fmt.Errorf("the queued message does not read: %w", err)
	case !known:
		err = fmt.Errorf("channel %q is not configured", d.Channel)
	default:
		timeout := r.SendTimeout
		if timeout <= 0 {
			timeout = defaultSendTimeout
		}
		sendCtx, cancel := context.WithTimeout(ctx, timeout)
		err = ch.Send(sendCtx, m, d.Recipients)
		cancel()
		if ctx.Err() != nil {
			// Stopping: the lease brings the delivery back to a later run.
			return false, ctx.Err()
		}
	}

	what := describeDelivery(d)
	ev := &debrief.ActionEvent{Ref: d.Ref, At: r.now(), Actor: actorName, Note: what}
	var se *notify.SendError
	if errors.As(err, &se) && se.Partial {
		// Some recipients took it and some refused for good: it is sent,
		// and the refusals are recorded.
		what += "; " + err.Error()
		err = nil
	}
	if err == nil {
		d.State = debrief.DeliverySent
		ev.Kind = debrief.ActionEventNotified
		d.LastError = ""
	} else {
		d.LastError = err.Error()
		retry := known && notify.Retryable(err) && d.Attempts < r.maxAttempts()
		if retry {
			d.State, ev = debrief.DeliveryPending, nil
			d.NextAt = r.now().Add(r.Retry.After(d.Attempts, err))
		} else {
			d.State = debrief.DeliveryFailed
			ev.Kind = debrief.ActionEventFailed
			ev.Note = fmt.Sprintf("%s after %s: %s", what, plural(d.Attempts, "attempt"),
				d.LastError)
		}
		r.logger().LogAttrs(ctx, slog.LevelWarn, "notification not delivered",
			slog.Int64("delivery_id", d.ID), slog.String("channel", d.Channel),
			slog.Int("attempt", d.Attempts), slog.Bool("retry", retry))
	}
	if err := r.Store.FinishDelivery(context.WithoutCancel(ctx), d, ev); err != nil {
		return false, err
	}
	return d.State == debrief.DeliverySent, nil
}

func (r *Runner) maxAttempts() int {
	if r.MaxAttempts > 0 {
		return r.MaxAttempts
	}
	return defaultMaxAttempts
}

// errNobodyToTell ends a delivery whose report became restricted to
// people who are none of its recipients.
var errNobodyToTell = errors.New("not sent: the report is restricted now, and none of " +
	"the people it was for may read it")

// errReportGone ends a delivery whose report was deleted.
var errReportGone = errors.New("not sent: the report is gone")

// stillPrivate applies the report's visibility at the time of sending, as
// it may have changed since the notification was queued: a channel gets
// no words of a restricted report, an e-mail goes only to people who may
// read it.
func (r *Runner) stillPrivate(ctx context.Context, d *debrief.Delivery, m *notify.Message) error {
	p, err := r.Store.Postmortem(ctx, d.Ref.PostmortemID)
	if debrief.IsNotFound(err) {
		return errReportGone
	}
	if err != nil {
		return err
	}
	if p.Visibility != debrief.VisibilityRestricted {
		return nil
	}
	if len(d.Recipients) == 0 {
		*m = r.restrictedMessage(*m)
		return nil
	}
	users, err := r.Store.Users(ctx)
	if err != nil {
		return err
	}
	var keep []string
	for _, addr := range d.Recipients {
		for _, u := range users {
			if strings.EqualFold(u.Email, addr) && !u.Disabled && p.VisibleTo(debrief.Actor{
				UserID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Role: u.Role}) {
				keep = append(keep, addr)
				break
			}
		}
	}
	if len(keep) == 0 {
		return errNobodyToTell
	}
	d.Recipients = keep
	return nil
}

// describeDelivery says where a notification went without naming anyone's
// address: the item's history is read by everyone who reads the report.
func describeDelivery(d *debrief.Delivery) string {
	if len(d.Recipients) > 0 {
		n := "1 person"
		if len(d.Recipients) > 1 {
			n = fmt.Sprintf("%d people", len(d.Recipients))
		}
		return fmt.Sprintf("%s (%s) by e-mail via %s", d.Event, n, d.Channel)
	}
	return fmt.Sprintf("%s to %s", d.Event, d.Channel)
}

// Run polls (when Poll is set), scans every interval and delivers what is
// due, until ctx ends. A failed poll, scan or delivery is logged and tried
// again at the next tick.
func (r *Runner) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if r.Poll != nil {
			if err := r.Poll(ctx); err != nil && ctx.Err() == nil {
				r.logger().LogAttrs(ctx, slog.LevelWarn, "tracker poll failed",
					slog.String("error", err.Error()))
			}
		}
		if _, err := r.Scan(ctx); err != nil && ctx.Err() == nil {
			r.logger().LogAttrs(ctx, slog.LevelError, "escalation scan failed",
				slog.String("error", err.Error()))
		}
		if _, err := r.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			r.logger().LogAttrs(ctx, slog.LevelError, "delivery failed",
				slog.String("error", err.Error()))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
