package sqlitestore

import (
	"context"
	"fmt"

	"liaison/sync/domain"
)

// RebuildProjections recomputes the case and reference projections from the log, in one
// transaction: what an operator runs after a projection was damaged or its shape changed.
// The log itself is not touched.
func (s *Store) RebuildProjections(ctx context.Context) (events int, err error) {
	err = s.write(ctx, func(a *appender) error {
		a.rulesRead, a.rulesChanged = false, true // the desk is dated again with the rebuilt refdata
		for _, q := range append([]string{`DELETE FROM cases`, `DELETE FROM refdata`,
			`DELETE FROM meta WHERE key = '` + metaDeskRules + `'`}, deskClear...) {
			if _, err := a.sql().ExecContext(ctx, q); err != nil {
				return fmt.Errorf("clear projections: %w", err)
			}
		}
		rows, err := a.sql().QueryContext(ctx, `SELECT `+eventCols+` FROM log ORDER BY seq`)
		if err != nil {
			return fmt.Errorf("read log: %w", err)
		}
		// Read the log first: the projections are written through the same transaction.
		var evs []domain.Event
		for rows.Next() {
			ev, err := scanEvent(rows)
			if err != nil {
				rows.Close()
				return err
			}
			evs = append(evs, ev)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read log: %w", err)
		}
		for _, ev := range evs {
			if err := s.project(a, ev); err != nil {
				return err
			}
		}
		events = len(evs)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rebuild projections: %w", err)
	}
	s.log.Info("projections rebuilt", "events", events)
	return events, nil
}
