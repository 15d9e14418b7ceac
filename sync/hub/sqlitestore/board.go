package sqlitestore

import (
	"context"
	"fmt"
	"time"

	"liaison/sync/domain"
)

// sqlBoard adds up the desk per station the way domain.Tally.Add counts a case; the
// parameters are now (the accept deadlines not yet passed) and now again (overdue). Every
// sum is a CASE, so SQLite and PostgreSQL read it alike.
const sqlBoard = `SELECT station, count(*),
	SUM(CASE WHEN accepted_at IS NOT NULL AND accepted_at <= accept_by THEN 1 ELSE 0 END),
	SUM(CASE WHEN accepted_at IS NULL AND state NOT IN ('withdrawn', 'merged') AND accept_by >= ? THEN 1 ELSE 0 END),
	SUM(CASE WHEN accepted_at IS NULL AND state IN ('withdrawn', 'merged') THEN 1 ELSE 0 END),
	SUM(CASE WHEN state = 'withdrawn' THEN 1 ELSE 0 END),
	SUM(CASE WHEN state = 'merged' THEN 1 ELSE 0 END),
	SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END),
	SUM(CASE WHEN closed_unrated = 1 THEN 1 ELSE 0 END),
	SUM(CASE WHEN rating = 'satisfied' THEN 1 ELSE 0 END),
	SUM(CASE WHEN rating = 'basically' THEN 1 ELSE 0 END),
	SUM(CASE WHEN rating = 'unsatisfied' THEN 1 ELSE 0 END),
	SUM(CASE WHEN state IN ` + deskOpen + ` THEN 1 ELSE 0 END),
	SUM(CASE WHEN state IN ` + deskWork + ` AND deadline < ? THEN 1 ELSE 0 END)
	FROM desk GROUP BY station`

// deskOpen are the states of an open case (domain.Case.Open).
const deskOpen = `('submitted', 'accepted', 'assigned', 'in_progress', 'returned', 'replied', 'reopened')`

// BoardCounts returns each station's case figures as of now; see store.Casework.
func (s *Store) BoardCounts(ctx context.Context, now time.Time) (map[string]domain.Tally, error) {
	n := now.UnixNano()
	rows, err := s.db.QueryContext(ctx, sqlBoard, n, n)
	if err != nil {
		return nil, fmt.Errorf("read board: %w", err)
	}
	defer rows.Close()
	out := map[string]domain.Tally{}
	for rows.Next() {
		var st string
		var r domain.Rates
		if err := rows.Scan(&st, &r.Submitted, &r.AcceptedOnTime, &r.AwaitingAccept, &r.EndedUnaccepted,
			&r.Withdrawn, &r.Merged, &r.Closed, &r.ClosedUnrated, &r.Satisfied, &r.Basically,
			&r.Unsatisfied, &r.Open, &r.Overdue); err != nil {
			return nil, fmt.Errorf("read board: %w", err)
		}
		r.Rated = r.Satisfied + r.Basically + r.Unsatisfied
		out[st] = domain.TallyOf(r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read board: %w", err)
	}
	return out, nil
}
