package store

import (
	"context"

	"liaison/sync/domain"
)

// The lifecycle rules are the store's base rules (WithRules) with the reference data the hub
// sent applied: the calendar years an admin edited (ref.calendar) and the categories' own
// deadlines (ref.category), exactly as the hub computes them, so the wall's overdue counts and
// a case's due dates agree with the console.

type cachedRules struct {
	gen   int64
	rules domain.Rules
}

// Rules returns the lifecycle rules the store validates, folds and dates cases with.
func (s *Store) Rules() domain.Rules {
	gen := s.rulesGen.Load()
	if c := s.rulesCache.Load(); c != nil && c.gen == gen {
		return c.rules
	}
	ctx := context.Background()
	years, err := refsOf[domain.CalendarYear](ctx, s, domain.KindCalendarUpserted)
	if err != nil {
		s.log.Warn("read the calendar for the rules", "err", err)
		return s.rules
	}
	cats, err := refsOf[domain.Category](ctx, s, domain.KindCategoryUpserted)
	if err != nil {
		s.log.Warn("read the categories for the rules", "err", err)
		return s.rules
	}
	r := s.rules.WithRefs(years, cats)
	s.rulesCache.Store(&cachedRules{gen: gen, rules: r})
	return r
}
