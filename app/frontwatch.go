package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"liaison/internal/every"
)

// Frontend watch timings.
const (
	// HeartbeatEvery is how often the frontend calls System.Heartbeat.
	HeartbeatEvery = 5 * time.Second
	// FrontendTimeout is how long the window may stay silent before it is reloaded.
	FrontendTimeout = 60 * time.Second
	// MaxSilentReloads is how many reloads in a row may go without a heartbeat before the
	// station reports itself unhealthy, so the systemd watchdog restarts the whole process.
	MaxSilentReloads   = 3
	frontendCheckEvery = 5 * time.Second
)

// ErrFrontendFrozen is FrontendWatch.Healthy's error once reloads did not bring the window back.
var ErrFrontendFrozen = errors.New("window does not answer")

// FrontendWatch notices a frozen window: a WebView whose script hangs or whose web process
// died shows a stale or blank screen while the Go side runs on. The frontend calls
// System.Heartbeat every HeartbeatEvery; when none came for FrontendTimeout, Check reloads the
// window (and logs it), and waits another FrontendTimeout before the next reload.
type FrontendWatch struct {
	now func() time.Time
	log *slog.Logger

	mu      sync.Mutex
	reload  func() // nil until the window exists
	last    time.Time
	reloads int // reloads since the last heartbeat
}

// NewFrontendWatch returns a watch reading the clock now.
func NewFrontendWatch(now func() time.Time, log *slog.Logger) *FrontendWatch {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &FrontendWatch{now: now, log: log}
}

// Attach starts watching a window that reload reloads; the frontend has FrontendTimeout from
// now to send its first heartbeat.
func (w *FrontendWatch) Attach(reload func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reload, w.last = reload, w.now()
}

// Beat records a heartbeat from the frontend.
func (w *FrontendWatch) Beat() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.reloads > 0 {
		w.log.Info("window answers again after a reload", "reloads", w.reloads)
	}
	w.last, w.reloads = w.now(), 0
}

// Check reloads the window when it has been silent for FrontendTimeout and reports whether it
// did.
func (w *FrontendWatch) Check() bool {
	w.mu.Lock()
	if w.reload == nil {
		w.mu.Unlock()
		return false
	}
	silent := w.now().Sub(w.last)
	if silent < FrontendTimeout {
		w.mu.Unlock()
		return false
	}
	w.reloads++
	w.last = w.now()
	reload, n := w.reload, w.reloads
	w.mu.Unlock()
	w.log.Warn("no heartbeat from the window: reloading it", "silent", silent.Round(time.Second), "reload", n)
	reload()
	return true
}

// Healthy fails once MaxSilentReloads reloads in a row brought no heartbeat.
func (w *FrontendWatch) Healthy() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.reloads >= MaxSilentReloads {
		return fmt.Errorf("%w: %d reloads without a heartbeat", ErrFrontendFrozen, w.reloads)
	}
	return nil
}

// Run checks the window every few seconds until ctx ends.
func (w *FrontendWatch) Run(ctx context.Context) {
	every.Period(ctx, frontendCheckEvery, false, func() { w.Check() })
}
