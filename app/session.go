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

// ResidentBackstop is how long after the frontend's own countdown would have ended a session
// Go ends it by itself. The frontend warns at the idle time and wipes ten seconds later; Go
// only steps in when no window can (a crashed view), so it waits a little longer.
const ResidentBackstop = 30 * time.Second

// stopper is a running timer.
type stopper interface{ Stop() bool }

// afterFunc starts f after d, as time.AfterFunc does; the tests put a fake clock here.
type afterFunc func(d time.Duration, f func()) stopper

func realAfter(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) }

// sessions holds the one kiosk session. A kiosk serves one person at a time; a new card
// replaces whatever session was open.
type sessions struct {
	mu      sync.Mutex
	cur     *Session
	card    *pendingCard
	timer   stopper
	gen     int // which arming of the timer may still end the session
	idle    time.Duration
	after   afterFunc
	onEnd   func()
	counter int
	now     func() time.Time
}

func newSessions(idle time.Duration, now func() time.Time, onEnd func()) *sessions {
	return &sessions{idle: idle, now: now, onEnd: onEnd, after: realAfter}
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

// touch postpones the backstop expiry of the open session and returns its id; the frontend
// reports every touch, key and screen change (KeepAlive), and the actions call it too.
func (s *sessions) touch() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return "", false
	}
	s.armLocked()
	return s.cur.ID, true
}

// end wipes the session. It reports whether there was one.
func (s *sessions) end() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endLocked()
}

func (s *sessions) endLocked() bool {
	had := s.cur != nil
	s.cur, s.card = nil, nil
	s.gen++
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	return had
}

// armLocked restarts the backstop timer. The frontend runs the visible countdown; this timer
// ends the session even when the frontend cannot (a crashed view), a little after it would.
// A timer that fires while it is being re-armed finds its generation gone and does nothing,
// so a session that was just used is never ended by an older arming.
func (s *sessions) armLocked() {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.gen++
	gen := s.gen
	s.timer = s.after(s.idle+ResidentBackstop, func() {
		s.mu.Lock()
		ended := s.gen == gen && s.endLocked()
		s.mu.Unlock()
		if ended && s.onEnd != nil {
			s.onEnd()
		}
	})
}
