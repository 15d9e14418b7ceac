package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// AssignedCases returns the ids of the cases that have a case.assigned event whose time lies
// in [from, to), in the order of their first such event. Whether the assignment took effect
// is for the caller to fold; the log_kind_at index keeps the look-up to the assignments near the
// period.
func (s *Store) AssignedCases(ctx context.Context, from, to time.Time) ([]string, error) {
	// Times are stored as UTC RFC 3339 with trimmed fractions, which sort as text except within
	// one second ("…00.5Z" < "…00Z"): a second of margin each side, then the exact test.
	lo := from.UTC().Add(-time.Second).Format(time.RFC3339Nano)
	hi := to.UTC().Add(time.Second).Format(time.RFC3339Nano)
	rows, err := s.db.QueryContext(ctx, `SELECT stream, at FROM log WHERE kind = ? AND at >= ? AND at < ?
		ORDER BY seq`, string(domain.KindCaseAssigned), lo, hi)
	if err != nil {
		return nil, fmt.Errorf("read assignments: %w", err)
	}
	defer rows.Close()
	var ids []string
	seen := map[string]bool{}
	for rows.Next() {
		var stream, at string
		if err := rows.Scan(&stream, &at); err != nil {
			return nil, fmt.Errorf("read assignments: %w", err)
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil || t.Before(from) || !t.Before(to) || seen[stream] {
			continue
		}
		seen[stream] = true
		ids = append(ids, stream)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read assignments: %w", err)
	}
	return ids, nil
}

// SaveReview appends a version of the 评议 session id to the log (store.KindReviewSaved,
// scope store.AuditScope). version is the version the writer saw: 0 to create the session.
// Any other current version is store.ErrReviewStale.
func (s *Store) SaveReview(ctx context.Context, id string, version int, data json.RawMessage, actor domain.Actor) (store.ReviewRecord, error) {
	var rec store.ReviewRecord
	err := s.write(ctx, func(a *appender) error {
		var n int
		if err := a.sql().QueryRowContext(ctx, `SELECT count(*) FROM log WHERE stream = ? AND kind = ?`,
			store.ReviewStream(id), string(store.KindReviewSaved)).Scan(&n); err != nil {
			return fmt.Errorf("read review %s: %w", id, err)
		}
		if n != version {
			return store.ErrReviewStale
		}
		ev, err := s.appendProjected(a, domain.Event{Station: store.AuditScope, Stream: store.ReviewStream(id),
			Kind: store.KindReviewSaved, At: s.now().UTC(), Actor: actor, Data: data}, true)
		if err != nil {
			return err
		}
		rec = store.ReviewRecord{ID: id, Version: n + 1, Data: ev.Data, At: ev.At, Actor: ev.Actor}
		return nil
	})
	if err != nil {
		return store.ReviewRecord{}, fmt.Errorf("save review %s: %w", id, err)
	}
	return rec, nil
}

// Reviews returns every 评议 session as last saved, the most recently saved first.
func (s *Store) Reviews(ctx context.Context) ([]store.ReviewRecord, error) {
	evs, err := queryEvents(ctx, s.db, `SELECT `+eventCols+` FROM log WHERE station = ? AND kind = ? ORDER BY seq`,
		store.AuditScope, string(store.KindReviewSaved))
	if err != nil {
		return nil, fmt.Errorf("read reviews: %w", err)
	}
	latest := map[string]int{}
	var out []store.ReviewRecord
	for _, ev := range evs {
		id := strings.TrimPrefix(ev.Stream, store.ReviewStream(""))
		rec := store.ReviewRecord{ID: id, Data: ev.Data, At: ev.At, Actor: ev.Actor}
		if i, ok := latest[id]; ok {
			rec.Version = out[i].Version + 1
			out[i] = rec
			continue
		}
		rec.Version = 1
		latest[id] = len(out)
		out = append(out, rec)
	}
	slices.SortStableFunc(out, func(a, b store.ReviewRecord) int { return b.At.Compare(a.At) })
	return out, nil
}
