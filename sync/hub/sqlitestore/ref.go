package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

func isRef(k domain.Kind) bool { return strings.HasPrefix(string(k), "ref.") }

// projectRef keeps the newest ref.* event of each (kind, stream).
func projectRef(ctx context.Context, tx *sql.Tx, ev domain.Event) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO refdata(kind, key, station, data, last_seq)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, key) DO UPDATE SET station = excluded.station,
		data = excluded.data, last_seq = excluded.last_seq`,
		string(ev.Kind), ev.Stream, ev.Station, string(ev.Data), ev.HubSeq)
	if err != nil {
		return fmt.Errorf("project %s %s: %w", ev.Kind, ev.Stream, err)
	}
	return nil
}

// Station returns the station with the code from the reference data, or store.ErrUnknownStation.
func (s *Store) Station(ctx context.Context, code string) (domain.Station, error) {
	var st domain.Station
	err := s.refByCode(ctx, domain.KindStationUpserted, code, &st)
	if errors.Is(err, store.ErrNotFound) {
		return st, fmt.Errorf("station %s: %w", code, store.ErrUnknownStation)
	}
	return st, err
}

// Department returns the department with the code, or store.ErrNotFound.
func (s *Store) Department(ctx context.Context, code string) (domain.Department, error) {
	var d domain.Department
	return d, s.refByCode(ctx, domain.KindDepartmentUpserted, code, &d)
}

// Category returns the case category with the code, or store.ErrNotFound.
func (s *Store) Category(ctx context.Context, code string) (domain.Category, error) {
	var c domain.Category
	return c, s.refByCode(ctx, domain.KindCategoryUpserted, code, &c)
}

// refByCode decodes the newest reference row of kind whose payload has the code.
func (s *Store) refByCode(ctx context.Context, kind domain.Kind, code string, into any) error {
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM refdata WHERE kind = ?
		AND json_extract(data, '$.code') = ? ORDER BY last_seq DESC LIMIT 1`, string(kind), code).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %s: %w", kind, code, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", kind, code, err)
	}
	if err := json.Unmarshal([]byte(data), into); err != nil {
		return fmt.Errorf("%s %s: %w", kind, code, err)
	}
	return nil
}

// RefData returns the current payloads of one reference kind (e.g. ref.category), for a
// station's scope (its own and global rows) or for every station when station is "".
func (s *Store) RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error) {
	q := `SELECT data FROM refdata WHERE kind = ? ORDER BY last_seq`
	args := []any{string(kind)}
	if station != "" {
		q = `SELECT data FROM refdata WHERE kind = ? AND station IN (?, '') ORDER BY last_seq`
		args = append(args, station)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", kind, err)
	}
	defer rows.Close()
	var out []json.RawMessage
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("read %s: %w", kind, err)
		}
		out = append(out, json.RawMessage(d))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", kind, err)
	}
	return out, nil
}

// UpsertStation records a station (a ref.station event) so devices can be enrolled for it.
func (s *Store) UpsertStation(ctx context.Context, st domain.Station, actor domain.Actor) (domain.Event, error) {
	if st.Code == "" || st.Name == "" {
		return domain.Event{}, fmt.Errorf("upsert station: %w: code and name are required", ErrInvalidFact)
	}
	data, err := json.Marshal(st)
	if err != nil {
		return domain.Event{}, fmt.Errorf("upsert station: %w", err)
	}
	if ps := domain.CheckRef(domain.KindStationUpserted, data); len(ps) > 0 {
		return domain.Event{}, fmt.Errorf("upsert station: %w: %s %s", ErrInvalidFact, ps[0].Field, ps[0].Code)
	}
	ev := domain.Event{Station: st.Code, Stream: "station:" + st.Code, Kind: domain.KindStationUpserted,
		At: s.now().UTC(), Actor: actor, Data: data}
	var out domain.Event
	err = s.write(ctx, func(a *appender) error {
		var err error
		out, err = s.appendProjected(a, ev, true)
		return err
	})
	if err != nil {
		return domain.Event{}, fmt.Errorf("upsert station %s: %w", st.Code, err)
	}
	return out, nil
}

// Import appends events originated by the hub (reference data, demo history) once per name:
// a second Import with the same name appends nothing and reports false. The events are
// appended in the order given, numbered in the hub's own device sequence, and projected.
// Their case events are folded but not checked against the lifecycle: an import is history
// that already happened.
func (s *Store) Import(ctx context.Context, name string, evs []domain.Event) (bool, error) {
	done := false
	err := s.write(ctx, func(a *appender) error {
		var n int
		err := a.sql().QueryRowContext(ctx, `SELECT count(*) FROM imports WHERE name = ?`, name).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		for _, ev := range evs {
			if _, err := s.appendProjected(a, ev, true); err != nil {
				return err
			}
		}
		_, err = a.sql().ExecContext(ctx, `INSERT INTO imports(name, at, events) VALUES (?, ?, ?)`,
			name, s.now().UTC().Format(time.RFC3339Nano), len(evs))
		done = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("import %s: %w", name, err)
	}
	return done, nil
}
