package app

import "time"

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

// sessions holds the one kiosk session. A kiosk serves one person at a time; a new card
// replaces whatever session was open.
type sessions struct {
	slot[Session]
	card *pendingCard // guarded by mu
}

func newSessions(idle time.Duration, now func() time.Time, onEnd func()) *sessions {
	s := &sessions{slot: newSlot[Session](idle, ResidentBackstop, now, onEnd)}
	s.release = func() { s.card = nil }
	return s
}

// start opens a new session, replacing any other.
func (s *sessions) start(sess Session, card *pendingCard) Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess.ID, sess.StartedAt = s.stampLocked("")
	s.cur = &sess
	s.card = card
	s.armLocked()
	return sess
}

// pending returns the card data kept for the consent step.
func (s *sessions) pending() *pendingCard {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.card
}

// update changes the open session and drops the pending card data once it was used.
func (s *sessions) update(f func(*Session), dropCard bool) (Session, bool) {
	return s.slot.update(func(sess *Session) {
		f(sess)
		if dropCard {
			s.card = nil
		}
	})
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
