package app

import (
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock whose timers fire only when the test moves time on.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Time
	f       func()
	stopped bool
	fired   bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2030, 5, 6, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) stopper {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped && !t.fired
	t.stopped = true
	return was
}

// Advance moves time on by d, firing each due timer (outside the lock, as a real one would).
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []func()
	for _, t := range c.timers {
		if !t.stopped && !t.fired && !t.at.After(c.now) {
			t.fired = true
			due = append(due, t.f)
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// countEmitter counts the events of each name.
type countEmitter struct {
	mu     sync.Mutex
	counts map[string]int
	last   map[string]any
}

func (e *countEmitter) Emit(name string, payload any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.counts == nil {
		e.counts, e.last = map[string]int{}, map[string]any{}
	}
	e.counts[name]++
	e.last[name] = payload
}

func (e *countEmitter) count(name string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.counts[name]
}

func newClockedKiosk(t *testing.T, idle time.Duration) (*Kiosk, *fakeClock, *countEmitter) {
	t.Helper()
	clock := newFakeClock()
	rec := &countEmitter{}
	n := NewNotifier(nil)
	n.SetEmitter(rec)
	desk := NewDesk(idle, clock.Now, n)
	desk.residents.after = clock.AfterFunc
	desk.reps.after = clock.AfterFunc
	return NewKiosk(Base{Now: clock.Now, Notify: n}, desk, nil), clock, rec
}

func TestResidentInUseIsNeverCutOff(t *testing.T) {
	t.Parallel()
	const idle = 60 * time.Second
	k, clock, rec := newClockedKiosk(t, idle)
	sess := k.desk.residents.start(Session{Kind: "anonymous"}, nil)

	// Three minutes of typing: the frontend reports activity at most every 5 s.
	for elapsed := time.Duration(0); elapsed < 3*time.Minute; elapsed += 5 * time.Second {
		clock.Advance(5 * time.Second)
		if !k.KeepAlive() {
			t.Fatalf("session gone after %v of use", elapsed+5*time.Second)
		}
	}
	if got := k.Session(); got == nil || got.ID != sess.ID {
		t.Fatalf("session after three minutes of use: %+v", got)
	}
	if n := rec.count(EventSessionActive); n != 36 {
		t.Fatalf("%d session:active events for 36 reports", n)
	}
	if p, _ := rec.last[EventSessionActive].(SessionActive); p.ID != sess.ID {
		t.Fatalf("session:active payload %+v, want the session's id", rec.last[EventSessionActive])
	}

	// Left alone, it still ends: not before idle + backstop, and then by itself.
	clock.Advance(idle + ResidentBackstop - time.Second)
	if k.Session() == nil {
		t.Fatal("session ended before its backstop")
	}
	clock.Advance(time.Second)
	if k.Session() != nil {
		t.Fatal("an idle session outlived its backstop")
	}
	if rec.count(EventSessionChanged) != 1 {
		t.Fatalf("%d session:changed events, want the one that tells the screens it ended", rec.count(EventSessionChanged))
	}
	if k.KeepAlive() {
		t.Fatal("KeepAlive without a session said one is open")
	}
}

func TestStaleBackstopDoesNotEndASessionInUse(t *testing.T) {
	t.Parallel()
	k, clock, _ := newClockedKiosk(t, time.Minute)
	k.desk.residents.start(Session{Kind: "anonymous"}, nil)
	clock.mu.Lock()
	first := clock.timers[0].f
	clock.mu.Unlock()
	k.KeepAlive()
	// The first arming fires while the second is being set up (a real timer can).
	first()
	if k.Session() == nil {
		t.Fatal("an older arming of the backstop ended a session that was just used")
	}
}

func TestWorkbenchTouchKeepsItOpen(t *testing.T) {
	t.Parallel()
	k, clock, rec := newClockedKiosk(t, time.Minute)
	r := NewRep(k.Base, k.desk, nil)
	r.desk.reps.start(RepSession{RepID: "R1"})
	for i := 0; i < 30; i++ { // 150 s, beyond DefaultRepIdle + its backstop
		clock.Advance(5 * time.Second)
		r.TouchWorkbench()
	}
	if r.Workbench() == nil {
		t.Fatal("workbench in use was closed")
	}
	if rec.count(EventSessionActive) != 30 {
		t.Fatalf("%d session:active events", rec.count(EventSessionActive))
	}
	clock.Advance(DefaultRepIdle + 15*time.Second)
	if r.Workbench() != nil {
		t.Fatal("idle workbench stayed open")
	}
}

func TestDeskBusyWhileASessionIsOpen(t *testing.T) {
	t.Parallel()
	k, _, _ := newClockedKiosk(t, time.Minute)
	if k.desk.Busy() {
		t.Fatal("empty desk busy")
	}
	k.desk.residents.start(Session{Kind: "anonymous"}, nil)
	if !k.desk.Busy() {
		t.Fatal("resident's session not seen")
	}
	k.desk.residents.end()
	k.desk.reps.start(RepSession{})
	if !k.desk.Busy() {
		t.Fatal("workbench not seen")
	}
	k.desk.Close()
	if k.desk.Busy() {
		t.Fatal("closed desk busy")
	}
}
