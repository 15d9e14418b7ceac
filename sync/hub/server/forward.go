package server

import (
	"context"
	"log/slog"
)

// Subscriber is the store's side of live push (store.Store has it).
type Subscriber interface {
	Subscribe() (<-chan int64, func())
	LastSeq(ctx context.Context) (int64, error)
}

// Notifier is the sync endpoint's side of live push (wsserver.Server implements it).
type Notifier interface {
	Notify(lastSeq int64)
}

// Forward passes every growth of the hub log on to the sync endpoint, so connected stations
// get new events without asking, and to the metrics (m may be nil). It returns when ctx ends
// or the store closes the subscription.
func Forward(ctx context.Context, st Subscriber, n Notifier, m *Metrics, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ch, cancel := st.Subscribe()
	defer cancel()
	prev, err := st.LastSeq(ctx)
	if err != nil {
		log.Warn("read last seq", "err", err)
	}
	if m != nil {
		m.ObserveLastSeq(prev, prev)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case seq, ok := <-ch:
			if !ok {
				return
			}
			n.Notify(seq)
			if m != nil {
				m.ObserveLastSeq(prev, seq)
			}
			prev = max(prev, seq)
		}
	}
}
