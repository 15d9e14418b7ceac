package sqlitestore

import (
	"context"
	"fmt"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// deskWhere is the condition of a desk filter without its tab, as SQL over the desk's
// columns, and its arguments.
func deskWhere(f store.DeskFilter, pg bool) (string, []any) {
	var where []string
	var args []any
	eq := func(col, v string) {
		if v != "" {
			where, args = append(where, col+" = ?"), append(args, v)
		}
	}
	eq("state", string(f.State))
	eq("dept_code", f.Dept)
	eq("category", f.Category)
	eq("community", f.Community)
	eq("rep_id", f.Rep)
	eq("station", f.Station)
	if f.EscalatedTo == store.AnyNode {
		where = append(where, "escalated_to <> ''")
	} else {
		eq("escalated_to", f.EscalatedTo)
	}
	if f.Stations != nil {
		if len(f.Stations) == 0 {
			where = append(where, "FALSE")
		} else {
			where = append(where, "station IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Stations)), ", ")+")")
			for _, st := range f.Stations {
				args = append(args, st)
			}
		}
	}
	if f.Overdue {
		where, args = append(where, "state IN "+deskWork+" AND deadline < ?"), append(args, f.Now.UnixNano())
	}
	if !f.SubmittedFrom.IsZero() {
		where, args = append(where, "submitted_at >= ?"), append(args, f.SubmittedFrom.UnixNano())
	}
	if !f.SubmittedTo.IsZero() {
		where, args = append(where, "submitted_at < ?"), append(args, f.SubmittedTo.UnixNano())
	}
	if cond, sargs, ok := deskSearch(f.Query, pg); ok {
		where, args = append(where, cond), append(args, sargs...)
	} else if strings.TrimSpace(f.Query) != "" {
		where = append(where, "FALSE") // nothing searchable in the query: nothing matches
	}
	if len(where) == 0 {
		return "TRUE", nil
	}
	return strings.Join(where, " AND "), args
}

// deskTab is the condition of a tab and the order its list is shown in: the queues of work
// most urgent first, the others newest first.
func deskTab(tab string, f store.DeskFilter) (cond string, args []any, order string) {
	const urgent, newest = "deadline, rid", "submitted_at DESC, rid DESC"
	switch tab {
	case store.TabToAccept:
		return "state = 'submitted'", nil, urgent
	case store.TabToAssign:
		return "state IN ('accepted', 'returned')", nil, urgent
	case store.TabDueToday:
		return "state IN " + deskWork + " AND deadline >= ? AND deadline < ?",
			[]any{f.TodayStart.UnixNano(), f.TomorrowStart.UnixNano()}, urgent
	case store.TabOverdue:
		return "state IN " + deskWork + " AND deadline < ?", []any{f.Now.UnixNano()}, urgent
	case store.TabAwaitingRating:
		return "state = 'replied'", nil, newest
	case store.TabReturned:
		return "state = 'returned'", nil, urgent
	}
	return "TRUE", nil, newest
}

// whereClause joins conditions into a WHERE clause, leaving out those that are always true:
// a bare count(*) lets SQLite count the smallest index's pages instead of testing each row.
func whereClause(conds ...string) string {
	var keep []string
	for _, c := range conds {
		if c != "TRUE" {
			keep = append(keep, c)
		}
	}
	if len(keep) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(keep, " AND ")
}

// deskListSQL is the query of one page of the desk: the ids of its cases, in order.
func deskListSQL(f store.DeskFilter, pg bool) (string, []any) {
	where, args := deskWhere(f, pg)
	cond, targs, order := deskTab(f.Tab, f)
	q := `SELECT id FROM desk` + whereClause(where, cond) + ` ORDER BY ` + order
	args = append(args, targs...)
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, max(f.Offset, 0))
	}
	return q, args
}

// Desk returns one page of the cases a filter selects, their total and, when asked for, the
// number of cases in each tab under the same filter.
func (s *Store) Desk(ctx context.Context, f store.DeskFilter) (store.DeskPage, error) {
	var page store.DeskPage
	// One snapshot for the page and its counts. Its BEGIN is not cancelled (a cancel racing it
	// can leave a pooled connection inside a transaction: see sqlitedb.Writer.Begin); the
	// reads are, and the deferred Rollback ends it either way.
	tx, err := s.db.BeginTx(context.WithoutCancel(ctx), s.snapshot())
	if err != nil {
		return page, fmt.Errorf("read desk: %w", err)
	}
	defer tx.Rollback()
	q, args := deskListSQL(f, s.pg)
	ids, err := queryStrings(ctx, tx, q, args...)
	if err != nil {
		return page, fmt.Errorf("read desk: %w", err)
	}
	if page.Cases, err = casesByID(ctx, tx, ids, s.pg); err != nil {
		return page, err
	}
	where, wargs := deskWhere(f, s.pg)
	count := func(tab string) (int, error) {
		cond, targs, _ := deskTab(tab, f)
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM desk`+whereClause(where, cond),
			append(append([]any{}, wargs...), targs...)...).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("count desk %s: %w", tab, err)
		}
		return n, nil
	}
	if !f.Counts {
		page.Total, err = count(f.Tab)
		return page, err
	}
	page.Counts = map[string]int{}
	for _, tab := range store.Tabs() {
		if page.Counts[tab], err = count(tab); err != nil {
			return page, err
		}
	}
	tab := f.Tab
	if _, ok := page.Counts[tab]; !ok {
		tab = store.TabAll
	}
	page.Total = page.Counts[tab]
	return page, nil
}

func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// casesByID reads the projections of the cases with ids, in the order of ids.
func casesByID(ctx context.Context, q queryer, ids []string, pg bool) ([]domain.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	arg, err := jsonKeys(ids)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, withKeys(`SELECT id, data FROM cases WHERE id IN ({keys})`, pg), arg)
	if err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	defer rows.Close()
	byID := make(map[string]domain.Case, len(ids))
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("read cases: %w", err)
		}
		if byID[id], err = decodeCase(id, data); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	out := make([]domain.Case, 0, len(ids))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}
