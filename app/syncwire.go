package app

import (
	"context"
	"strings"

	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/protocol"
)

// openSync builds the sync client when the device is paired with a hub; runSync starts it.
func (s *Station) openSync() {
	if !s.id.paired() || s.cfg.HubURL == "" {
		s.log.Warn("not paired with a hub: working offline only")
		return
	}
	s.sync = client.New(client.Config{
		HubURL:     syncURL(s.cfg.HubURL),
		DeviceID:   s.id.deviceID,
		AppVersion: Version,
		Role:       s.cfg.Role,
		Health:     s.health,
		OnApplied: func(evs []domain.Event) {
			s.onRemote(evs)
		},
	}, s.store, s.id.key, s.log)
}

func (s *Station) runSync(ctx context.Context) {
	if s.sync == nil {
		return
	}
	s.goRun("sync", func() { _ = s.sync.Run(ctx) })
	s.goRun("sync-status", func() { s.watchStatus(ctx, s.sync.Changed()) })
}

// onRemote refreshes the screens after events from the hub were applied.
func (s *Station) onRemote(evs []domain.Event) {
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
		case len(ev.Kind) > 4 && ev.Kind[:4] == "ref.":
			refs = true
		}
	}
	if len(ids) > 0 {
		s.emitEvent(EventCasesChanged, CasesChanged{IDs: ids})
	}
	if refs {
		s.emitEvent(EventRepsChanged, struct{}{})
	}
	s.board.trigger()
}

// health is what the heartbeat tells the hub about the devices.
func (s *Station) health() protocol.Health {
	st := s.status(context.Background())
	return protocol.Health{Reader: st.Reader.State, Scanner: st.Scanner.State}
}

// syncURL turns the hub's base URL into its WebSocket sync endpoint.
func syncURL(hub string) string {
	u := strings.TrimRight(hub, "/")
	switch {
	case strings.HasPrefix(u, "https://"):
		u = "wss://" + strings.TrimPrefix(u, "https://")
	case strings.HasPrefix(u, "http://"):
		u = "ws://" + strings.TrimPrefix(u, "http://")
	}
	return u + "/sync"
}
