package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"liaison/sync/domain"
)

// LocalFactsAfter returns up to limit facts of this device with DevSeq > after, ascending.
// Facts stay after upload, so a hub restored from an older backup can be given them again.
func (s *Store) LocalFactsAfter(ctx context.Context, after int64, limit int) ([]domain.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+eventColumns+` FROM events
		WHERE own = 1 AND dev_seq > ? ORDER BY dev_seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("local facts after %d: %w", after, err)
	}
	return scanEvents(rows)
}

// LastLocalSeq is the DevSeq of the newest fact of this device (0 if none).
func (s *Store) LastLocalSeq(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(dev_seq), 0) FROM events WHERE own = 1`).
		Scan(&n); err != nil {
		return 0, fmt.Errorf("last local sequence: %w", err)
	}
	return n, nil
}

// MarkUploaded records that the hub holds every fact of this device up to devSeq. The facts
// still to upload are then those after devSeq; a lower devSeq than before (a hub restored
// from a backup) makes the facts it lost pending again.
func (s *Store) MarkUploaded(ctx context.Context, devSeq int64) error {
	return s.write(ctx, "mark uploaded", func(tx *sql.Tx) error {
		return setMeta(ctx, tx, metaUploaded, strconv.FormatInt(devSeq, 10))
	})
}

// Uploaded is the last DevSeq the hub acknowledged.
func (s *Store) Uploaded(ctx context.Context) (int64, error) {
	return getMetaInt(ctx, s.db, metaUploaded)
}

// OutboxDepth is the number of facts of this device the hub has not acknowledged: those
// with a DevSeq after Uploaded, which is what LocalFactsAfter(Uploaded) pages through.
func (s *Store) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE own = 1 AND dev_seq >
		coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?), 0)`, metaUploaded).Scan(&n); err != nil {
		return 0, fmt.Errorf("outbox depth: %w", err)
	}
	return n, nil
}

// Cursor returns the download cursor {epoch, seq}; a new store returns ("", 0).
func (s *Store) Cursor(ctx context.Context) (string, int64, error) {
	epoch, err := getMeta(ctx, s.db, metaCursorEpoch)
	if err != nil {
		return "", 0, err
	}
	seq, err := getMetaInt(ctx, s.db, metaCursorSeq)
	return epoch, seq, err
}

// ApplyRemote applies events from the hub (ascending HubSeq) and moves the cursor to
// {epoch, seq} in the same transaction. This device's own facts are recognised by id and
// only get their HubSeq; an event already stored is not applied twice. Every case touched
// is re-folded from its events in hub order, which is how a station converges with the hub
// when offline facts conflicted.
func (s *Store) ApplyRemote(ctx context.Context, epoch string, evs []domain.Event, seq int64) error {
	return s.write(ctx, "apply remote", func(tx *sql.Tx) error {
		cur, err := getMeta(ctx, tx, metaCursorEpoch)
		if err != nil {
			return err
		}
		if cur != epoch {
			return fmt.Errorf("apply remote: %w: cursor %q, events %q", ErrEpochMismatch, cur, epoch)
		}
		q := newStmtCache(tx)
		defer q.close()
		// Cases whose stream had no events before this page are folded from the page alone;
		// the others are re-read, because this device's unsequenced facts fold after it.
		touched, err := s.touchedStreams(ctx, q, evs)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			ev = stored(ev)
			fresh, err := s.applyRemoteOne(ctx, q, ev)
			if err != nil {
				return err
			}
			if ev.Kind.IsCase() {
				// (an event met twice in one page is stored once and folded once)
				if page := touched[ev.Stream]; page.new && fresh {
					page.evs = append(page.evs, ev)
				}
			} else if fresh {
				if err := s.project(ctx, q, ev); err != nil {
					return err
				}
			}
		}
		for stream, page := range touched {
			if page.new {
				err = s.writeFold(ctx, q, stream, page.evs)
			} else {
				err = s.refold(ctx, q, stream)
			}
			if err != nil {
				return err
			}
		}
		return setMeta(ctx, tx, metaCursorSeq, strconv.FormatInt(seq, 10))
	})
}

// pageStream is what a page brings to one case stream.
type pageStream struct {
	new bool           // the stream had no stored events before the page
	evs []domain.Event // the page's events of a new stream, in hub order
}

// touchedStreams returns the case streams a page touches, each marked new when nothing of it
// is stored yet. One query answers for the whole page.
func (s *Store) touchedStreams(ctx context.Context, q queryer, evs []domain.Event) (map[string]*pageStream, error) {
	touched := map[string]*pageStream{}
	var names []string
	for _, ev := range evs {
		if ev.Kind.IsCase() && touched[ev.Stream] == nil {
			touched[ev.Stream] = &pageStream{new: true}
			names = append(names, ev.Stream)
		}
	}
	if len(names) == 0 {
		return touched, nil
	}
	list, err := json.Marshal(names)
	if err != nil {
		return nil, fmt.Errorf("apply remote: list streams: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT stream FROM events
		WHERE stream IN (SELECT value FROM json_each(?))`, string(list))
	known, err := collect(rows, err, func(r *sql.Rows) (string, error) {
		var name string
		return name, r.Scan(&name)
	})
	if err != nil {
		return nil, fmt.Errorf("apply remote: streams already stored: %w", err)
	}
	for _, name := range known {
		touched[name].new = false
	}
	return touched, nil
}

// stored is ev as the events table gives it back: UTC time, no payload for JSON null.
func stored(ev domain.Event) domain.Event {
	ev.At = ev.At.UTC()
	if len(ev.Data) == 0 || string(ev.Data) == "null" {
		ev.Data = nil
	}
	return ev
}

// applyRemoteOne stores one hub event; fresh is false when it was already stored.
func (s *Store) applyRemoteOne(ctx context.Context, q queryer, ev domain.Event) (fresh bool, err error) {
	res, err := insertEventIfNew(ctx, q, ev)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("apply remote %s: %w", ev.ID, err)
	} else if n == 1 {
		return true, nil
	}
	if ev.HubSeq > 0 {
		if _, err := q.ExecContext(ctx, `UPDATE events SET hub_seq = ? WHERE id = ? AND hub_seq IS NOT ?`,
			ev.HubSeq, ev.ID, ev.HubSeq); err != nil {
			return false, fmt.Errorf("set hub sequence of %s: %w", ev.ID, err)
		}
	}
	return false, nil
}

// ResetRemote forgets everything learned from the hub and sets the cursor to {epoch, 0}:
// other devices' events and the hub's sequence numbers go, this device's facts stay, and
// the projections are rebuilt from what is left. Used when the hub's epoch changed.
func (s *Store) ResetRemote(ctx context.Context, epoch string) error {
	return s.write(ctx, "reset remote", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE own = 0`); err != nil {
			return fmt.Errorf("reset remote: drop hub events: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET hub_seq = NULL WHERE hub_seq IS NOT NULL`); err != nil {
			return fmt.Errorf("reset remote: clear hub sequences: %w", err)
		}
		if err := s.rebuild(ctx, tx); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, metaCursorEpoch, epoch); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaCursorSeq, "0")
	})
}
