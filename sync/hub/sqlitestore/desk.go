package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"liaison/sync/domain"
)

// The desk is the console's projection of the cases: one row per case with the columns its
// filters and tabs need (deadline included, computed with domain.Deadline), and a full-text
// index over the number, text, reply and notes. It is written by the same transaction that
// writes the case projection, from what the fold of that transaction saw, so the two never
// disagree; RebuildProjections rebuilds it with them.

// deskPending is what a write transaction owes the desk besides the changed cases' rows.
type deskPending struct {
	rules domain.Rules
	text  map[string]bool // cases whose searchable text (number, text, reply) changed
	notes []deskNote
	stmts map[string]*sql.Stmt // prepared on the transaction, once each
}

type deskNote struct{ caseID, body string }

// deskTouch notes what an effective case event changes in the full-text index. fold calls it
// for every case event that took effect.
func (a *appender) deskTouch(ev domain.Event, rules domain.Rules) {
	d := &a.desk
	d.rules = rules
	switch ev.Kind {
	case domain.KindCaseSubmitted, domain.KindCaseReplied:
		if d.text == nil {
			d.text = map[string]bool{}
		}
		d.text[ev.Stream] = true
	case domain.KindCaseProgress, domain.KindCaseReturned, domain.KindCaseSupervised,
		domain.KindCaseReopened, domain.KindCaseClosed, domain.KindCaseWithdrawn, domain.KindCaseRated:
		var p struct {
			Note    string `json:"note"`
			Comment string `json:"comment"`
		}
		if json.Unmarshal(ev.Data, &p) != nil {
			return
		}
		for _, t := range []string{p.Note, p.Comment} {
			if t != "" {
				d.notes = append(d.notes, deskNote{caseID: ev.Stream, body: ftsText(t)})
			}
		}
	}
}

const (
	deskCols  = 14
	deskChunk = 64
	// deskWork are the states in which someone at the hub must act by a deadline: what
	// domain.Overdue can hold for.
	deskWork = `('submitted', 'accepted', 'returned', 'assigned', 'in_progress', 'reopened')`
)

func sqlUpsertDesk(n int) string {
	return `INSERT INTO desk(id, station, state, category, community, rep_id, dept_code,
		submitted_at, deadline, accepted_at, accept_by, rating, closed_unrated, escalated_to) VALUES ` +
		valueRows(deskCols, n) + ` ON CONFLICT(id) DO UPDATE SET
		station = excluded.station, state = excluded.state, category = excluded.category,
		community = excluded.community, rep_id = excluded.rep_id, dept_code = excluded.dept_code,
		submitted_at = excluded.submitted_at, deadline = excluded.deadline,
		accepted_at = excluded.accepted_at, accept_by = excluded.accept_by, rating = excluded.rating,
		closed_unrated = excluded.closed_unrated, escalated_to = excluded.escalated_to`
}

const (
	sqlDeskNote = `INSERT INTO desk_notes_fts(body, case_rid) SELECT ?, rid FROM desk WHERE id = ?`
)

// deskStmt prepares a statement on the transaction once.
func (a *appender) deskStmt(q string) (*sql.Stmt, error) {
	if st, ok := a.desk.stmts[q]; ok {
		return st, nil
	}
	st, err := a.txn.PrepareContext(a.ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare desk statement: %w", err)
	}
	if a.desk.stmts == nil {
		a.desk.stmts = map[string]*sql.Stmt{}
	}
	a.desk.stmts[q] = st
	return st, nil
}

// storeDesk writes the desk rows of the cases changed in this transaction and their
// full-text entries. flush calls it with the changed cases still listed in a.caseSeq.
func (a *appender) storeDesk() error {
	d := &a.desk
	if len(a.caseSeq) == 0 && len(d.notes) == 0 {
		return nil
	}
	rules := d.rules
	if rules.IsZero() {
		rules = domain.DefaultRules()
	}
	rows := make([]any, 0, len(a.caseSeq)*deskCols)
	for id := range a.caseSeq {
		c := a.cases[id]
		var deadline any
		if t := domain.Deadline(c, rules); !t.IsZero() {
			deadline = t.UnixNano()
		}
		var acceptedAt any
		if !c.AcceptedAt.IsZero() {
			acceptedAt = c.AcceptedAt.UnixNano()
		}
		unrated := c.State == domain.StateClosed && c.ClosedUnrated
		rows = append(rows, c.ID, c.Station, string(c.State), c.Category, c.Community, c.RepID,
			c.DeptCode, c.SubmittedAt.UnixNano(), deadline, acceptedAt,
			rules.AcceptDeadline(c.SubmittedAt, c.Category).UnixNano(), string(c.Rating), unrated, c.EscalatedTo)
	}
	for len(rows) > 0 {
		n := min(deskChunk, len(rows)/deskCols)
		if n != deskChunk {
			n = 1
		}
		st, err := a.deskStmt(sqlUpsertDesk(n))
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(a.ctx, rows[:n*deskCols]...); err != nil {
			return fmt.Errorf("store desk: %w", err)
		}
		rows = rows[n*deskCols:]
	}
	for id := range d.text {
		c := a.cases[id]
		text := ftsText(c.Number + " " + c.Text + " " + c.Reply)
		if a.hot.pg {
			text = pgSearchText(text)
		}
		if err := a.deskExec(deskTextSQL(a.hot.pg), text, id); err != nil {
			return err
		}
	}
	for _, n := range d.notes {
		body := n.body
		if a.hot.pg {
			body = pgSearchText(body)
		}
		if err := a.deskExec(sqlDeskNote, body, n.caseID); err != nil {
			return err
		}
	}
	clear(d.text)
	d.notes = d.notes[:0]
	return nil
}

func (a *appender) deskExec(q string, args ...any) error {
	st, err := a.deskStmt(q)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(a.ctx, args...); err != nil {
		return fmt.Errorf("store desk text: %w", err)
	}
	return nil
}

// deskClear are the statements that empty the desk before a rebuild refills it; the last
// marks the desk as built.
var deskClear = []string{`DELETE FROM desk`, `DELETE FROM desk_fts`, `DELETE FROM desk_notes_fts`,
	`INSERT INTO meta(key, value) VALUES ('desk_built', '1')
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`}

// ensureDesk fills the desk from the log once, when a database made before the desk existed
// is opened: a rebuild of the projections, which also refills the desk.
func (s *Store) ensureDesk(ctx context.Context) error {
	var built string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'desk_built'`).Scan(&built)
	if err != nil {
		return fmt.Errorf("read desk state: %w", err)
	}
	if built == "1" {
		return nil
	}
	n, err := s.RebuildProjections(ctx)
	if err != nil {
		return err
	}
	s.log.Info("case desk built", "events", n)
	return nil
}
