package app

import (
	"strconv"
	"sync"
	"time"
)

// pendingCard is what a card read leaves in memory until the resident consents (or leaves).
// It is never written anywhere; ending the session drops it.
type pendingCard struct {
	idNumber string
	name     string
	gender   string
	birth    string
	address  string
	cardType string
}

// sessions holds the one kiosk session. A kiosk serves one person at a time; a new card
// replaces whatever session was open.
type sessions struct {
	mu      sync.Mutex
	cur     *Session
	card    *pendingCard
	timer   *time.Timer
	idle    time.Duration
	onEnd   func()
	counter int
	now     func() time.Time
}

func newSessions(idle time.Duration, now func() time.Time, onEnd func()) *sessions {
	return &sessions{idle: idle, now: now, onEnd: onEnd}
}

// start opens a new session, replacing any other.
func (s *sessions) start(sess Session, card *pendingCard) Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counter++
	sess.ID = s.now().UTC().Format("20060102T150405") + "-" + strconv.Itoa(s.counter)
	sess.StartedAt = s.now().UTC().Format(time.RFC3339)
	s.cur = &sess
	s.card = card
	s.armLocked()
	return sess
}

// get returns the open session, or nil.
func (s *sessions) get() *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	c := *s.cur
	return &c
}

// pending returns the card data kept for the consent step.
func (s *sessions) pending() *pendingCard {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.card
}

// update changes the open session and drops the pending card data once it was used.
func (s *sessions) update(f func(*Session), dropCard bool) (Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return Session{}, false
	}
	f(s.cur)
	if dropCard {
		s.card = nil
	}
	s.armLocked()
	return *s.cur, true
}

// touch postpones the backstop expiry; the frontend calls it through any bound method.
func (s *sessions) touch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		s.armLocked()
	}
}

// end wipes the session. It reports whether there was one.
func (s *sessions) end() bool {
	s.mu.Lock()
	had := s.cur != nil
	s.cur, s.card = nil, nil
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.mu.Unlock()
	return had
}

// armLocked restarts the backstop timer. The frontend runs the visible countdown; this timer
// ends the session even when the frontend cannot (a crashed view), a little after it would.
func (s *sessions) armLocked() {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(s.idle+30*time.Second, func() {
		if s.end() && s.onEnd != nil {
			s.onEnd()
		}
	})
}
