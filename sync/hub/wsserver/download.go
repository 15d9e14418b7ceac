package wsserver

import (
	"liaison/sync/domain"
	"liaison/sync/protocol"
)

// wake tells the session the log has grown to lastSeq; the downloader pushes if it is live.
func (s *session) wake(lastSeq int64) {
	for {
		cur := s.notify.Load()
		if lastSeq <= cur || s.notify.CompareAndSwap(cur, lastSeq) {
			break
		}
	}
	select {
	case s.wakeCh <- struct{}{}:
	default: // a wake is already pending; it will see the newest lastSeq
	}
}

// downloadLoop serves pulls and pushes one at a time. sent is the log position through which
// this device has been sent its scope; live means it has everything up to sent and wants
// pushes.
func (s *session) downloadLoop() {
	var sent int64
	live := false
	for {
		select {
		case <-s.ctx.Done():
			return
		case p := <-s.pulls:
			if p.Epoch != s.epoch {
				_ = s.send(&protocol.Error{Code: protocol.ErrCodeEpochMismatch, Epoch: s.epoch,
					Message: "hub epoch changed; reset and pull from 0"})
				continue
			}
			if !s.awaitWritten() {
				return
			}
			page, frame, err := s.page(p.After, p.Limit)
			if err != nil {
				_ = s.send(&protocol.Error{Code: protocol.ErrCodeUnavailable, Message: "store unavailable"})
				continue
			}
			if s.sendFrame(frame) != nil {
				return
			}
			sent, live = page.Upto, !page.More
		case <-s.wakeCh:
			if !live || s.notify.Load() <= sent {
				continue
			}
			if !s.awaitWritten() {
				return
			}
			page, frame, err := s.page(sent, 0)
			if err != nil {
				s.srv.log.Warn("push page", "device", s.dev.ID, "err", err)
				continue
			}
			if len(page.Events) == 0 {
				// Nothing of this scope: keep sent, so the next push still starts where the
				// device's cursor is.
				continue
			}
			if s.sendFrame(frame) != nil {
				return
			}
			sent, live = page.Upto, !page.More
		}
	}
}

// page builds the scope's page after `after`, shrunk until it fits one frame, and returns it
// with its frame.
func (s *session) page(after int64, limit int) (*protocol.Events, []byte, error) {
	if limit <= 0 || limit > s.srv.cfg.PageLimit {
		limit = min(protocol.DefaultPage, s.srv.cfg.PageLimit)
	}
	st := s.srv.store
	// Read the log's end first: every event up to it is committed, so a short page is complete
	// through it even if the log grows while we query.
	last, err := st.LastSeq(s.ctx)
	if err != nil {
		return nil, nil, err
	}
	evs, err := st.EventsAfter(s.ctx, s.dev.Station, after, limit)
	if err != nil {
		return nil, nil, err
	}
	page := &protocol.Events{Epoch: s.epoch, After: after, LastSeq: last, Events: evs}
	page.Upto = max(after, last)
	if n := len(evs); n > 0 {
		page.Upto = max(page.Upto, evs[n-1].HubSeq)
		page.LastSeq = max(last, evs[n-1].HubSeq)
		// The store stops at limit events or at protocol.MaxPageBytes: either way there may be
		// more, and the page is complete only through its last event.
		if n >= limit || pageSize(evs) >= protocol.MaxPageBytes {
			page.Upto, page.More = evs[n-1].HubSeq, true
		}
	}
	for {
		frame, err := protocol.Encode(page)
		if err != nil {
			return nil, nil, err
		}
		if len(frame) <= protocol.MaxFrameBytes-1024 || len(page.Events) <= 1 {
			s.srv.cfg.Metrics.eventsSent(len(page.Events))
			return page, frame, nil
		}
		page.Events = page.Events[:len(page.Events)/2]
		page.Upto, page.More = page.Events[len(page.Events)-1].HubSeq, true
	}
}

func pageSize(evs []domain.Event) int {
	n := 0
	for i := range evs {
		n += protocol.EventSize(&evs[i])
	}
	return n
}

// smallFrames is what may stay queued while the next page is read: acks, beats, errors.
const smallFrames = 64 << 10

// awaitWritten waits until the frames queued before (the last page above all) are written,
// so at most one page per session is held in memory and a device that stops reading stops
// making the hub read the store for it. It reports false when the session ended.
func (s *session) awaitWritten() bool {
	for s.q.queued() > smallFrames {
		select {
		case <-s.ctx.Done():
			return false
		case <-s.q.done:
		}
	}
	return s.ctx.Err() == nil
}
