package app

import (
	"sync"
	"time"
)

// debouncer calls fn at most once per interval, soon after the first trigger of a burst, so
// a flood of synced events becomes one repaint a second on the wall.
type debouncer struct {
	mu       sync.Mutex
	interval time.Duration
	fn       func()
	timer    *time.Timer
	last     time.Time
	stopped  bool
}

func newDebouncer(interval time.Duration, fn func()) *debouncer {
	return &debouncer{interval: interval, fn: fn}
}

// trigger asks for a call.
func (d *debouncer) trigger() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped || d.timer != nil {
		return
	}
	wait := d.interval - time.Since(d.last)
	if wait < 0 {
		wait = 0
	}
	d.timer = time.AfterFunc(wait, func() {
		d.mu.Lock()
		d.timer = nil
		d.last = time.Now()
		stopped := d.stopped
		d.mu.Unlock()
		if !stopped {
			d.fn()
		}
	})
}

func (d *debouncer) stop() {
	d.mu.Lock()
	d.stopped = true
	if d.timer != nil {
		d.timer.Stop()
	}
	d.mu.Unlock()
}
