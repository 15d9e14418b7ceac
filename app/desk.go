package app

import "time"

// Desk is who is at the kiosk: a resident's session or a representative's workbench, never
// both, as the kiosk serves one person at a time (a card read ends the workbench, a badge
// scan ends the resident's session). Both live in memory only.
type Desk struct {
	residents *sessions
	reps      *repSessions
	probe     probe // a technician's test read borrows the next card or scan
}

// NewDesk returns an empty desk. A session left idle ends by itself after idle (the
// workbench after DefaultRepIdle) and the screens are told through n.
func NewDesk(idle time.Duration, now func() time.Time, n *Notifier) *Desk {
	if now == nil {
		now = time.Now
	}
	return &Desk{
		residents: newSessions(idle, now, func() { n.Emit(EventSessionChanged, nil) }),
		reps:      newRepSessions(DefaultRepIdle, now, func() { n.Emit(EventRepChanged, nil) }),
	}
}

// Close ends both sessions and their timers.
func (d *Desk) Close() {
	d.residents.end()
	d.reps.end()
}

// Busy reports whether someone is at the kiosk: a resident's session or a representative's
// workbench is open.
func (d *Desk) Busy() bool {
	return d.residents.get() != nil || d.reps.get() != nil
}
