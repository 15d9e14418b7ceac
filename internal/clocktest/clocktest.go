// Package clocktest is the settable clock the tests hand to code that takes a
// `Now func() time.Time`. It imports nothing of the project, so any package's tests may use it.
package clocktest

import (
	"sync"
	"time"
)

// Clock is a time source under the test's control. It is safe for concurrent use: the code
// under test reads it from its own goroutines while the test moves it.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

// New returns a clock standing at t; it moves only when the test moves it.
func New(t time.Time) *Clock { return &Clock{t: t} }

// NewStepping returns a clock that moves forward by step on every reading, the first reading
// being t+step, for code that must see strictly increasing times without the test moving it.
func NewStepping(t time.Time, step time.Duration) *Clock { return &Clock{t: t, step: step} }

// Now returns the clock's time (after the step, for a stepping clock). Pass c.Now where a
// `func() time.Time` is wanted.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

// Advance moves the clock forward by d (backward for a negative d).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set puts the clock at t, which may be before its current time.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
