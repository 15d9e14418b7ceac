package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"liaison/sync/domain"
)

// The wall's board reads aggregates instead of every case: a trigger (migration 002) marks a
// case dirty in the transaction that changes its projection, and BoardFigures first folds
// the dirty cases into per-station counters, then reads the counters plus two small index
// ranges for the figures that depend on the current time. Each case's share is computed in
// Go with the domain's own functions (domain.Deadline, Rules.AcceptDeadline …), so the
// figures are exactly those of domain.ComputeRates.

// metaBoardRules remembers which lifecycle rules the aggregates were computed with; other
// rules (a district tuned a deadline) make BoardFigures recompute them from cases.
const metaBoardRules = "board_rules"

// boardBatch is how many dirty cases are read at a time while catching up.
const boardBatch = 1000

// Counter keys. Keys with a prefix carry a category code or a local day (YYYY-MM-DD).
const (
	keyCases           = "cases"
	keyAccepted        = "accepted"
	keyAssigned        = "assigned"
	keyReplied         = "replied"
	keyClosed          = "closed"
	keyOnTime          = "accepted_on_time"
	keyEndedUnaccepted = "ended_unaccepted"
	keyWithdrawn       = "withdrawn"
	keyMerged          = "merged"
	keyClosedUnrated   = "closed_unrated"
	keySatisfied       = "satisfied"
	keyBasically       = "basically"
	keyUnsatisfied     = "unsatisfied"
	keyOpen            = "open"
	keyDeadline        = "deadline" // cases with a deadline that can make them overdue
	prefixCategory     = "cat:"
	prefixSubmitted    = "sub:"
	prefixClosedDay    = "closed:"
)

// BoardFunnel counts cases that reached each step of the lifecycle.
type BoardFunnel struct {
	Submitted, Accepted, Assigned, Replied, Closed int
}

// DayCount is one local day of submissions and closures.
type DayCount struct {
	Submitted, Closed int
}

// BoardFigures are a station's case figures as of one instant.
type BoardFigures struct {
	// Rates are what domain.ComputeRates returns over the same cases at the same instant.
	Rates  domain.Rates
	Funnel BoardFunnel
	// Categories counts cases per category code.
	Categories map[string]int
	// Days counts submissions (by submission day) and closures (by closing day of cases now
	// closed) per local day, YYYY-MM-DD in the rules' zone; days with neither are absent.
	Days map[string]DayCount
	// Latest are the most recently submitted cases that the ticker may show (not withdrawn
	// or merged), newest first; Replies the most recently replied ones.
	Latest, Replies []domain.Case
}

// caseShare is what one case adds to the aggregates; "" instants are stored as NULL.
type caseShare struct {
	station   string
	keys      []string
	acceptBy  string
	deadline  string
	tickCase  string
	tickReply string
}

// shareOf computes a case's share with the domain's rules, mirroring domain.Tally.Add.
func shareOf(c domain.Case, rules domain.Rules, loc *time.Location) caseShare {
	sh := caseShare{station: c.Station}
	add := func(k string) { sh.keys = append(sh.keys, k) }
	add(keyCases)
	accepted := !c.AcceptedAt.IsZero()
	ended := c.State == domain.StateWithdrawn || c.State == domain.StateMerged
	if accepted {
		add(keyAccepted)
		if !c.AcceptedAt.After(rules.AcceptDeadline(c.SubmittedAt, c.Category)) {
			add(keyOnTime)
		}
	} else if ended {
		add(keyEndedUnaccepted)
	} else {
		// awaiting acceptance until this instant; the reader counts those not yet past it
		sh.acceptBy = fmtTime(rules.AcceptDeadline(c.SubmittedAt, c.Category))
	}
	if !c.AssignedAt.IsZero() {
		add(keyAssigned)
	}
	if !c.RepliedAt.IsZero() {
		add(keyReplied)
	}
	switch c.State {
	case domain.StateWithdrawn:
		add(keyWithdrawn)
	case domain.StateMerged:
		add(keyMerged)
	case domain.StateClosed:
		add(keyClosed)
		if c.ClosedUnrated {
			add(keyClosedUnrated)
		}
		if !c.ClosedAt.IsZero() {
			add(prefixClosedDay + c.ClosedAt.In(loc).Format(time.DateOnly))
		}
	}
	switch c.Rating {
	case domain.RatingSatisfied:
		add(keySatisfied)
	case domain.RatingBasically:
		add(keyBasically)
	case domain.RatingUnsatisfied:
		add(keyUnsatisfied)
	}
	if c.Open() {
		add(keyOpen)
	}
	// domain.Overdue: a replied case is never overdue, finished cases have no deadline
	if d := domain.Deadline(c, rules); c.State != domain.StateReplied && !d.IsZero() {
		add(keyDeadline)
		sh.deadline = fmtTime(d)
	}
	add(prefixCategory + c.Category)
	add(prefixSubmitted + c.SubmittedAt.In(loc).Format(time.DateOnly))
	if !ended {
		sh.tickCase = fmtTime(c.SubmittedAt)
		if !c.RepliedAt.IsZero() {
			sh.tickReply = fmtTime(c.RepliedAt)
		}
	}
	return sh
}

func boardRulesKey(r domain.Rules, loc *time.Location) string {
	name, off := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).In(loc).Zone()
	return fmt.Sprintf("%s days=%s/%d", r.Key(), name, off)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// BoardFigures brings the aggregates up to date with the cases and reads a station's figures
// ("" for every station) as of now, with up to latest ticker cases and replies. It costs a
// few index lookups plus the work of folding the cases changed since the previous call.
func (s *Store) BoardFigures(ctx context.Context, station string, now time.Time, latest int) (BoardFigures, error) {
	var f BoardFigures
	err := s.write(ctx, "board figures", func(tx *sql.Tx) error {
		if err := s.boardCatchUp(ctx, tx); err != nil {
			return err
		}
		var err error
		if f, err = readBoardCounts(ctx, tx, station); err != nil {
			return err
		}
		if err := readBoardClock(ctx, tx, station, now, &f.Rates); err != nil {
			return err
		}
		if f.Latest, err = boardTicker(ctx, tx, station, "tick_case", latest); err != nil {
			return err
		}
		f.Replies, err = boardTicker(ctx, tx, station, "tick_reply", latest)
		return err
	})
	if err != nil {
		return BoardFigures{}, err
	}
	// the ratios exactly as domain.Tally.Rates defines them
	r := &f.Rates
	r.Response = ratioOf(r.AcceptedOnTime, r.Submitted-r.AwaitingAccept-r.EndedUnaccepted)
	r.Completion = ratioOf(r.Closed, r.Submitted-r.Withdrawn-r.Merged)
	r.Satisfaction = ratioOf(r.Satisfied+r.Basically, r.Rated)
	return f, nil
}

func ratioOf(n, d int) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// boardCatchUp folds every dirty case into the aggregates. Counter deltas are summed in
// memory and written once, so catching up on a large import touches each counter once.
func (s *Store) boardCatchUp(ctx context.Context, tx *sql.Tx) error {
	loc, rules := s.Location(), s.Rules()
	if err := s.boardCheckRules(ctx, tx, rules, loc); err != nil {
		return err
	}
	var pending int
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM board_dirty)`).Scan(&pending); err != nil {
		return fmt.Errorf("board: dirty cases: %w", err)
	}
	if pending == 0 {
		return nil
	}
	st, err := prepareBoardStmts(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	deltas := map[[2]string]int{}
	restore := func() {}
	defer func() { restore() }()
	for first := true; ; first = false {
		batch, err := dirtyBatch(ctx, tx)
		if err != nil {
			return err
		}
		if first && len(batch) == boardBatch {
			// a large backlog (the first start after this migration, a rebuild): with the
			// default page cache the index updates of a million cases spill and rewrite pages
			// over and over; a larger cache for this connection, for the catch-up only
			r, err := growCache(ctx, tx)
			if err != nil {
				return err
			}
			restore = r
		}
		for _, d := range batch {
			if err := s.foldDirty(ctx, st, d, rules, loc, deltas); err != nil {
				return err
			}
		}
		if len(batch) > 0 {
			last := batch[len(batch)-1].id
			if _, err := tx.ExecContext(ctx, `DELETE FROM board_dirty WHERE id <= ?`, last); err != nil {
				return fmt.Errorf("board: clear dirty cases: %w", err)
			}
		}
		if len(batch) < boardBatch {
			break
		}
	}
	for k, n := range deltas {
		if n == 0 {
			continue
		}
		if _, err := st.count.ExecContext(ctx, k[0], k[1], n); err != nil {
			return fmt.Errorf("board: update counter %s: %w", k[1], err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM board_counts WHERE n = 0`); err != nil {
		return fmt.Errorf("board: drop empty counters: %w", err)
	}
	return nil
}

// catchUpCacheKiB is the page cache a large catch-up works with.
const catchUpCacheKiB = 128 << 10

func growCache(ctx context.Context, tx *sql.Tx) (restore func(), err error) {
	var old int64
	if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&old); err != nil {
		return nil, fmt.Errorf("board: read cache size: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, catchUpCacheKiB)); err != nil {
		return nil, fmt.Errorf("board: grow cache: %w", err)
	}
	return func() {
		// best effort: the connection keeps working with the larger cache if this fails
		_, _ = tx.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d`, old))
	}, nil
}

func (s *Store) boardCheckRules(ctx context.Context, tx *sql.Tx, rules domain.Rules, loc *time.Location) error {
	want := boardRulesKey(rules, loc)
	have, err := getMeta(ctx, tx, metaBoardRules)
	if err != nil || have == want {
		return err
	}
	for _, q := range []string{`DELETE FROM board_cases`, `DELETE FROM board_counts`,
		`INSERT OR IGNORE INTO board_dirty(id) SELECT id FROM cases`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("board: reset for new rules: %w", err)
		}
	}
	return setMeta(ctx, tx, metaBoardRules, want)
}

type dirtyCase struct {
	id   string
	data []byte // nil: the case is gone
}

func dirtyBatch(ctx context.Context, tx *sql.Tx) ([]dirtyCase, error) {
	rows, err := tx.QueryContext(ctx, `SELECT d.id, c.data FROM board_dirty d
		LEFT JOIN cases c ON c.id = d.id ORDER BY d.id LIMIT ?`, boardBatch)
	out, err := collect(rows, err, scanFields(func(d *dirtyCase) []any { return []any{&d.id, &d.data} }))
	if err != nil {
		return nil, fmt.Errorf("board: read dirty cases: %w", err)
	}
	return out, nil
}

type boardStmts struct {
	old, put, drop, count *sql.Stmt
}

func prepareBoardStmts(ctx context.Context, tx *sql.Tx) (*boardStmts, error) {
	var st boardStmts
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&st.old, `SELECT station, keys FROM board_cases WHERE id = ?`},
		{&st.put, `INSERT INTO board_cases(id, station, keys, accept_by, deadline, tick_case, tick_reply)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET station = excluded.station,
			keys = excluded.keys, accept_by = excluded.accept_by, deadline = excluded.deadline,
			tick_case = excluded.tick_case, tick_reply = excluded.tick_reply`},
		{&st.drop, `DELETE FROM board_cases WHERE id = ?`},
		{&st.count, `INSERT INTO board_counts(station, key, n) VALUES (?, ?, ?)
			ON CONFLICT(station, key) DO UPDATE SET n = n + excluded.n`},
	} {
		stmt, err := tx.PrepareContext(ctx, p.q)
		if err != nil {
			st.close()
			return nil, fmt.Errorf("board: prepare: %w", err)
		}
		*p.dst = stmt
	}
	return &st, nil
}

func (st *boardStmts) close() {
	for _, s := range []*sql.Stmt{st.old, st.put, st.drop, st.count} {
		if s != nil {
			s.Close()
		}
	}
}

// foldDirty replaces one case's old share by its current one.
func (s *Store) foldDirty(ctx context.Context, st *boardStmts, d dirtyCase, rules domain.Rules, loc *time.Location, deltas map[[2]string]int) error {
	var oldStation, oldKeys string
	err := st.old.QueryRowContext(ctx, d.id).Scan(&oldStation, &oldKeys)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("board: read share of %s: %w", d.id, err)
	default:
		for _, k := range strings.Split(oldKeys, "\n") {
			deltas[[2]string{oldStation, k}]--
		}
	}
	var c domain.Case
	if d.data != nil {
		if err := json.Unmarshal(d.data, &c); err != nil {
			s.log.Warn("board: skip undecodable case", "case", d.id, "err", err)
			c = domain.Case{}
		}
	}
	if c.State == domain.StateNew {
		if _, err := st.drop.ExecContext(ctx, d.id); err != nil {
			return fmt.Errorf("board: drop share of %s: %w", d.id, err)
		}
	} else {
		sh := shareOf(c, rules, loc)
		for _, k := range sh.keys {
			deltas[[2]string{sh.station, k}]++
		}
		if _, err := st.put.ExecContext(ctx, d.id, sh.station, strings.Join(sh.keys, "\n"),
			nullable(sh.acceptBy), nullable(sh.deadline), nullable(sh.tickCase), nullable(sh.tickReply)); err != nil {
			return fmt.Errorf("board: write share of %s: %w", d.id, err)
		}
	}
	return nil
}

func readBoardCounts(ctx context.Context, tx *sql.Tx, station string) (BoardFigures, error) {
	f := BoardFigures{Categories: map[string]int{}, Days: map[string]DayCount{}}
	rows, err := tx.QueryContext(ctx, `SELECT key, sum(n) FROM board_counts
		WHERE ?1 = '' OR station = ?1 GROUP BY key`, station)
	if err != nil {
		return f, fmt.Errorf("board: read counters: %w", err)
	}
	defer rows.Close()
	r := &f.Rates
	fields := map[string]*int{
		keyCases: &r.Submitted, keyAccepted: &f.Funnel.Accepted, keyAssigned: &f.Funnel.Assigned,
		keyReplied: &f.Funnel.Replied, keyClosed: &r.Closed, keyOnTime: &r.AcceptedOnTime,
		keyEndedUnaccepted: &r.EndedUnaccepted, keyWithdrawn: &r.Withdrawn, keyMerged: &r.Merged,
		keyClosedUnrated: &r.ClosedUnrated, keySatisfied: &r.Satisfied, keyBasically: &r.Basically,
		keyUnsatisfied: &r.Unsatisfied, keyOpen: &r.Open, keyDeadline: &r.Overdue,
	}
	for rows.Next() {
		var (
			key string
			n   int
		)
		if err := rows.Scan(&key, &n); err != nil {
			return f, fmt.Errorf("board: read counters: %w", err)
		}
		switch {
		case fields[key] != nil:
			*fields[key] = n
		case strings.HasPrefix(key, prefixCategory):
			f.Categories[key[len(prefixCategory):]] = n
		case strings.HasPrefix(key, prefixSubmitted):
			day := key[len(prefixSubmitted):]
			dc := f.Days[day]
			dc.Submitted = n
			f.Days[day] = dc
		case strings.HasPrefix(key, prefixClosedDay):
			day := key[len(prefixClosedDay):]
			dc := f.Days[day]
			dc.Closed = n
			f.Days[day] = dc
		}
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("board: read counters: %w", err)
	}
	r.Rated = r.Satisfied + r.Basically + r.Unsatisfied
	f.Funnel.Submitted, f.Funnel.Closed = r.Submitted, r.Closed
	return f, nil
}

// readBoardClock fills the figures that depend on now. Both ranges it counts are short: only
// cases submitted within the accept window can still be awaiting acceptance, and only cases
// being worked on have deadlines ahead.
func readBoardClock(ctx context.Context, tx *sql.Tx, station string, now time.Time, r *domain.Rates) error {
	at := fmtTime(now)
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM board_cases
		WHERE accept_by IS NOT NULL AND accept_by >= ?1 AND (?2 = '' OR station = ?2)`, at, station).
		Scan(&r.AwaitingAccept)
	if err != nil {
		return fmt.Errorf("board: awaiting acceptance: %w", err)
	}
	// domain.Overdue is now.After(deadline): a deadline equal to now is not yet missed
	var ahead int
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM board_cases
		WHERE deadline IS NOT NULL AND deadline >= ?1 AND (?2 = '' OR station = ?2)`, at, station).
		Scan(&ahead)
	if err != nil {
		return fmt.Errorf("board: deadlines ahead: %w", err)
	}
	r.Overdue -= ahead // Overdue held every case with a deadline
	return nil
}

func boardTicker(ctx context.Context, tx *sql.Tx, station, column string, n int) ([]domain.Case, error) {
	if n <= 0 {
		return nil, nil
	}
	where := `b.station = ?1`
	if station == "" {
		where = `?1 = ''`
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.data FROM board_cases b JOIN cases c ON c.id = b.id
		WHERE `+where+` AND b.`+column+` IS NOT NULL ORDER BY b.`+column+` DESC, b.id DESC LIMIT ?2`, station, n)
	out, err := collect(rows, err, scanCase)
	if err != nil {
		return nil, fmt.Errorf("board: ticker: %w", err)
	}
	return out, nil
}
