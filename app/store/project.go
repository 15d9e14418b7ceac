package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"liaison/sync/domain"
)

// loadCase returns the projection of a case, or the zero Case when there is none.
func loadCase(ctx context.Context, q queryer, id string) (domain.Case, error) {
	var data []byte
	err := q.QueryRowContext(ctx, `SELECT data FROM cases WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Case{}, nil
	}
	if err != nil {
		return domain.Case{}, fmt.Errorf("read case %s: %w", id, err)
	}
	var c domain.Case
	if err := json.Unmarshal(data, &c); err != nil {
		return domain.Case{}, fmt.Errorf("decode case %s: %w", id, err)
	}
	return c, nil
}

const upsertCase = `INSERT INTO cases(id, number, token, station, state,
	resident_id, rep_id, dept_code, submitted_at, updated_at, data)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT(id) DO UPDATE SET number = excluded.number, token = excluded.token,
	station = excluded.station, state = excluded.state, resident_id = excluded.resident_id,
	rep_id = excluded.rep_id, dept_code = excluded.dept_code,
	submitted_at = excluded.submitted_at, updated_at = excluded.updated_at, data = excluded.data`

// execer is a query or a prepared statement; rebuild prepares upsertCase once.
type execer func(ctx context.Context, args ...any) (sql.Result, error)

// saveCase writes a case projection; a case that never got a valid submission (only stray
// events) has no row.
func saveCase(ctx context.Context, q queryer, c domain.Case) error {
	return saveCaseWith(ctx, func(ctx context.Context, args ...any) (sql.Result, error) {
		return q.ExecContext(ctx, upsertCase, args...)
	}, c)
}

func saveCaseWith(ctx context.Context, exec execer, c domain.Case) error {
	if c.State == domain.StateNew {
		return nil
	}
	data, err := marshal(c)
	if err != nil {
		return err
	}
	_, err = exec(ctx, c.ID, c.Number, c.Token, c.Station, string(c.State), c.ResidentID,
		c.RepID, c.DeptCode, fmtTime(c.SubmittedAt), fmtTime(c.UpdatedAt), data)
	if err != nil {
		return fmt.Errorf("write case %s: %w", c.ID, err)
	}
	return nil
}

// refold recomputes a case from all its stored events, leniently.
func (s *Store) refold(ctx context.Context, q queryer, stream string) error {
	evs, err := streamEvents(ctx, q, stream)
	if err != nil {
		return err
	}
	return s.writeFold(ctx, q, stream, evs)
}

// writeFold writes the projection of a case from exactly these events, in fold order.
func (s *Store) writeFold(ctx context.Context, q queryer, stream string, evs []domain.Event) error {
	c, _ := domain.Fold(evs, s.Rules())
	if c.State == domain.StateNew {
		_, err := q.ExecContext(ctx, `DELETE FROM cases WHERE id = ?`, stream)
		if err != nil {
			return fmt.Errorf("drop case %s: %w", stream, err)
		}
		return nil
	}
	return saveCase(ctx, q, c)
}

// project applies a non-case event to the projections it feeds. Unknown kinds (reception
// logs and kinds newer than this build) only live in the event log. Malformed payloads from
// the hub are logged and skipped: a bad fact must not stop the station from syncing.
func (s *Store) project(ctx context.Context, q queryer, ev domain.Event) error {
	switch {
	case strings.HasPrefix(string(ev.Kind), "ref."):
		if ev.Kind == domain.KindCalendarUpserted || ev.Kind == domain.KindCategoryUpserted {
			s.rulesGen.Add(1)
		}
		_, err := q.ExecContext(ctx, `INSERT INTO ref(kind, id, station, at, data) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(kind, id) DO UPDATE SET station = excluded.station, at = excluded.at,
			data = excluded.data`,
			string(ev.Kind), ev.Stream, ev.Station, fmtTime(ev.At), []byte(ev.Data))
		if err != nil {
			return fmt.Errorf("write %s %s: %w", ev.Kind, ev.Stream, err)
		}
	case ev.Kind == domain.KindResidentRegistered:
		var p domain.ResidentRegistered
		if !s.decode(ev, &p) {
			return nil
		}
		_, err := q.ExecContext(ctx, `INSERT INTO residents(id, id_hash, station, registered_at,
			consented_at, data) VALUES (?, ?, ?, ?, '', ?)
			ON CONFLICT(id) DO UPDATE SET id_hash = excluded.id_hash, station = excluded.station,
			registered_at = excluded.registered_at, data = excluded.data`,
			ev.Stream, p.IDHash, ev.Station, fmtTime(ev.At), []byte(ev.Data))
		if err != nil {
			return fmt.Errorf("write resident %s: %w", ev.Stream, err)
		}
	case ev.Kind == domain.KindResidentConsented:
		_, err := q.ExecContext(ctx, `INSERT INTO residents(id, id_hash, station, registered_at,
			consented_at, data) VALUES (?, '', ?, '', ?, 'null')
			ON CONFLICT(id) DO UPDATE SET consented_at = excluded.consented_at`,
			ev.Stream, ev.Station, fmtTime(ev.At))
		if err != nil {
			return fmt.Errorf("write consent %s: %w", ev.Stream, err)
		}
	case ev.Kind == domain.KindDutySignedIn || ev.Kind == domain.KindDutySignedOut:
		var p domain.DutySign
		if !s.decode(ev, &p) {
			return nil
		}
		day := ev.At.In(s.Location()).Format("2006-01-02")
		_, err := q.ExecContext(ctx, `INSERT OR IGNORE INTO duty_signs(event_id, station, rep_id,
			day, signed_in, at) VALUES (?, ?, ?, ?, ?, ?)`,
			ev.ID, ev.Station, p.RepID, day, ev.Kind == domain.KindDutySignedIn, fmtTime(ev.At))
		if err != nil {
			return fmt.Errorf("write duty sign %s: %w", ev.ID, err)
		}
	case ev.Kind == domain.KindActivitySignedUp || ev.Kind == domain.KindActivityCheckedIn:
		var p domain.ActivityCheckIn
		if !s.decode(ev, &p) {
			return nil
		}
		// the earliest sign-up or check-in of a person counts, whatever order they arrive
		// in; repeats are kept only as events
		_, err := q.ExecContext(ctx, `INSERT INTO activity_marks(activity_id, person_id,
			checked_in, event_id, at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(activity_id, checked_in, person_id) DO UPDATE
			SET event_id = excluded.event_id, at = excluded.at
			WHERE excluded.at < at OR (excluded.at = at AND excluded.event_id < event_id)`,
			p.ActivityID, p.PersonID, ev.Kind == domain.KindActivityCheckedIn, ev.ID, fmtTime(ev.At))
		if err != nil {
			return fmt.Errorf("write activity mark %s: %w", ev.ID, err)
		}
		if ev.Kind == domain.KindActivitySignedUp {
			return s.projectSignUpFact(ctx, q, ev, p)
		}
	case ev.Kind == domain.KindActivitySignUpCancelled:
		var p domain.ActivityCheckIn
		if !s.decode(ev, &p) {
			return nil
		}
		return s.projectSignUpFact(ctx, q, ev, p)
	case ev.Kind == domain.KindActivitySignUpStatus:
		var st domain.SignUpStatus
		if !s.decode(ev, &st) || ev.HubSeq == 0 {
			return nil
		}
		_, err := q.ExecContext(ctx, `INSERT INTO signups(person_id, activity_id, status, position,
			promoted, reason, answers, status_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(person_id, activity_id) DO UPDATE SET status = excluded.status,
			position = excluded.position, promoted = excluded.promoted, reason = excluded.reason,
			answers = excluded.answers, status_seq = excluded.status_seq
			WHERE excluded.status_seq > status_seq`,
			st.PersonID, st.ActivityID, st.Status, st.Position, st.Promoted, st.Reason, st.Answers, ev.HubSeq)
		if err != nil {
			return fmt.Errorf("write sign-up status %s: %w", ev.ID, err)
		}
	}
	return nil
}

// projectSignUpFact keeps a person's latest sign-up or cancellation of an activity, by its
// time and then id, whatever order the facts arrive in.
func (s *Store) projectSignUpFact(ctx context.Context, q queryer, ev domain.Event, p domain.ActivityCheckIn) error {
	_, err := q.ExecContext(ctx, `INSERT INTO signups(person_id, activity_id, fact_id, fact_at, cancelled)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(person_id, activity_id) DO UPDATE SET fact_id = excluded.fact_id,
		fact_at = excluded.fact_at, cancelled = excluded.cancelled
		WHERE excluded.fact_at > fact_at OR (excluded.fact_at = fact_at AND excluded.fact_id > fact_id)`,
		p.PersonID, p.ActivityID, ev.ID, fmtTime(ev.At), ev.Kind == domain.KindActivitySignUpCancelled)
	if err != nil {
		return fmt.Errorf("write sign-up %s: %w", ev.ID, err)
	}
	return nil
}

func (s *Store) decode(ev domain.Event, v any) bool {
	if err := json.Unmarshal(ev.Data, v); err != nil {
		s.log.Warn("skip malformed payload", "event", ev.ID, "kind", ev.Kind, "err", err)
		return false
	}
	return true
}

// Location is the stations' local zone, which decides what "today" is for duty, numbers and
// the board.
func (s *Store) Location() *time.Location {
	if s.rules.Location != nil {
		return s.rules.Location
	}
	return domain.DefaultRules().Location
}
