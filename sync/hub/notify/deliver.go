package notify

import (
	"context"
	"errors"
	"sync"
	"time"

	"liaison/sync/hub/store"
)

// deliverLoop sends what is due, then sleeps until the next notice is due, a kick, or
// ScanEvery at the longest.
func (n *Notifier) deliverLoop(ctx context.Context) {
	for {
		wait := n.DeliverDue(ctx)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-n.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// DeliverDue attempts every due notice once, the channels side by side and each channel's
// notices in order; a failure holds the rest of that channel back until its retry. It returns
// how long to wait before the next round.
func (n *Notifier) DeliverDue(ctx context.Context) time.Duration {
	now := n.cfg.Now()
	items, err := n.st.DueNotices(ctx, now, batch)
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("read due notices", "err", err)
		}
		return n.cfg.ScanEvery
	}
	chans, err := n.st.NotifyChannels(ctx)
	if err != nil {
		if ctx.Err() == nil {
			n.log.Warn("read notify channels", "err", err)
		}
		return n.cfg.ScanEvery
	}
	byID := map[int64]store.NotifyChannel{}
	for _, ch := range chans {
		byID[ch.ID] = ch
	}
	groups := map[int64][]store.OutboxItem{}
	var order []int64
	for _, it := range items {
		if n.pausedUntil(it.Channel).After(now) {
			continue
		}
		ch, ok := byID[it.Channel]
		if !ok {
			continue
		}
		if !ch.Enabled {
			n.pause(ch.ID, now.Add(n.cfg.ScanEvery))
			continue
		}
		if groups[it.Channel] == nil {
			order = append(order, it.Channel)
		}
		groups[it.Channel] = append(groups[it.Channel], it)
	}
	var wg sync.WaitGroup
	for _, id := range order {
		wg.Go(func() { n.deliverChannel(ctx, byID[id], groups[id]) })
	}
	wg.Wait()
	if len(items) == batch {
		return time.Millisecond // more are due
	}
	return n.nextWait(ctx)
}

func (n *Notifier) deliverChannel(ctx context.Context, ch store.NotifyChannel, items []store.OutboxItem) {
	for _, it := range items {
		if ctx.Err() != nil {
			return
		}
		claimed, err := n.st.ClaimNotice(ctx, it.ID, it.NextAt, n.cfg.Now().Add(2*n.cfg.SendTimeout))
		if err != nil || !claimed {
			if err != nil && ctx.Err() == nil {
				n.log.Warn("claim notice", "id", it.ID, "err", err)
			}
			return
		}
		err = n.sendItem(ctx, ch, it)
		if err == nil {
			if e := n.st.NoticeAttempted(ctx, it.ID, "", time.Time{}, false); e != nil {
				n.log.Warn("record sent notice", "id", it.ID, "err", e)
			}
			continue
		}
		if ctx.Err() != nil {
			return // shutting down: the attempt does not count
		}
		attempt := it.Attempts + 1
		dead := attempt >= n.cfg.MaxAttempts
		next := n.cfg.Now().Add(n.backoff(attempt))
		msg := errText(err)
		if e := n.st.NoticeAttempted(ctx, it.ID, msg, next, dead); e != nil {
			n.log.Warn("record failed notice", "id", it.ID, "err", e)
		}
		n.log.Info("notice not delivered", "channel", ch.ID, "notice", it.ID, "attempt", attempt,
			"dead", dead, "err", msg)
		n.pause(ch.ID, next)
		return
	}
}

func (n *Notifier) sendItem(ctx context.Context, ch store.NotifyChannel, it store.OutboxItem) error {
	ctx, cancel := context.WithTimeout(ctx, n.cfg.SendTimeout)
	defer cancel()
	return n.send(ctx, ch, it.Title, it.Body)
}

// nextWait is how long until the earliest pending notice of a channel not held back is due.
func (n *Notifier) nextWait(ctx context.Context) time.Duration {
	next, ok, err := n.st.NextNoticeAt(ctx)
	if err != nil || !ok {
		return n.cfg.ScanEvery
	}
	now := n.cfg.Now()
	// a notice already due belongs to a held-back channel (it waits for the earliest hold to
	// end) or became due since this round read the outbox (go again at once)
	if !next.After(now) {
		next = now.Add(time.Millisecond)
		hold := time.Time{}
		n.mu.Lock()
		for _, t := range n.paused {
			if t.After(now) && (hold.IsZero() || t.Before(hold)) {
				hold = t
			}
		}
		n.mu.Unlock()
		if !hold.IsZero() {
			next = hold
		}
	}
	return min(max(next.Sub(now), time.Millisecond), n.cfg.ScanEvery)
}

func (n *Notifier) pause(ch int64, until time.Time) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.paused[ch] = until
}

func (n *Notifier) pausedUntil(ch int64) time.Time {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.paused[ch]
}

// resume lifts a channel's hold: it was saved or a notice of it retried.
func (n *Notifier) resume(ch int64) {
	n.mu.Lock()
	delete(n.paused, ch)
	n.mu.Unlock()
	n.Kick()
}

// errText is an error as the outbox keeps it: without the webhook's address (whose query
// holds the robot's token), at most 300 bytes.
func errText(err error) string {
	var se *sendError
	s := err.Error()
	if errors.As(err, &se) {
		s = se.Error()
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
