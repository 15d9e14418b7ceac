package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/record"
)

// RecordRules returns the scoring rules in force and the saved versions, newest first, at
// most limit of them; with none saved the rules are record.DefaultRules and the list empty.
func (s *Store) RecordRules(ctx context.Context, limit int) (record.Rules, []record.Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, rules, login, name, saved_at FROM record_rules
		ORDER BY version DESC LIMIT ?`, max(1, limit))
	if err != nil {
		return record.Rules{}, nil, fmt.Errorf("record rules: %w", err)
	}
	defer rows.Close()
	out := []record.Change{} // an empty history is sent as []

	for rows.Next() {
		var ch record.Change
		var data, saved string
		if err := rows.Scan(&ch.Version, &data, &ch.Login, &ch.Name, &saved); err != nil {
			return record.Rules{}, nil, fmt.Errorf("record rules: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &ch.Rules); err != nil {
			return record.Rules{}, nil, fmt.Errorf("record rules version %d: %w", ch.Version, err)
		}
		if ch.Saved, err = time.Parse(time.RFC3339Nano, saved); err != nil {
			return record.Rules{}, nil, fmt.Errorf("record rules version %d: %w", ch.Version, err)
		}
		out = append(out, ch)
	}
	if err := rows.Err(); err != nil {
		return record.Rules{}, nil, fmt.Errorf("record rules: %w", err)
	}
	if len(out) == 0 {
		return record.DefaultRules(), out, nil
	}
	return out[0].Rules, out, nil
}

// SaveRecordRules records a new version of the scoring rules, by the account login (named
// name), and returns its number. The caller checks the rules (record.Rules.Check).
func (s *Store) SaveRecordRules(ctx context.Context, r record.Rules, login, name string) (int64, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return 0, fmt.Errorf("encode record rules: %w", err)
	}
	var version int64
	err = s.userWrite(ctx, "save record rules", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO record_rules(rules, login, name, saved_at) VALUES (?, ?, ?, ?)
			RETURNING version`, string(data), login, name, s.now().UTC().Format(time.RFC3339Nano)).Scan(&version)
	})
	return version, err
}

// recordKinds are the kinds of the acts that score: the case kinds find the cases whose whole
// stream is read.
var (
	recordOwnKinds  = []domain.Kind{domain.KindDutySignedIn, domain.KindReceptionLogged, domain.KindActivityCheckedIn}
	recordCaseKinds = []domain.Kind{domain.KindCaseAccepted, domain.KindCaseCoHandler, domain.KindCaseProgress,
		domain.KindCaseRated, domain.KindCaseClosed}
)

// RecordEvents returns, in log order, the events that may hold representatives' acts between
// from and to (record.Input): the duty sign-ins, reception records and activity check-ins of
// that time, and every event of each case with a claim, a co-handler, a progress note, a
// rating or a close in it. Events a second either side of the bounds may be included;
// record.Score keeps the period's acts only.
func (s *Store) RecordEvents(ctx context.Context, from, to time.Time) ([]domain.Event, error) {
	// at is RFC 3339 text of UTC times with trimmed fractions: compared as text it is exact
	// except within one second, so the bounds are widened by one.
	lo := from.Add(-time.Second).UTC().Format(time.RFC3339Nano)
	hi := to.Add(time.Second).UTC().Format(time.RFC3339Nano)
	own := kindList(recordOwnKinds)
	cases := kindList(recordCaseKinds)
	args := []any{}
	for _, k := range recordOwnKinds {
		args = append(args, string(k))
	}
	args = append(args, lo, hi)
	for _, k := range recordCaseKinds {
		args = append(args, string(k))
	}
	args = append(args, lo, hi)
	evs, err := queryEvents(ctx, s.db, `SELECT `+eventCols+` FROM log WHERE kind IN (`+own+`) AND at >= ? AND at < ?
		UNION ALL SELECT `+eventCols+` FROM log WHERE stream IN (
			SELECT stream FROM log WHERE kind IN (`+cases+`) AND at >= ? AND at < ?)
		ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("record events: %w", err)
	}
	return evs, nil
}

func kindList(kinds []domain.Kind) string {
	out := ""
	for i := range kinds {
		if i > 0 {
			out += ", "
		}
		out += "?"
	}
	return out
}
