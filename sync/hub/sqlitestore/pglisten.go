package sqlitestore

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// LogChannel is the PostgreSQL notification channel on which a hub store announces, as it
// commits, the log's new last seq.
const LogChannel = "liaison_log"

// listenRetry bounds the pause before the listener connects again after losing its
// connection; meanwhile Watch's polling keeps subscribers current.
const listenRetry = 5 * time.Second

// listen holds a connection of its own LISTENing on LogChannel until ctx ends, and publishes
// every seq announced on it. It reconnects after a failure, pausing longer each time up to
// listenRetry.
func (s *Store) listen(ctx context.Context) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("log notifications lost; polling until listening again", "err", err, "retry_in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, listenRetry)
	}
}

func (s *Store) listenOnce(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+LogChannel); err != nil {
		return err
	}
	// appends committed before LISTEN took effect
	if seq, err := s.LastSeq(ctx); err == nil {
		s.publish(seq)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if seq, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
			s.publish(seq)
		}
	}
}
