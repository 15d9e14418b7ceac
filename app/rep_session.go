package app

import (
	"strconv"
	"sync"
	"time"
)

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
	mu      sync.Mutex
	cur     *RepSession
	timer   stopper
	gen     int
	idle    time.Duration
	after   afterFunc
	now     func() time.Time
	onEnd   func()
	counter int
}

func newRepSessions(idle time.Duration, now func() time.Time, onEnd func()) *repSessions {
	return &repSessions{idle: idle, now: now, onEnd: onEnd, after: realAfter}
}

func (r *repSessions) start(sess RepSession) RepSession {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counter++
	sess.ID = "rep-" + r.now().UTC().Format("20060102T150405") + "-" + strconv.Itoa(r.counter)
	sess.StartedAt = r.now().UTC().Format(time.RFC3339)
	sess.IdleSeconds = int(r.idle / time.Second)
	r.cur = &sess
	r.armLocked()
	return sess
}

func (r *repSessions) get() *RepSession {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur == nil {
		return nil
	}
	c := *r.cur
	return &c
}

// update changes the open session and restarts its idle timer.
func (r *repSessions) update(f func(*RepSession)) (RepSession, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur == nil {
		return RepSession{}, false
	}
	f(r.cur)
	r.armLocked()
	return *r.cur, true
}

func (r *repSessions) end() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.endLocked()
}

func (r *repSessions) endLocked() bool {
	had := r.cur != nil
	r.cur = nil
	r.gen++
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	return had
}

// armLocked restarts the backstop timer; the frontend shows the countdown and ends the
// session itself a little earlier. An older arming that fires meanwhile does nothing.
func (r *repSessions) armLocked() {
	if r.timer != nil {
		r.timer.Stop()
	}
	r.gen++
	gen := r.gen
	r.timer = r.after(r.idle+15*time.Second, func() {
		r.mu.Lock()
		ended := r.gen == gen && r.endLocked()
		r.mu.Unlock()
		if ended && r.onEnd != nil {
			r.onEnd()
		}
	})
}
