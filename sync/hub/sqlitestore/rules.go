package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"liaison/sync/domain"
)

// The lifecycle rules the store folds and dates cases with are its base rules (Options.Rules)
// with the reference data applied: the calendar years an admin edited (ref.calendar) and the
// categories' own deadlines (ref.category). They are read from the refdata projection, so a
// change made by another process on the same data directory (the command line) counts too.

// cachedRules are rules computed from the refdata as of version.
type cachedRules struct {
	version int64
	rules   domain.Rules
}

// rulesKinds are the reference kinds the rules depend on.
func rulesKind(k domain.Kind) bool {
	return k == domain.KindCalendarUpserted || k == domain.KindCategoryUpserted
}

// Rules returns the lifecycle rules as of now: the base rules with the calendar and category
// deadlines of the reference data.
func (s *Store) Rules(ctx context.Context) (domain.Rules, error) {
	return s.loadRules(ctx, s.db)
}

// loadRules reads the rules through q (the store or a write transaction), reusing the last
// computation while the reference rows they depend on have not changed.
func (s *Store) loadRules(ctx context.Context, q queryer) (domain.Rules, error) {
	var version int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(last_seq), 0) FROM refdata WHERE kind IN (?, ?)`,
		string(domain.KindCalendarUpserted), string(domain.KindCategoryUpserted)).Scan(&version)
	if err != nil {
		return s.rules, fmt.Errorf("read rules version: %w", err)
	}
	if c := s.rulesCache.Load(); c != nil && c.version == version {
		return c.rules, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT kind, data FROM refdata WHERE kind IN (?, ?) ORDER BY last_seq`,
		string(domain.KindCalendarUpserted), string(domain.KindCategoryUpserted))
	if err != nil {
		return s.rules, fmt.Errorf("read rules: %w", err)
	}
	defer rows.Close()
	var years []domain.CalendarYear
	var cats []domain.Category
	for rows.Next() {
		var kind, data string
		if err := rows.Scan(&kind, &data); err != nil {
			return s.rules, fmt.Errorf("read rules: %w", err)
		}
		var err error
		if domain.Kind(kind) == domain.KindCalendarUpserted {
			var y domain.CalendarYear
			if err = json.Unmarshal([]byte(data), &y); err == nil {
				years = append(years, y)
			}
		} else {
			var c domain.Category
			if err = json.Unmarshal([]byte(data), &c); err == nil {
				cats = append(cats, c)
			}
		}
		if err != nil {
			s.log.Warn("skip malformed reference item for the rules", "kind", kind, "err", err)
		}
	}
	if err := rows.Err(); err != nil {
		return s.rules, fmt.Errorf("read rules: %w", err)
	}
	r := s.rules.WithRefs(years, cats)
	s.rulesCache.Store(&cachedRules{version: version, rules: r})
	return r, nil
}

// txRules are the rules as the transaction sees them, read once per transaction and again
// after it projected a calendar or category.
func (s *Store) txRules(a *appender) (domain.Rules, error) {
	if !a.rulesRead {
		r, err := s.loadRules(a.ctx, a.sql())
		if err != nil {
			return r, err
		}
		a.rules, a.rulesRead = r, true
	}
	return a.rules, nil
}

// metaDeskRules remembers which rules the desk's deadlines were computed with.
const metaDeskRules = "desk_rules"

// redateDesk recomputes the desk deadlines that depend on the rules (the accept and assign
// deadlines of cases waiting for staff; a due date, once set, stays) when the rules differ
// from those the desk was computed with. It runs in the write transaction, after the
// appender's flush, so the cases table is current.
func (s *Store) redateDesk(a *appender) error {
	rules, err := s.txRules(a)
	if err != nil {
		return err
	}
	tx := a.sql()
	var have string
	if err := tx.QueryRowContext(a.ctx, `SELECT COALESCE((SELECT value FROM meta WHERE key = ?), '')`,
		metaDeskRules).Scan(&have); err != nil {
		return fmt.Errorf("read desk rules: %w", err)
	}
	want := rules.Key()
	if have == want {
		return nil
	}
	rows, err := tx.QueryContext(a.ctx, `SELECT c.id, c.data FROM cases c JOIN desk d ON d.id = c.id
		WHERE d.state IN ('submitted', 'accepted', 'returned')`)
	if err != nil {
		return fmt.Errorf("redate desk: %w", err)
	}
	type dated struct {
		id       string
		deadline int64
	}
	var out []dated
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			rows.Close()
			return fmt.Errorf("redate desk: %w", err)
		}
		c, err := decodeCase(id, data)
		if err != nil {
			rows.Close()
			return err
		}
		out = append(out, dated{id, domain.Deadline(c, rules).UnixNano()})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("redate desk: %w", err)
	}
	for _, d := range out {
		if _, err := tx.ExecContext(a.ctx, `UPDATE desk SET deadline = ? WHERE id = ?`, d.deadline, d.id); err != nil {
			return fmt.Errorf("redate desk: %w", err)
		}
	}
	if err := redateAcceptBy(a, rules); err != nil {
		return err
	}
	if _, err := tx.ExecContext(a.ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaDeskRules, want); err != nil {
		return fmt.Errorf("redate desk: %w", err)
	}
	if len(out) > 0 {
		s.log.Info("desk deadlines recomputed for new rules", "cases", len(out))
	}
	return nil
}

// redateAcceptBy recomputes every case's accept deadline (the board's on-time figure counts
// against the rules in force, as domain.Tally does) from the desk's own columns.
func redateAcceptBy(a *appender, rules domain.Rules) error {
	tx := a.sql()
	rows, err := tx.QueryContext(a.ctx, `SELECT id, submitted_at, category FROM desk`)
	if err != nil {
		return fmt.Errorf("redate accept deadlines: %w", err)
	}
	type dated struct {
		id string
		by int64
	}
	var out []dated
	for rows.Next() {
		var id, category string
		var submitted int64
		if err := rows.Scan(&id, &submitted, &category); err != nil {
			rows.Close()
			return fmt.Errorf("redate accept deadlines: %w", err)
		}
		out = append(out, dated{id, rules.AcceptDeadline(time.Unix(0, submitted).UTC(), category).UnixNano()})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("redate accept deadlines: %w", err)
	}
	st, err := tx.PrepareContext(a.ctx, `UPDATE desk SET accept_by = ? WHERE id = ? AND accept_by IS DISTINCT FROM ?`)
	if err != nil {
		return fmt.Errorf("redate accept deadlines: %w", err)
	}
	defer st.Close()
	for _, d := range out {
		if _, err := st.ExecContext(a.ctx, d.by, d.id, d.by); err != nil {
			return fmt.Errorf("redate accept deadlines: %w", err)
		}
	}
	return nil
}
