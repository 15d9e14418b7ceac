package console

import (
	"sync"
	"time"
)

// Login throttling. Failed logins are counted per login and per client address; from the
// limit on, each further failure locks the key out for twice as long as the one before
// (Base, 2×Base, 4×Base … up to Max). A key whose last failure is older than Forget starts
// afresh, and a successful login clears its login's count (not its address's: one valid
// account must not reset the count of an address guessing others). Memory is bounded: each
// table holds at most Size keys and, when full, drops the key whose last failure is oldest.

// ThrottleConfig sets the throttle's limits; zero values pick the defaults.
type ThrottleConfig struct {
	LoginLimit   int           // failures of one login before lockouts start; 5
	AddressLimit int           // failures from one address before lockouts start; 20
	Base         time.Duration // first lockout; 1 min
	Max          time.Duration // longest lockout; 1 h
	Forget       time.Duration // a quiet key is forgotten after this; 24 h
	Size         int           // keys per table; 4096
	Now          func() time.Time
}

// Throttle counts failed logins.
type Throttle struct {
	cfg    ThrottleConfig
	mu     sync.Mutex
	logins map[string]*strike
	addrs  map[string]*strike
}

type strike struct {
	fails int
	last  time.Time
	until time.Time
}

// NewThrottle makes a throttle.
func NewThrottle(cfg ThrottleConfig) *Throttle {
	if cfg.LoginLimit <= 0 {
		cfg.LoginLimit = 5
	}
	if cfg.AddressLimit <= 0 {
		cfg.AddressLimit = 20
	}
	if cfg.Base <= 0 {
		cfg.Base = time.Minute
	}
	if cfg.Max <= 0 {
		cfg.Max = time.Hour
	}
	if cfg.Forget <= 0 {
		cfg.Forget = 24 * time.Hour
	}
	if cfg.Size <= 0 {
		cfg.Size = 4096
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Throttle{cfg: cfg, logins: map[string]*strike{}, addrs: map[string]*strike{}}
}

// Wait is how long a login attempt for login from addr must wait; 0 lets it through.
func (t *Throttle) Wait(login, addr string) time.Duration {
	now := t.cfg.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	return max(t.wait(t.logins, login, now), t.wait(t.addrs, addr, now))
}

func (t *Throttle) wait(m map[string]*strike, key string, now time.Time) time.Duration {
	s, ok := m[key]
	if !ok {
		return 0
	}
	if now.Sub(s.last) > t.cfg.Forget {
		delete(m, key)
		return 0
	}
	if now.Before(s.until) {
		return s.until.Sub(now)
	}
	return 0
}

// Fail records a failed login.
func (t *Throttle) Fail(login, addr string) {
	now := t.cfg.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fail(t.logins, login, t.cfg.LoginLimit, now)
	t.fail(t.addrs, addr, t.cfg.AddressLimit, now)
}

func (t *Throttle) fail(m map[string]*strike, key string, limit int, now time.Time) {
	s, ok := m[key]
	if ok && now.Sub(s.last) > t.cfg.Forget {
		ok = false
	}
	if !ok {
		if len(m) >= t.cfg.Size {
			evictOldest(m)
		}
		s = &strike{}
		m[key] = s
	}
	s.fails++
	s.last = now
	if s.fails >= limit {
		lock := t.cfg.Base
		for i := limit; i < s.fails && lock < t.cfg.Max; i++ {
			lock *= 2
		}
		s.until = now.Add(min(lock, t.cfg.Max))
	}
}

// Succeed clears a login's failures after a successful login.
func (t *Throttle) Succeed(login string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.logins, login)
}

func evictOldest(m map[string]*strike) {
	var oldest string
	var at time.Time
	for k, s := range m {
		if oldest == "" || s.last.Before(at) {
			oldest, at = k, s.last
		}
	}
	delete(m, oldest)
}
