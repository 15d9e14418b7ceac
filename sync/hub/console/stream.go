package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// The live stream follows the hub's log: the store tells every subscriber the log's new last
// seq after each commit (also for appends by the command-line tools, which the server's
// watcher picks up), and the stream then reads the case events after the seq it had sent and
// sends one "case" event per changed case the person may see. Its id is the log seq, so a
// browser that reconnects with Last-Event-ID resumes where it stopped.

// CaseEvent is the data of a stream event.
type CaseEvent struct {
	ID      string       `json:"id"`
	Number  string       `json:"number"`
	State   domain.State `json:"state"`
	Version int          `json:"version"`
}

// streamPage bounds the log events read at once.
const streamPage = 500

// streamWriteTimeout bounds each write of the stream. The server's read and write timeouts
// would end a stream at a fixed time after it opened, so the stream lifts the read deadline
// (the request is read; the connection's close still ends the stream) and sets a write
// deadline before every write instead: a reader that stops reading is let go after this long.
const streamWriteTimeout = 30 * time.Second

func (c *Console) stream(w http.ResponseWriter, r *http.Request, p *principal) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	extend := func() { _ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout)) }
	ctx := r.Context()
	ch, cancel := c.st.Subscribe()
	defer cancel()
	sent, err := c.st.LastSeq(ctx)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if id, err := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64); err == nil && id >= 0 && id < sent {
		sent = id
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy must pass events on at once
	extend()
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	beat := time.NewTicker(c.cfg.Heartbeat)
	defer beat.Stop()
	see := c.streamScope(ctx, p)
	pending := true // a resumed stream first catches up
	for {
		if pending {
			pending = false
			extend()
			if sent, err = c.sendChanges(w, r, see, sent); err != nil || rc.Flush() != nil {
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case seq, ok := <-ch:
			if !ok {
				return // the store closed
			}
			pending = seq > sent
		case <-beat.C:
			// A comment keeps proxies from closing an idle stream; a session that expired or
			// an account disabled meanwhile ends it.
			if !c.stillValid(ctx, p) {
				return
			}
			extend()
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// streamScope is which changed cases the stream sends p: those p may see, and for a
// representative also every case of the communities they serve, so the phone's list of new
// cases learns at once of a new one and of one another representative took.
func (c *Console) streamScope(ctx context.Context, p *principal) func(domain.Case) bool {
	tree, err := c.orgTree(ctx)
	if err != nil {
		// no tree, no area: an area-bound account hears nothing rather than everything
		c.log.Warn("stream scope without the organisation tree", "err", err)
		tree = domain.NewOrgTree(nil, nil)
	}
	if p.User.Role == store.RoleRepresentative {
		if rep, ok, err := findRep(ctx, c.st, p.User.RepID); err == nil && ok && !rep.Retired {
			return func(cs domain.Case) bool { return visible(p, tree, cs) || inCommunities(rep, cs) }
		}
	}
	return func(cs domain.Case) bool { return visible(p, tree, cs) }
}

// sendChanges writes the changed cases after seq and returns the seq read up to.
func (c *Console) sendChanges(w http.ResponseWriter, r *http.Request, see func(domain.Case) bool, after int64) (int64, error) {
	for {
		cases, upto, err := c.st.CaseChanges(r.Context(), after, streamPage)
		if err != nil {
			c.log.Warn("event stream", "err", err)
			return after, err
		}
		for _, cs := range cases {
			if !see(cs) {
				continue
			}
			b, err := json.Marshal(CaseEvent{ID: cs.ID, Number: cs.Number, State: cs.State, Version: cs.Version})
			if err != nil {
				return after, err
			}
			if _, err := fmt.Fprintf(w, "id: %d\nevent: case\ndata: %s\n\n", upto, b); err != nil {
				return after, err
			}
		}
		if upto == after {
			return after, nil
		}
		after = upto
	}
}
