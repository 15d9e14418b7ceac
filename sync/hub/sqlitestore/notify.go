package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// The notifier's tables (migration 008): channels, the outbox and the log cursor. They are
// not part of the store contract: only this engine backs the notifier (sync/hub/notify).

// NotifyChannels lists the configured channels, oldest first, with their secrets.
func (s *Store) NotifyChannels(ctx context.Context) ([]store.NotifyChannel, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, data, secret, created_at, updated_at
		FROM notify_channels ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list notify channels: %w", err)
	}
	defer rows.Close()
	var out []store.NotifyChannel
	for rows.Next() {
		ch, err := scanChannel(rows)
		if err != nil {
			return nil, fmt.Errorf("list notify channels: %w", err)
		}
		out = append(out, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list notify channels: %w", err)
	}
	return out, nil
}

// NotifyChannel returns one channel, or store.ErrNotFound.
func (s *Store) NotifyChannel(ctx context.Context, id int64) (store.NotifyChannel, error) {
	ch, err := scanChannel(s.db.QueryRowContext(ctx, `SELECT id, data, secret, created_at, updated_at
		FROM notify_channels WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ch, fmt.Errorf("notify channel %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return ch, fmt.Errorf("notify channel %d: %w", id, err)
	}
	return ch, nil
}

func scanChannel(r scanner) (store.NotifyChannel, error) {
	var ch store.NotifyChannel
	var id, created, updated int64
	var data, secret string
	if err := r.Scan(&id, &data, &secret, &created, &updated); err != nil {
		return ch, err
	}
	if err := json.Unmarshal([]byte(data), &ch); err != nil {
		return ch, fmt.Errorf("decode channel %d: %w", id, err)
	}
	ch.ID, ch.Secret, ch.Created, ch.Updated = id, secret, time.Unix(0, created), time.Unix(0, updated)
	return ch, nil
}

// SaveNotifyChannel creates a channel (ID 0) or replaces one, and returns it as stored. With
// keepSecret the stored secret of an existing channel is kept and ch.Secret ignored. It
// returns store.ErrNotFound for an ID that does not exist.
func (s *Store) SaveNotifyChannel(ctx context.Context, ch store.NotifyChannel, keepSecret bool) (store.NotifyChannel, error) {
	data, err := json.Marshal(ch)
	if err != nil {
		return ch, fmt.Errorf("save notify channel: %w", err)
	}
	now := s.now().UnixNano()
	err = s.userWrite(ctx, "save notify channel", func(tx *sql.Tx) error {
		if ch.ID == 0 {
			return tx.QueryRowContext(ctx, `INSERT INTO notify_channels(data, secret, created_at, updated_at)
				VALUES (?, ?, ?, ?) RETURNING id`, string(data), ch.Secret, now, now).Scan(&ch.ID)
		}
		q := `UPDATE notify_channels SET data = ?, secret = ?, updated_at = ? WHERE id = ?`
		args := []any{string(data), ch.Secret, now, ch.ID}
		if keepSecret {
			q = `UPDATE notify_channels SET data = ?, updated_at = ? WHERE id = ?`
			args = []any{string(data), now, ch.ID}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("channel %d: %w", ch.ID, store.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return ch, err
	}
	return s.NotifyChannel(ctx, ch.ID)
}

// DeleteNotifyChannel removes a channel and its outbox; store.ErrNotFound if there is none.
func (s *Store) DeleteNotifyChannel(ctx context.Context, id int64) error {
	return s.userWrite(ctx, "delete notify channel", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM notify_channels WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("channel %d: %w", id, store.ErrNotFound)
		}
		return nil
	})
}

// NotifyCursor returns how far the named reader of the notifier has read the log; ok is
// false before it first moved.
func (s *Store) NotifyCursor(ctx context.Context, name string) (seq int64, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT seq FROM notify_cursor WHERE name = ?`, name).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("notify cursor %s: %w", name, err)
	}
	return seq, true, nil
}

// EnqueueNotices adds notices to the outbox, due at once, skipping any whose (channel, key)
// is already there and any for a channel that no longer exists, and, when cursor is not
// empty, moves that cursor to seq in the same transaction. It returns how many it added.
func (s *Store) EnqueueNotices(ctx context.Context, notices []store.Notice, cursor string, seq int64) (int, error) {
	now := s.now().UnixNano()
	added := 0
	err := s.userWrite(ctx, "enqueue notices", func(tx *sql.Tx) error {
		for _, n := range notices {
			res, err := tx.ExecContext(ctx, `INSERT INTO notify_outbox(channel, key, kind, title, body, link,
				state, next_at, created_at)
				SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM notify_channels WHERE id = ?)
				ON CONFLICT(channel, key) DO NOTHING`,
				n.Channel, n.Key, n.Kind, n.Title, n.Body, n.Link, store.OutboxPending, now, now, n.Channel)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			added += int(k)
		}
		if cursor == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO notify_cursor(name, seq) VALUES (?, ?)
			ON CONFLICT(name) DO UPDATE SET seq = excluded.seq`, cursor, seq)
		return err
	})
	return added, err
}

const outboxCols = `id, channel, key, kind, title, body, link, state, attempts, next_at, last_error,
	created_at, sent_at`

func scanOutbox(r scanner) (store.OutboxItem, error) {
	var it store.OutboxItem
	var next, created, sent int64
	err := r.Scan(&it.ID, &it.Channel, &it.Key, &it.Kind, &it.Title, &it.Body, &it.Link, &it.State,
		&it.Attempts, &next, &it.LastError, &created, &sent)
	it.NextAt, it.Created = time.Unix(0, next), time.Unix(0, created)
	if sent != 0 {
		it.SentAt = time.Unix(0, sent)
	}
	return it, err
}

func (s *Store) queryOutbox(ctx context.Context, what, q string, args ...any) ([]store.OutboxItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+outboxCols+` FROM notify_outbox `+q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []store.OutboxItem
	for rows.Next() {
		it, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// DueNotices returns up to limit pending notices due at or before now, oldest first.
func (s *Store) DueNotices(ctx context.Context, now time.Time, limit int) ([]store.OutboxItem, error) {
	return s.queryOutbox(ctx, "due notices", `WHERE state = ? AND next_at <= ? ORDER BY next_at, id LIMIT ?`,
		store.OutboxPending, now.UnixNano(), limit)
}

// NextNoticeAt is when the earliest pending notice is due; ok is false when none is pending.
func (s *Store) NextNoticeAt(ctx context.Context) (t time.Time, ok bool, err error) {
	var next sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT MIN(next_at) FROM notify_outbox WHERE state = ?`,
		store.OutboxPending).Scan(&next)
	if err != nil {
		return t, false, fmt.Errorf("next notice: %w", err)
	}
	if !next.Valid {
		return t, false, nil
	}
	return time.Unix(0, next.Int64), true, nil
}

// Outbox lists the newest notices first, up to limit, of one channel when channel is not 0.
func (s *Store) Outbox(ctx context.Context, channel int64, limit int) ([]store.OutboxItem, error) {
	if channel != 0 {
		return s.queryOutbox(ctx, "outbox", `WHERE channel = ? ORDER BY id DESC LIMIT ?`, channel, limit)
	}
	return s.queryOutbox(ctx, "outbox", `ORDER BY id DESC LIMIT ?`, limit)
}

// NoticeAttempted records an attempt at a pending notice: sent when errText is empty,
// otherwise pending again at next, or dead when dead is set. A notice no longer pending is
// left alone.
func (s *Store) NoticeAttempted(ctx context.Context, id int64, errText string, next time.Time, dead bool) error {
	now := s.now().UnixNano()
	return s.userWrite(ctx, "record notice attempt", func(tx *sql.Tx) error {
		var err error
		switch {
		case errText == "":
			_, err = tx.ExecContext(ctx, `UPDATE notify_outbox SET state = ?, attempts = attempts + 1,
				last_error = '', sent_at = ? WHERE id = ? AND state = ?`, store.OutboxSent, now, id, store.OutboxPending)
		case dead:
			_, err = tx.ExecContext(ctx, `UPDATE notify_outbox SET state = ?, attempts = attempts + 1,
				last_error = ? WHERE id = ? AND state = ?`, store.OutboxDead, errText, id, store.OutboxPending)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE notify_outbox SET attempts = attempts + 1, last_error = ?,
				next_at = ? WHERE id = ? AND state = ?`, errText, next.UnixNano(), id, store.OutboxPending)
		}
		return err
	})
}

// ClaimNotice takes a pending notice for one attempt: it moves its next attempt to lease, so
// that no other deliverer takes it meanwhile and, should the hub stop mid-attempt, it is
// tried again once the lease ends. It reports false when the notice is no longer pending at
// next (another deliverer took it, or it was sent).
func (s *Store) ClaimNotice(ctx context.Context, id int64, next, lease time.Time) (bool, error) {
	var ok bool
	err := s.userWrite(ctx, "claim notice", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notify_outbox SET next_at = ? WHERE id = ? AND state = ? AND next_at = ?`,
			lease.UnixNano(), id, store.OutboxPending, next.UnixNano())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

// RetryNotice makes a dead notice pending again, due at once, with its attempts reset;
// store.ErrNotFound when no dead notice has the id.
func (s *Store) RetryNotice(ctx context.Context, id int64) error {
	now := s.now().UnixNano()
	return s.userWrite(ctx, "retry notice", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notify_outbox SET state = ?, attempts = 0, next_at = ?
			WHERE id = ? AND state = ?`, store.OutboxPending, now, id, store.OutboxDead)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("notice %d: %w", id, store.ErrNotFound)
		}
		return nil
	})
}

// PruneNotices deletes sent notices sent before sent and dead ones created before dead, and
// returns how many it deleted.
func (s *Store) PruneNotices(ctx context.Context, sent, dead time.Time) (int64, error) {
	var n int64
	err := s.userWrite(ctx, "prune notices", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM notify_outbox WHERE (state = ? AND sent_at < ?)
			OR (state = ? AND created_at < ?)`, store.OutboxSent, sent.UnixNano(), store.OutboxDead, dead.UnixNano())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// LogAfter returns up to limit events of every scope with seq > after, in log order: the
// notifier's view of what happened.
func (s *Store) LogAfter(ctx context.Context, after int64, limit int) ([]domain.Event, error) {
	return queryEvents(ctx, s.db, `SELECT `+eventCols+` FROM log WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
}

// CasesDueBetween returns the cases someone must act on whose deadline (domain.Deadline, as
// the desk keeps it) falls in (from, to], soonest first.
func (s *Store) CasesDueBetween(ctx context.Context, from, to time.Time) ([]domain.Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.data FROM desk d JOIN cases c ON c.id = d.id
		WHERE d.state IN `+deskWork+` AND d.deadline > ? AND d.deadline <= ? ORDER BY d.deadline, d.id`,
		from.UnixNano(), to.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("cases due: %w", err)
	}
	defer rows.Close()
	var out []domain.Case
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("cases due: %w", err)
		}
		c, err := decodeCase(id, data)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cases due: %w", err)
	}
	return out, nil
}
