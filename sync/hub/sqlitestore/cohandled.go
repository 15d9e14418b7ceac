package sqlitestore

import (
	"context"
	"errors"
	"fmt"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// CoHandledCases returns the cases a representative co-handles: those the hub made them
// co-handler of (case.cohandler) when their claim lost to an earlier one. The desk keeps only a
// case's lead, so they are found in the log (by kind, indexed) and read from the cases.
func (s *Store) CoHandledCases(ctx context.Context, repID string) ([]domain.Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT stream FROM log
		WHERE kind = ? AND json_extract(data, '$.rep_id') = ?`, string(domain.KindCaseCoHandler), repID)
	if err != nil {
		return nil, fmt.Errorf("co-handled cases of %s: %w", repID, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("co-handled cases of %s: %w", repID, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("co-handled cases of %s: %w", repID, err)
	}
	out := make([]domain.Case, 0, len(ids))
	for _, id := range ids {
		c, err := s.Case(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
