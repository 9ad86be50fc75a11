package web

import (
	"sync"
	"time"
)

// Refused logins are limited per client address and per user name: after
// maxLoginFailures refusals within loginFailureWindow, further attempts are
// turned away without checking the password until the oldest refusal
// leaves the window.
const (
	maxLoginFailures   = 5
	loginFailureWindow = 15 * time.Minute
	// maxLimiterKeys bounds the memory one limiter holds: at most this many
	// addresses or names, each with at most maxLoginFailures times.
	maxLimiterKeys = 10000
)

// failureLimiter counts recent failures per key in a sliding window. Its
// memory is bounded: entries whose failures have all left the window are
// dropped, and when it is full the key that failed longest ago is evicted.
type failureLimiter struct {
	max     int
	window  time.Duration
	maxKeys int
	now     func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time // oldest first, at most max entries
}

func newFailureLimiter(max int, window time.Duration, now func() time.Time) *failureLimiter {
	return &failureLimiter{
		max:      max,
		window:   window,
		maxKeys:  maxLimiterKeys,
		now:      now,
		failures: make(map[string][]time.Time),
	}
}

// blocked reports whether key has failed too often within the window and,
// if so, how long until it may try again.
func (l *failureLimiter) blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()

	recent := l.recent(key, l.now())
	if len(recent) < l.max {
		return false, 0
	}
	// The key may try again once its oldest counted failure expires.
	return true, recent[0].Add(l.window).Sub(l.now())
}

// fail records a failure for key.
func (l *failureLimiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()

	now := l.now()
	recent := l.recent(key, now)
	if recent == nil && len(l.failures) >= l.maxKeys {
		l.makeRoom(now)
	}
	if len(recent) >= l.max {
		recent = recent[1:]
	}
	l.failures[key] = append(recent, now)
}

// reset forgets key's failures.
func (l *failureLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

// recent returns key's failures still inside the window, dropping the key
// when none are. The caller holds l.mu.
func (l *failureLimiter) recent(key string, now time.Time) []time.Time {
	times := l.failures[key]
	cut := 0
	for cut < len(times) && !now.Before(times[cut].Add(l.window)) {
		cut++
	}
	if cut == len(times) {
		delete(l.failures, key)
		return nil
	}
	return times[cut:]
}

// makeRoom drops every expired key and, if the limiter is still full, the
// one whose latest failure is oldest. The caller holds l.mu.
func (l *failureLimiter) makeRoom(now time.Time) {
	var oldestKey string
	var oldest time.Time
	for k := range l.failures {
		times := l.recent(k, now)
		if times == nil {
			continue
		}
		if last := times[len(times)-1]; oldestKey == "" || last.Before(oldest) {
			oldestKey, oldest = k, last
		}
	}
	if len(l.failures) >= l.maxKeys {
		delete(l.failures, oldestKey)
	}
}
