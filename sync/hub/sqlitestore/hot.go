package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"liaison/sync/domain"
)

// hotStmts are the statements every upload runs. They are prepared once per store; a write
// transaction binds them with tx.StmtContext, which reuses the form already prepared on the
// transaction's connection, so SQLite parses and plans each of them once per connection
// instead of once per fact.
type hotStmts struct {
	lastRow   *sql.Stmt
	devSeq    *sql.Stmt
	setDevSeq *sql.Stmt
	insertLog *sql.Stmt
	// insertLogs writes logChunk log rows in one statement
	insertLogs *sql.Stmt
	knownIDs   *sql.Stmt
	loadCases  *sql.Stmt
	upsertCase *sql.Stmt
	// upsertCases writes caseChunk projections in one statement
	upsertCases  *sql.Stmt
	caseByNumber *sql.Stmt
	// pg: prepared for PostgreSQL (dialect.go)
	pg bool
}

// caseChunk is how many case projections one statement writes when a transaction writes
// many (a group of uploads writes thousands): binding them all to one statement saves the
// per-statement work of the driver and SQLite for all but one of them.
const caseChunk = 64

// logChunk is how many log rows one statement writes; the appender holds appended rows back
// until it has that many, or until something in the transaction is about to read.
const logChunk = 32

// The batch look-ups take their keys as one JSON array, so a batch of any size is one
// statement with one plan.
const (
	sqlLastRow   = `SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1`
	sqlDevSeq    = `SELECT last FROM device_seq WHERE device = ?`
	sqlSetDevSeq = `INSERT INTO device_seq(device, last) VALUES (?, ?)
		ON CONFLICT(device) DO UPDATE SET last = excluded.last`
	sqlKnownIDs       = `SELECT id FROM log WHERE id IN ({keys})`
	sqlLoadCases      = `SELECT id, data FROM cases WHERE id IN ({keys})`
	sqlCaseByNumber   = `SELECT id FROM cases WHERE number = ? LIMIT 1`
	sqlUpsertCaseTail = ` ON CONFLICT(id) DO UPDATE SET state = excluded.state,
		last_seq = excluded.last_seq, data = excluded.data`
)

// The values of one row: a log row in sqlInsertLogs, a case row in sqlUpsertCases.
const (
	logCols  = 13
	caseCols = 9
)

// sqlInsertLogs inserts n log rows.
func sqlInsertLogs(n int) string {
	return `INSERT INTO log(seq, id, device, dev_seq, station, stream, kind, at, actor_role,
		actor_id, actor_name, data, hash) VALUES ` + valueRows(logCols, n)
}

// sqlUpsertCases upserts n case projections.
func sqlUpsertCases(n int) string {
	return `INSERT INTO cases(id, station, number, token, state, category, submitted_at, last_seq,
		data) VALUES ` + valueRows(caseCols, n) + sqlUpsertCaseTail
}

// valueRows is n rows of cols placeholders each: "(?, ?), (?, ?)".
func valueRows(cols, n int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(row+", ", n-1) + row
}

func prepareHot(ctx context.Context, db *sql.DB, pg bool) (*hotStmts, error) {
	h := &hotStmts{pg: pg}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&h.lastRow, sqlLastRow}, {&h.devSeq, sqlDevSeq}, {&h.setDevSeq, sqlSetDevSeq},
		{&h.insertLog, sqlInsertLogs(1)}, {&h.insertLogs, sqlInsertLogs(logChunk)},
		{&h.knownIDs, sqlKnownIDs}, {&h.loadCases, sqlLoadCases},
		{&h.upsertCase, sqlUpsertCases(1)}, {&h.upsertCases, sqlUpsertCases(caseChunk)},
		{&h.caseByNumber, sqlCaseByNumber},
	} {
		st, err := db.PrepareContext(ctx, withKeys(p.query, pg))
		if err != nil {
			h.close()
			return nil, fmt.Errorf("prepare statement: %w", err)
		}
		*p.dst = st
	}
	return h, nil
}

func (h *hotStmts) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{h.lastRow, h.devSeq, h.setDevSeq, h.insertLog, h.insertLogs,
		h.knownIDs, h.loadCases, h.upsertCase, h.upsertCases, h.caseByNumber} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// stmt binds a store statement to the appender's transaction, once per transaction.
func (a *appender) stmt(st *sql.Stmt) *sql.Stmt {
	if b, ok := a.bound[st]; ok {
		return b
	}
	b := a.txn.StmtContext(a.ctx, st)
	a.bound[st] = b
	return b
}

// jsonKeys encodes keys as the JSON array the batch look-ups read with json_each.
func jsonKeys(keys []string) (string, error) {
	b, err := json.Marshal(keys)
	if err != nil {
		return "", fmt.Errorf("encode keys: %w", err)
	}
	return string(b), nil
}

// preloadIDs records which of ids are already in the log with one query, so the duplicate
// check of a batch's facts reads no row per fact. Events appended later in the transaction
// keep the record true (see append).
func (a *appender) preloadIDs(ids []string) error {
	var ask []string
	for _, id := range ids {
		if _, ok := a.inLog[id]; !ok {
			ask = append(ask, id)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	arg, err := jsonKeys(ask)
	if err != nil {
		return err
	}
	if err := a.flushLog(); err != nil {
		return err
	}
	rows, err := a.stmt(a.hot.knownIDs).QueryContext(a.ctx, arg)
	if err != nil {
		return fmt.Errorf("look up event ids: %w", err)
	}
	defer rows.Close()
	for _, id := range ask {
		a.inLog[id] = false
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("look up event ids: %w", err)
		}
		a.inLog[id] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("look up event ids: %w", err)
	}
	return nil
}

// idInLog reports whether an event with id is in the log as of this transaction.
func (a *appender) idInLog(id string) (bool, error) {
	if in, ok := a.inLog[id]; ok {
		return in, nil
	}
	if err := a.preloadIDs([]string{id}); err != nil {
		return false, err
	}
	return a.inLog[id], nil
}

// preloadCases reads the projections of the cases a batch touches with one query; a case
// not in the table is cached as the zero Case, exactly what caseOf would have read.
func (a *appender) preloadCases(ids []string) error {
	var ask []string
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if _, ok := a.cases[id]; !ok && !seen[id] {
			seen[id] = true
			ask = append(ask, id)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	arg, err := jsonKeys(ask)
	if err != nil {
		return err
	}
	rows, err := a.stmt(a.hot.loadCases).QueryContext(a.ctx, arg)
	if err != nil {
		return fmt.Errorf("read cases: %w", err)
	}
	defer rows.Close()
	found := make(map[string]struct{}, len(ask))
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return fmt.Errorf("read cases: %w", err)
		}
		c, err := decodeCase(id, data)
		if err != nil {
			return err
		}
		a.cases[id] = c
		found[id] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read cases: %w", err)
	}
	for _, id := range ask {
		if _, ok := found[id]; !ok {
			a.cases[id] = domain.Case{}
		}
	}
	return nil
}
