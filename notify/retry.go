package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SendError is the error a Channel returns when a delivery failed. Its
// text names the channel and what went wrong, and never holds a secret, a
// webhook URL's path, a recipient's full address or the message itself, so
// it can be logged and recorded on the item.
type SendError struct {
	// Channel is the channel's name.
	Channel string
	// Code is the receiver's answer: an HTTP status or an SMTP reply code;
	// 0 when none came (a network failure, a refused configuration).
	Code int
	// Retry reports whether sending again later may succeed.
	Retry bool
	// RetryAfter is how long the receiver asked to wait (an HTTP
	// Retry-After), or 0.
	RetryAfter time.Duration
	// Partial is set when some e-mail recipients were sent the message and
	// others refused: the error names which, and a retry would send the
	// message again to those who have it, so Retry is false.
	Partial bool
	// Reason is the message, without the channel's name.
	Reason string
	// Err is the cause, when there is one.
	Err error
}

func (e *SendError) Error() string {
	s := "notify: " + e.Reason
	if e.Channel != "" {
		s = "notify " + e.Channel + ": " + e.Reason
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *SendError) Unwrap() error { return e.Err }

// permanent returns a SendError that no retry can cure: a bad message, a
// bad configuration, a refusal.
func permanent(channel string, code int, err error, format string, args ...any) *SendError {
	return &SendError{Channel: channel, Code: code, Reason: fmt.Sprintf(format, args...), Err: err}
}

// temporary returns a SendError that a later try may not meet.
func temporary(channel string, code int, err error, format string, args ...any) *SendError {
	return &SendError{Channel: channel, Code: code, Retry: true,
		Reason: fmt.Sprintf(format, args...), Err: err}
}

// Retryable reports whether sending again later may succeed after err.
// A *SendError knows (see the channels' docs): network failures and time-outs,
// HTTP 408, 429 and 5xx, and SMTP 4xx replies are worth another try; other
// HTTP 4xx, SMTP 5xx, a bad message and a bad configuration are not. Of
// other errors, context cancellation and deadlines and net.Error are
// retryable, and anything else is not.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var se *SendError
	if errors.As(err, &se) {
		return se.Retry
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// RetryAfter returns how long the receiver asked to wait before the next
// try (HTTP Retry-After, sent with 429 and 503), when it did.
func RetryAfter(err error) (time.Duration, bool) {
	var se *SendError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		return se.RetryAfter, true
	}
	return 0, false
}

// maxRetryAfter bounds a receiver's Retry-After: a larger value is most
// likely a mistake, and waiting longer than a day makes the news stale.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header: delay-seconds or an
// HTTP-date (RFC 9110 section 10.2.3), relative to now.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseUint(v, 10, 32); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// RetryPolicy spaces out the tries of a delivery: the wait doubles from
// First up to Max, less a random part of up to Jitter of it, so that
// deliveries that failed together do not all come back together.
type RetryPolicy struct {
	First time.Duration
	Max   time.Duration
	// Jitter is the share, from 0 to 1, of each wait that is random. 0 gives
	// exact waits, which tests want.
	Jitter float64
	// Rand returns a number in [0, 1); nil means math/rand/v2.
	Rand func() float64
}

// DefaultRetry is the policy Backoff follows: 30 s, 1 min, 2 min, 4 min ...
// up to an hour between tries, each up to a fifth shorter at random.
var DefaultRetry = RetryPolicy{First: 30 * time.Second, Max: time.Hour, Jitter: 0.2}

// Backoff returns how long to wait before the next try after attempt
// tries have failed (1 after the first failure), by DefaultRetry.
func Backoff(attempt int) time.Duration { return DefaultRetry.Delay(attempt) }

// Delay returns how long to wait after attempt tries have failed (1 after
// the first failure): First·2^(attempt-1), at most Max, less the jitter.
// An attempt below 1 counts as 1; a Max below First counts as First.
func (p RetryPolicy) Delay(attempt int) time.Duration {
	if p.First <= 0 {
		return 0
	}
	limit := max(p.Max, p.First)
	d := p.First
	for i := 1; i < attempt && d < limit; i++ {
		if d > limit/2 {
			d = limit // doubling would pass the limit, or overflow
		} else {
			d *= 2
		}
	}
	if j := min(max(p.Jitter, 0), 1); j > 0 {
		r := rand.Float64
		if p.Rand != nil {
			r = p.Rand
		}
		d -= time.Duration(float64(d) * j * r())
	}
	return d
}

// After returns how long to wait after attempt tries have failed, the last
// with err: Delay(attempt), or the receiver's Retry-After when that is
// longer, but never more than Max.
func (p RetryPolicy) After(attempt int, err error) time.Duration {
	d := p.Delay(attempt)
	if ra, ok := RetryAfter(err); ok && ra > d {
		d = min(ra, max(p.Max, p.First, d))
	}
	return d
}
