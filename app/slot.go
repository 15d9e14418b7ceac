package app

import (
	"strconv"
	"sync"
	"time"
)

// stopper is a running timer.
type stopper interface{ Stop() bool }

// afterFunc starts f after d, as time.AfterFunc does; the tests put a fake clock here.
type afterFunc func(d time.Duration, f func()) stopper

func realAfter(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) }

// slot holds the one open session of a kind on the kiosk (the resident's, the workbench's)
// and ends it by itself a while after its last use. The frontend runs the visible countdown
// and ends a session itself; the backstop timer ends it even when the frontend cannot (a
// crashed view), a little after it would. A timer that fires while it is being re-armed finds
// its generation gone and does nothing, so a session that was just used is never ended by an
// older arming.
type slot[T any] struct {
	mu       sync.Mutex
	cur      *T
	timer    stopper
	gen      int           // which arming of the timer may still end the session
	idle     time.Duration // the frontend's countdown
	backstop time.Duration // how much later than the frontend the timer ends the session
	after    afterFunc
	now      func() time.Time
	onEnd    func() // after the timer ended a session
	release  func() // with mu held, when the session ends: drops what was kept with it
	counter  int
}

func newSlot[T any](idle, backstop time.Duration, now func() time.Time, onEnd func()) slot[T] {
	return slot[T]{idle: idle, backstop: backstop, now: now, onEnd: onEnd, after: realAfter}
}

// stampLocked returns a new session's id (prefix, the time, a counter) and its start time.
func (s *slot[T]) stampLocked(prefix string) (id, startedAt string) {
	s.counter++
	now := s.now().UTC()
	return prefix + now.Format("20060102T150405") + "-" + strconv.Itoa(s.counter), now.Format(time.RFC3339)
}

// get returns a copy of the open session, or nil.
func (s *slot[T]) get() *T {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	c := *s.cur
	return &c
}

// update changes the open session (f runs with mu held) and restarts its timer.
func (s *slot[T]) update(f func(*T)) (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		var zero T
		return zero, false
	}
	f(s.cur)
	s.armLocked()
	return *s.cur, true
}

// end wipes the session. It reports whether there was one.
func (s *slot[T]) end() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endLocked()
}

func (s *slot[T]) endLocked() bool {
	had := s.cur != nil
	s.cur = nil
	if s.release != nil {
		s.release()
	}
	s.gen++
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	return had
}

// armLocked restarts the backstop timer.
func (s *slot[T]) armLocked() {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.gen++
	gen := s.gen
	s.timer = s.after(s.idle+s.backstop, func() {
		s.mu.Lock()
		ended := s.gen == gen && s.endLocked()
		s.mu.Unlock()
		if ended && s.onEnd != nil {
			s.onEnd()
		}
	})
}
