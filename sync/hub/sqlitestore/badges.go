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

// Representative returns a representative from the reference data, or store.ErrUnknownRep.
func (s *Store) Representative(ctx context.Context, id string) (domain.Representative, error) {
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM refdata WHERE kind = ? AND key = ?`,
		string(domain.KindRepresentativeUpserted), "rep:"+id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Representative{}, fmt.Errorf("representative %s: %w", id, store.ErrUnknownRep)
	}
	if err != nil {
		return domain.Representative{}, fmt.Errorf("representative %s: %w", id, err)
	}
	var r domain.Representative
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, fmt.Errorf("representative %s: %w", id, err)
	}
	return r, nil
}

// IssueBadge signs a new badge for a representative, valid until validUntil (zero: one year
// from now, whole seconds). Serials run B0001, B0002 … and are never reused.
func (s *Store) IssueBadge(ctx context.Context, repID string, validUntil time.Time) (store.BadgeRecord, error) {
	rep, err := s.Representative(ctx, repID)
	if err != nil {
		return store.BadgeRecord{}, err
	}
	if rep.Retired {
		return store.BadgeRecord{}, fmt.Errorf("representative %s: %w", repID, store.ErrRepRetired)
	}
	now := s.now().UTC()
	if validUntil.IsZero() {
		validUntil = now.Add(store.DefaultBadgeValidity)
	}
	validUntil = validUntil.UTC().Truncate(time.Second)
	if !validUntil.After(now) {
		return store.BadgeRecord{}, fmt.Errorf("issue badge: %w: valid_until is in the past", domain.ErrBadgeMalformed)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	ctx, tx, err := s.wconn.Begin(ctx)
	if err != nil {
		return store.BadgeRecord{}, fmt.Errorf("issue badge: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM badges`).Scan(&n); err != nil {
		return store.BadgeRecord{}, fmt.Errorf("issue badge: %w", err)
	}
	rec := store.BadgeRecord{Serial: fmt.Sprintf("B%04d", n+1), RepID: rep.ID, RepName: rep.Name,
		ValidUntil: validUntil, IssuedAt: now}
	if rec.Payload, err = s.badgePayload(rec); err != nil {
		return store.BadgeRecord{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO badges(serial, rep_id, rep_name, valid_until, issued_at)
		VALUES (?, ?, ?, ?, ?)`, rec.Serial, rec.RepID, rec.RepName,
		rec.ValidUntil.Format(time.RFC3339), rec.IssuedAt.Format(time.RFC3339Nano))
	if err != nil {
		return store.BadgeRecord{}, fmt.Errorf("issue badge: %w", err)
	}
	if err := s.wconn.Commit(tx); err != nil {
		return store.BadgeRecord{}, fmt.Errorf("issue badge: %w", err)
	}
	s.log.Info("badge issued", "serial", rec.Serial, "rep", rec.RepID, "valid_until", rec.ValidUntil)
	return rec, nil
}

func (s *Store) badgePayload(r store.BadgeRecord) (string, error) {
	p, err := domain.SignBadgeWith(domain.Badge{Rep: r.RepID, Serial: r.Serial, ValidUntil: r.ValidUntil}, s.keys.Sign)
	if err != nil {
		return "", fmt.Errorf("sign badge %s: %w", r.Serial, err)
	}
	return p, nil
}

// RevokeBadge revokes a badge: a ref.badge_revoked event in the log (stations learn of it
// through sync; the event goes to every station, a representative may serve at several)
// and the badge row marked. Revoking twice gives store.ErrBadgeIsRevoked.
func (s *Store) RevokeBadge(ctx context.Context, serial, reason string, actor domain.Actor) (domain.Event, error) {
	var out domain.Event
	err := s.write(ctx, func(a *appender) error {
		var rep, revoked string
		err := a.sql().QueryRowContext(ctx, `SELECT rep_id, revoked_at FROM badges WHERE serial = ?`, serial).
			Scan(&rep, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("badge %s: %w", serial, store.ErrBadgeNotFound)
		}
		if err != nil {
			return err
		}
		if revoked != "" {
			return fmt.Errorf("badge %s: %w", serial, store.ErrBadgeIsRevoked)
		}
		data, err := json.Marshal(domain.BadgeRevocation{Serial: serial, Rep: rep, Reason: reason})
		if err != nil {
			return err
		}
		now := s.now().UTC()
		ev := domain.Event{Stream: domain.BadgeRevokedStream(serial), Kind: domain.KindBadgeRevoked,
			At: now, Actor: actor, Data: data}
		if out, err = s.appendProjected(a, ev, true); err != nil {
			return err
		}
		_, err = a.sql().ExecContext(ctx, `UPDATE badges SET revoked_at = ? WHERE serial = ?`,
			now.Format(time.RFC3339Nano), serial)
		return err
	})
	if err != nil {
		return domain.Event{}, fmt.Errorf("revoke badge: %w", err)
	}
	return out, nil
}

// Badges lists every badge issued, newest serial first, with the payload of those still in
// force (so a lost sheet can be printed again).
func (s *Store) Badges(ctx context.Context) ([]store.BadgeRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT serial, rep_id, rep_name, valid_until, issued_at,
		revoked_at FROM badges ORDER BY serial DESC`)
	if err != nil {
		return nil, fmt.Errorf("list badges: %w", err)
	}
	defer rows.Close()
	var out []store.BadgeRecord
	for rows.Next() {
		var r store.BadgeRecord
		var until, issued, revoked string
		if err := rows.Scan(&r.Serial, &r.RepID, &r.RepName, &until, &issued, &revoked); err != nil {
			return nil, fmt.Errorf("list badges: %w", err)
		}
		r.ValidUntil, _ = time.Parse(time.RFC3339, until)
		r.IssuedAt, _ = time.Parse(time.RFC3339Nano, issued)
		if revoked != "" {
			t, _ := time.Parse(time.RFC3339Nano, revoked)
			r.RevokedAt = &t
		} else if r.Payload, err = s.badgePayload(r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list badges: %w", err)
	}
	return out, nil
}
