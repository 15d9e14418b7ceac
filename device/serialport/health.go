package serialport

import "sync"

// Health holds a driver's status snapshot and tells a watcher when it changed. Both drivers
// (ID-card reader, QR scanner) keep their state in one.
type Health[T comparable] struct {
	mu      sync.Mutex
	v       T
	changed chan struct{}
}

// NewHealth starts with v.
func NewHealth[T comparable](v T) *Health[T] {
	return &Health[T]{v: v, changed: make(chan struct{}, 1)}
}

// Get returns a snapshot.
func (h *Health[T]) Get() T {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.v
}

// Update changes the status with f and signals Changed when the result differs.
func (h *Health[T]) Update(f func(*T)) {
	h.mu.Lock()
	before := h.v
	f(&h.v)
	same := before == h.v
	h.mu.Unlock()
	if !same {
		select {
		case h.changed <- struct{}{}:
		default: // a signal is already pending; the watcher reads the newest snapshot
		}
	}
}

// Changed receives a value (coalesced) whenever the status changed.
func (h *Health[T]) Changed() <-chan struct{} { return h.changed }

// State is a driver's connection state.
type State string

// States, as they appear in JSON.
const (
	StateConnecting   State = "connecting"
	StateOK           State = "ok"
	StateDisconnected State = "disconnected"
	StateError        State = "error"
)
