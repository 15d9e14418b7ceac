package server

import (
	"container/list"
	"net"
	"sync"
	"time"
)

// Pairing attempts. A client that fails DefaultPairFailures times within the window is refused
// until its window has passed, so the 40-bit codes cannot be searched through the endpoint.
// The hub remembers at most DefaultPairTracked clients (least recently failed forgotten
// first), so its memory stays bounded whatever number of addresses try; and since an attacker
// with many addresses could then start afresh on each, all clients together may fail at most
// DefaultPairGlobalFailures times in a window before every pairing waits for the window to end.
// IPv6 clients are counted by their /64, which one attacker usually holds whole.
const (
	DefaultPairFailures       = 20
	DefaultPairWindow         = 10 * time.Minute
	DefaultPairTracked        = 4096
	DefaultPairGlobalFailures = 200
)

// failureLimiter counts recent failures per client in a bounded LRU and in total.
type failureLimiter struct {
	max, tracked, globalMax int
	window                  time.Duration
	now                     func() time.Time

	mu      sync.Mutex
	lru     *list.List // of *clientFailures, most recently failed first
	clients map[string]*list.Element
	global  clientFailures // every client's failures together
}

type clientFailures struct {
	key   string
	start time.Time // the window's start
	count int
}

func newFailureLimiter(max, tracked, globalMax int, window time.Duration, now func() time.Time) *failureLimiter {
	return &failureLimiter{max: max, tracked: tracked, globalMax: globalMax, window: window, now: now,
		lru: list.New(), clients: map[string]*list.Element{}}
}

// clientOf is what failures are counted by: the host of a remote address, an IPv6 host's /64.
func clientOf(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return host
}

// current returns f's count, restarting its window when it has passed.
func (l *failureLimiter) current(f *clientFailures, now time.Time) int {
	if now.Sub(f.start) >= l.window {
		f.start, f.count = now, 0
	}
	return f.count
}

// Blocked reports whether the client, or all clients together, used up their failures.
func (l *failureLimiter) Blocked(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.current(&l.global, now) >= l.globalMax {
		return true
	}
	e, ok := l.clients[client]
	return ok && l.current(e.Value.(*clientFailures), now) >= l.max
}

// Fail records a failure of the client.
func (l *failureLimiter) Fail(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.current(&l.global, now)
	l.global.count++
	e, ok := l.clients[client]
	if !ok {
		if l.lru.Len() >= l.tracked {
			oldest := l.lru.Back()
			l.lru.Remove(oldest)
			delete(l.clients, oldest.Value.(*clientFailures).key)
		}
		e = l.lru.PushFront(&clientFailures{key: client, start: now})
		l.clients[client] = e
	}
	l.lru.MoveToFront(e)
	f := e.Value.(*clientFailures)
	l.current(f, now)
	f.count++
}

// Tracked is the number of clients remembered.
func (l *failureLimiter) Tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}
