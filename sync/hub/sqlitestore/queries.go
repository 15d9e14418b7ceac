package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Cases returns case projections, newest submission first.
func (s *Store) Cases(ctx context.Context, f store.CaseFilter) ([]domain.Case, error) {
	var where []string
	var args []any
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, string(f.State))
	}
	if f.Station != "" {
		where, args = append(where, "station = ?"), append(args, f.Station)
	}
	q := `SELECT data FROM cases`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY submitted_at DESC, id"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	var out []domain.Case
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		var c domain.Case
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return nil, fmt.Errorf("list cases: decode: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return out, nil
}

// Case returns one case by id, or store.ErrNotFound.
func (s *Store) Case(ctx context.Context, id string) (domain.Case, error) {
	c, err := loadCase(ctx, s.db, id)
	if err != nil {
		return c, err
	}
	if c.State == domain.StateNew {
		return c, fmt.Errorf("case %s: %w", id, store.ErrNotFound)
	}
	return c, nil
}

// CaseByNumber returns the case with the human number, or store.ErrNotFound. Numbers are unique by
// construction (station, device, day, counter); should two ever collide the first submitted
// wins.
func (s *Store) CaseByNumber(ctx context.Context, number string) (domain.Case, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = ?
		ORDER BY submitted_at, id LIMIT 1`, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Case{}, fmt.Errorf("case %s: %w", number, store.ErrNotFound)
	}
	if err != nil {
		return domain.Case{}, fmt.Errorf("case %s: %w", number, err)
	}
	return s.Case(ctx, id)
}
