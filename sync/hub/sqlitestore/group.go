package sqlitestore

import (
	"context"
	"sync"
)

// Uploads from many stations arrive at once. Each is small (at most a few hundred facts) and
// most of a transaction's cost is its commit: the log's and projections' index pages it
// dirtied are written to the WAL and synced. Group commit applies the uploads waiting at the
// moment in one transaction, in arrival order, so a hundred stations pay for a few commits
// instead of a hundred. Exactly-once is unchanged: each upload still checks and advances its
// device's sequence, against the transaction's view that includes the uploads before it.

// Limits of one group: a transaction stays short enough that a staff action waiting for the
// write lock is not held up for long.
const (
	groupMaxUploads = 64
	groupMaxFacts   = 4096
)

// group queues uploads for the next group transaction. One waiting upload at a time leads:
// it runs a group (which includes its own upload) and hands the lead to the next waiting one.
type group struct {
	mu      sync.Mutex
	queue   []*groupReq
	leading bool
}

type groupReq struct {
	fn    func(*appender) error
	facts int
	done  chan error    // the upload's outcome
	lead  chan struct{} // closed when this upload is to lead the next group
}

// writeGrouped runs fn in a write transaction shared with the uploads waiting alongside it.
// fn may run twice: when another upload of its group fails, the group's transaction is
// rolled back and each upload runs again in its own, so one store error touches only the
// upload that caused it. fn must therefore start from scratch each time it runs.
func (s *Store) writeGrouped(ctx context.Context, facts int, fn func(*appender) error) error {
	r := &groupReq{fn: fn, facts: facts, done: make(chan error, 1), lead: make(chan struct{})}
	g := &s.group
	g.mu.Lock()
	g.queue = append(g.queue, r)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead {
		select {
		case err := <-r.done:
			return err
		case <-r.lead:
		}
	}
	// The lock first, then the queue: whatever queued while the lock was busy joins.
	s.wmu.Lock()
	defer s.wmu.Unlock()
	g.mu.Lock()
	n, total := 0, 0
	for n < len(g.queue) && n < groupMaxUploads && (n == 0 || total+g.queue[n].facts <= groupMaxFacts) {
		total += g.queue[n].facts
		n++
	}
	reqs := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()

	// Once queued, an upload is applied even if its sender has gone: the work is bounded, and
	// the device learns what the hub holds from its next welcome either way.
	s.runGroup(context.WithoutCancel(ctx), reqs)

	g.mu.Lock()
	if len(g.queue) > 0 {
		close(g.queue[0].lead)
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return <-r.done
}

// runGroup runs a group with s.wmu held.
func (s *Store) runGroup(ctx context.Context, reqs []*groupReq) {
	err := s.writeLocked(ctx, func(a *appender) error {
		for _, r := range reqs {
			if err := r.fn(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(reqs) == 1 {
		for _, r := range reqs {
			r.done <- err
		}
		return
	}
	for _, r := range reqs {
		r.done <- s.writeLocked(ctx, r.fn)
	}
}
