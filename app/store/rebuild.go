package store

import (
	"context"
	"database/sql"
	"fmt"

	"liaison/sync/domain"
)

// projectionTables are emptied and refilled by a rebuild; events and meta are the truth and
// are kept.
func projectionTables() []string {
	return []string{"cases", "residents", "ref", "duty_signs", "activity_marks", "signups"}
}

// RebuildProjections recreates every projection from the events, in one transaction. The
// result equals what Record and ApplyRemote maintained incrementally (a test holds it to
// that); use it after a schema change of a projection or to repair one.
func (s *Store) RebuildProjections(ctx context.Context) error {
	return s.write(ctx, "rebuild projections", func(tx *sql.Tx) error {
		return s.rebuild(ctx, tx)
	})
}

// rebuild walks the events stream by stream, each in fold order, so a case folds from
// exactly the sequence ApplyRemote would use and a ref item's latest payload wins.
func (s *Store) rebuild(ctx context.Context, tx *sql.Tx) error {
	for _, t := range projectionTables() {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("rebuild: clear %s: %w", t, err)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY stream, `+foldOrder)
	if err != nil {
		return fmt.Errorf("rebuild: read events: %w", err)
	}
	defer rows.Close()
	// preparing once matters: the driver would otherwise parse the upsert for every case
	stmt, err := tx.PrepareContext(ctx, upsertCase)
	if err != nil {
		return fmt.Errorf("rebuild: prepare: %w", err)
	}
	defer stmt.Close()
	var (
		stream string
		batch  []domain.Event
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		c, _ := domain.Fold(batch, s.Rules())
		batch = batch[:0]
		return saveCaseWith(ctx, stmt.ExecContext, c)
	}
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return err
		}
		if ev.Stream != stream {
			if err := flush(); err != nil {
				return err
			}
			stream = ev.Stream
		}
		if ev.Kind.IsCase() {
			batch = append(batch, ev)
			continue
		}
		if err := s.project(ctx, tx, ev); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rebuild: read events: %w", err)
	}
	return flush()
}
