package app

import "time"

// DefaultRepIdle is the workbench's own idle timeout. It is shorter than a resident's: the
// workbench can claim cases in the representative's name, and a representative who walks
// away from it should not leave it open for the next person.
const DefaultRepIdle = 90 * time.Second

// RepSession is the representative using the workbench now.
type RepSession struct {
	ID          string  `json:"id"`
	RepID       string  `json:"repId"`
	RepName     string  `json:"repName"`
	Level       string  `json:"level"`
	PhotoSeed   int     `json:"photoSeed"`
	Badge       string  `json:"badge"`
	SignedIn    bool    `json:"signedIn"`
	SignedInAt  *string `json:"signedInAt"`
	SignedOutAt *string `json:"signedOutAt"` // set by a sign-out at the workbench
	StartedAt   string  `json:"startedAt"`
	IdleSeconds int     `json:"idleSeconds"`
}

// repSessions holds the workbench session. It is separate from the resident's session so
// that each has its own lifetime; a badge scan ends a resident's session and a card read
// ends the workbench, as the kiosk serves one person at a time.
type repSessions struct {
	slot[RepSession]
}

func newRepSessions(idle time.Duration, now func() time.Time, onEnd func()) *repSessions {
	// the frontend shows the countdown and ends the session itself a little earlier
	return &repSessions{slot: newSlot[RepSession](idle, 15*time.Second, now, onEnd)}
}

func (r *repSessions) start(sess RepSession) RepSession {
	r.mu.Lock()
	defer r.mu.Unlock()
	sess.ID, sess.StartedAt = r.stampLocked("rep-")
	sess.IdleSeconds = int(r.idle / time.Second)
	r.cur = &sess
	r.armLocked()
	return sess
}
