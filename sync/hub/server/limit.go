package server

import (
	"net"
	"sync"
	"time"
)

// Pairing attempts: a client that fails this many times within the window is refused until
// the window has passed, so the 40-bit codes cannot be searched through the endpoint.
const (
	DefaultPairFailures = 20
	DefaultPairWindow   = 10 * time.Minute
	maxTrackedClients   = 10000
)

// failureLimiter counts recent failures per client address.
type failureLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

func newFailureLimiter(max int, window time.Duration, now func() time.Time) *failureLimiter {
	return &failureLimiter{max: max, window: window, now: now, failures: map[string][]time.Time{}}
}

// clientOf is the host part of a remote address.
func clientOf(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

// recent drops failures older than the window; the caller holds mu.
func (l *failureLimiter) recent(client string, now time.Time) []time.Time {
	fs := l.failures[client]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= l.window {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.failures, client)
		return nil
	}
	l.failures[client] = fs
	return fs
}

// Blocked reports whether the client has used up its failures.
func (l *failureLimiter) Blocked(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(client, l.now())) >= l.max
}

// Fail records a failure of the client.
func (l *failureLimiter) Fail(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.failures) >= maxTrackedClients {
		// Bounded memory: forget clients whose failures have all aged out.
		for c := range l.failures {
			l.recent(c, now)
		}
	}
	if len(l.failures) >= maxTrackedClients {
		return
	}
	fs := l.recent(client, now)
	if len(fs) < l.max {
		l.failures[client] = append(fs, now)
	}
}
