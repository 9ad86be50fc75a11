package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRetryPolicyDelay(t *testing.T) {
	p := RetryPolicy{First: 30 * time.Second, Max: time.Hour}
	var got []time.Duration
	for attempt := 0; attempt <= 10; attempt++ {
		got = append(got, p.Delay(attempt))
	}
	want := []time.Duration{30 * time.Second, 30 * time.Second, time.Minute,
		2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute,
		32 * time.Minute, time.Hour, time.Hour, time.Hour}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("delays by attempt (-want +got):\n%s", diff)
	}
	if d := p.Delay(1 << 40); d != time.Hour {
		t.Errorf("Delay(1<<40) = %v, want the cap", d)
	}
	huge := RetryPolicy{First: time.Second, Max: time.Duration(1<<63 - 1)}
	if d := huge.Delay(100); d <= 0 {
		t.Errorf("Delay overflowed to %v", d)
	}
}

func TestRetryPolicyJitter(t *testing.T) {
	p := RetryPolicy{First: time.Minute, Max: time.Hour, Jitter: 0.2,
		Rand: func() float64 { return 0.5 }}
	if d := p.Delay(1); d != 54*time.Second {
		t.Errorf("Delay(1) with half the jitter = %v, want 54s", d)
	}
	for attempt := 1; attempt < 12; attempt++ {
		exact := RetryPolicy{First: 30 * time.Second, Max: time.Hour}.Delay(attempt)
		for range 50 {
			d := Backoff(attempt)
			if d > exact || d < exact*8/10 {
				t.Fatalf("Backoff(%d) = %v, want within [%v, %v]", attempt, d, exact*8/10, exact)
			}
		}
	}
}

func TestRetryPolicyAfterHonoursRetryAfter(t *testing.T) {
	p := RetryPolicy{First: 30 * time.Second, Max: time.Hour}
	slow := &SendError{Retry: true, RetryAfter: 10 * time.Minute}
	fast := &SendError{Retry: true, RetryAfter: time.Second}
	absurd := &SendError{Retry: true, RetryAfter: 20 * time.Hour}
	for _, tt := range []struct {
		err  error
		want time.Duration
	}{
		{slow, 10 * time.Minute},
		{fmt.Errorf("wrapped: %w", slow), 10 * time.Minute},
		{fast, 30 * time.Second},
		{absurd, time.Hour},
		{errors.New("other"), 30 * time.Second},
	} {
		if got := p.After(1, tt.err); got != tt.want {
			t.Errorf("After(1, %v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"120":         2 * time.Minute,
		" 0 ":         0,
		"":            0,
		"-5":          0,
		"soon":        0,
		"99999999999": 0, // not a number of seconds that fits
		"999999":      24 * time.Hour,
		now.Add(time.Minute).Format(http.TimeFormat):  time.Minute,
		now.Add(-time.Minute).Format(http.TimeFormat): 0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRetryable(t *testing.T) {
	var opErr error = &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("refused")}
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&SendError{Retry: true}, true},
		{&SendError{Retry: false}, false},
		{fmt.Errorf("outbox: %w", &SendError{Retry: true}), true},
		{context.DeadlineExceeded, true},
		{context.Canceled, true},
		{opErr, true},
		{io.ErrUnexpectedEOF, false},
		{errors.New("something else"), false},
	}
	for _, tt := range tests {
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
