package app

import (
	"log/slog"
	"strings"
	"sync"

	"liaison/sync/domain"
)

// Notifier tells the screens and the sync client that something changed. It holds the
// Emitter (the window's, once it exists) and the sync client to kick after a local write.
type Notifier struct {
	mu   sync.RWMutex
	emit Emitter
	sync interface{ Kick() }
}

// NewNotifier returns a notifier that logs events until SetEmitter gives it the window.
func NewNotifier(log *slog.Logger) *Notifier {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Notifier{emit: logEmitter{log: log}}
}

// SetEmitter chooses where events go (the window, or a recorder in tests).
func (n *Notifier) SetEmitter(e Emitter) {
	n.mu.Lock()
	n.emit = e
	n.mu.Unlock()
}

// SetSync names the sync client to kick when local facts were recorded.
func (n *Notifier) SetSync(k interface{ Kick() }) {
	n.mu.Lock()
	n.sync = k
	n.mu.Unlock()
}

// Emit sends one event to the frontend.
func (n *Notifier) Emit(name string, payload any) {
	n.mu.RLock()
	e := n.emit
	n.mu.RUnlock()
	e.Emit(name, payload)
}

// Wrote tells the sync client and the screens that local facts were recorded. The board is
// told at once, as by Applied: the wall's store (frontend/src/stores/board.ts) is the one
// place that folds bursts of board:changed into calm refetches, because it alone knows when
// a fetch is under way and how often the screen should repaint.
func (n *Notifier) Wrote(caseIDs []string) {
	n.mu.RLock()
	k := n.sync
	n.mu.RUnlock()
	if k != nil {
		k.Kick()
	}
	if len(caseIDs) > 0 {
		n.Emit(EventCasesChanged, CasesChanged{IDs: caseIDs})
	}
	n.Emit(EventBoardChanged, struct{}{})
}

// Applied refreshes the screens after events from the hub were applied (the sync client's
// OnApplied).
func (n *Notifier) Applied(evs []domain.Event) {
	var ids []string
	seen := map[string]bool{}
	refs := false
	for _, ev := range evs {
		switch {
		case ev.Kind.IsCase():
			if !seen[ev.Stream] {
				seen[ev.Stream] = true
				ids = append(ids, ev.Stream)
			}
		case strings.HasPrefix(string(ev.Kind), "ref."):
			refs = true
		}
	}
	if len(ids) > 0 {
		n.Emit(EventCasesChanged, CasesChanged{IDs: ids})
	}
	if refs {
		n.Emit(EventRepsChanged, struct{}{})
	}
	n.Emit(EventBoardChanged, struct{}{})
}

// SyncURL turns the hub's base URL into its WebSocket sync endpoint.
func SyncURL(hub string) string {
	u := strings.TrimRight(hub, "/")
	switch {
	case strings.HasPrefix(u, "https://"):
		u = "wss://" + strings.TrimPrefix(u, "https://")
	case strings.HasPrefix(u, "http://"):
		u = "ws://" + strings.TrimPrefix(u, "http://")
	}
	return u + "/sync"
}

// logEmitter stands in for the window before it exists and in headless runs.
type logEmitter struct{ log *slog.Logger }

func (l logEmitter) Emit(name string, _ any) { l.log.Debug("event", "name", name) }
