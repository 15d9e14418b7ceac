// Package lograte bounds the log lines that anyone on the network can cause: a refused
// pairing attempt, a refused fact, a slow device cut off. Whatever the number of addresses
// or devices, at most Burst lines are written per Interval for one Limiter; the lines held
// back are counted and the next line written says how many.
package lograte

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Defaults of New.
const (
	DefaultBurst    = 10
	DefaultInterval = time.Minute
)

// Limiter writes through log at most Burst lines per Interval.
type Limiter struct {
	log      *slog.Logger
	burst    int
	interval time.Duration
	now      func() time.Time

	mu         sync.Mutex
	start      time.Time
	written    int
	suppressed int
}

// New returns a Limiter; burst ≤ 0 and interval ≤ 0 take the defaults, now nil is time.Now.
func New(log *slog.Logger, burst int, interval time.Duration, now func() time.Time) *Limiter {
	if burst <= 0 {
		burst = DefaultBurst
	}
	if interval <= 0 {
		interval = DefaultInterval
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{log: log, burst: burst, interval: interval, now: now}
}

// Log writes the line unless this interval's lines are used up; then it only counts it.
func (l *Limiter) Log(level slog.Level, msg string, args ...any) {
	l.mu.Lock()
	now := l.now()
	if now.Sub(l.start) >= l.interval {
		l.start, l.written = now, 0
	}
	if l.written >= l.burst {
		l.suppressed++
		l.mu.Unlock()
		return
	}
	l.written++
	held := l.suppressed
	l.suppressed = 0
	l.mu.Unlock()
	if held > 0 {
		args = append(args, "suppressed_before", held)
	}
	l.log.Log(context.Background(), level, msg, args...)
}
