package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// ActVersion is Act for a person who saw the case at version: when version is not 0 and the
// case has moved on since, nothing is appended and a *store.StaleError names who changed it
// last. The check and the append share one transaction, so two people acting on the same
// version cannot both succeed.
func (s *Store) ActVersion(ctx context.Context, caseID string, version int, kind domain.Kind, actor domain.Actor, payload any) (domain.Event, error) {
	data, err := json.Marshal(payload)
	if err != nil {
		return domain.Event{}, fmt.Errorf("act %s on %s: encode payload: %w", kind, caseID, err)
	}
	var out domain.Event
	err = s.write(ctx, func(a *appender) error {
		c, err := a.submittedCase(caseID)
		if err != nil {
			return err
		}
		if version != 0 && version != c.Version {
			by, err := lastActor(a, caseID)
			if err != nil {
				return err
			}
			return &store.StaleError{Version: c.Version, By: by}
		}
		ev := domain.Event{Station: c.Station, Stream: c.ID, Kind: kind, At: s.now().UTC(),
			Actor: actor, Data: data}
		rules, err := s.txRules(a)
		if err != nil {
			return err
		}
		if _, err := domain.Transition(c, ev, rules); err != nil {
			return err
		}
		out, err = s.appendProjected(a, ev, true)
		return err
	})
	if err != nil {
		return domain.Event{}, fmt.Errorf("act %s on %s: %w", kind, caseID, err)
	}
	return out, nil
}

// lastActor is who recorded the latest event that took effect on a case.
func lastActor(a *appender, caseID string) (domain.Actor, error) {
	var by domain.Actor
	var role string
	err := a.sql().QueryRowContext(a.ctx, `SELECT l.actor_role, l.actor_id, l.actor_name FROM cases c
		JOIN log l ON l.seq = c.last_seq WHERE c.id = ?`, caseID).Scan(&role, &by.ID, &by.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return by, nil
	}
	if err != nil {
		return by, fmt.Errorf("read last actor of %s: %w", caseID, err)
	}
	by.Role = domain.Role(role)
	return by, nil
}

// ContactRevealed is the payload of domain.KindContactRevealed.
type ContactRevealed struct {
	CaseNumber string `json:"case_number"`
	Field      string `json:"field"` // what was shown: "phone"
}

// RevealContact returns the phone number a resident left on a case and records, in the same
// transaction, who was shown it: an event in the hub's log (kind domain.KindContactRevealed,
// scope store.AuditScope, which no station downloads). A case without a phone is not an
// error: the answer is "" and the look is recorded all the same.
func (s *Store) RevealContact(ctx context.Context, caseID string, actor domain.Actor) (string, error) {
	var phone string
	err := s.write(ctx, func(a *appender) error {
		c, err := a.submittedCase(caseID)
		if err != nil {
			return err
		}
		data, err := json.Marshal(ContactRevealed{CaseNumber: c.Number, Field: "phone"})
		if err != nil {
			return fmt.Errorf("encode audit: %w", err)
		}
		_, err = s.appendProjected(a, domain.Event{Station: store.AuditScope, Stream: c.ID,
			Kind: domain.KindContactRevealed, At: s.now().UTC(), Actor: actor, Data: data}, true)
		phone = c.Phone
		return err
	})
	if err != nil {
		return "", fmt.Errorf("reveal contact of %s: %w", caseID, err)
	}
	return phone, nil
}

// CaseChanges returns the cases changed by case events after seq, as they are now, in the
// order of their first change, and the seq up to which the log was read (at most limit
// events). The console's live stream follows the log with it.
func (s *Store) CaseChanges(ctx context.Context, after int64, limit int) ([]domain.Case, int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, stream, kind FROM log WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, after, fmt.Errorf("read case changes: %w", err)
	}
	defer rows.Close()
	upto := after
	var ids []string
	seen := map[string]bool{}
	for rows.Next() {
		var stream, kind string
		if err := rows.Scan(&upto, &stream, &kind); err != nil {
			return nil, after, fmt.Errorf("read case changes: %w", err)
		}
		if domain.Kind(kind).IsCase() && !seen[stream] {
			seen[stream] = true
			ids = append(ids, stream)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, after, fmt.Errorf("read case changes: %w", err)
	}
	cases, err := casesByID(ctx, s.db, ids, s.pg)
	if err != nil {
		return nil, after, err
	}
	return cases, upto, nil
}
