package sqlitestore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/protocol"
)

// appender appends events to the log inside one write transaction, numbering them with the
// next gapless seq and extending the hash chain. It caches the device sequences and case
// projections it touches and writes each once, in flush, before the commit: a bulk import
// then costs one row write per case rather than one per event. Appended log rows are held
// back and written logChunk to a statement; everything that reads or writes the transaction
// goes through sql(), which writes the held-back rows first.
type appender struct {
	ctx      context.Context
	txn      *sql.Tx // read and written through sql(), which first writes the held-back rows
	hot      *hotStmts
	bound    map[*sql.Stmt]*sql.Stmt // hot statements bound to tx
	seq      int64
	hash     []byte
	appended int

	// inLog records, for the event ids looked up in this transaction, whether the log holds
	// them; append keeps it current.
	inLog map[string]bool
	// heads are the canonical heads of the upload being applied (prepareFacts).
	heads map[string][]byte

	seqs      map[string]int64
	dirtySeqs map[string]bool
	cases     map[string]domain.Case
	caseSeq   map[string]int64  // set for cases changed in this transaction
	numbers   map[string]string // case number → case id, for the cases in cases

	// pending are the values of appended log rows not yet written, logCols per row; err is
	// the first failure to write them, which fails the transaction.
	pending []any
	err     error

	// desk is what the console's desk owes for this transaction (desk.go)
	desk deskPending

	// rules are the lifecycle rules as this transaction sees them, once rulesRead
	// (Store.txRules); rulesChanged is set when it projected a calendar or a category.
	rules        domain.Rules
	rulesRead    bool
	rulesChanged bool
}

func newAppender(ctx context.Context, tx *sql.Tx, hot *hotStmts) (*appender, error) {
	a := &appender{ctx: ctx, txn: tx, hot: hot, bound: map[*sql.Stmt]*sql.Stmt{},
		inLog: map[string]bool{}, seqs: map[string]int64{}, dirtySeqs: map[string]bool{},
		cases: map[string]domain.Case{}, caseSeq: map[string]int64{}, numbers: map[string]string{}}
	var err error
	// The chain head is read once; from here on the appender is the only writer of the log
	// in this transaction and keeps seq and hash itself.
	if a.seq, a.hash, err = scanLastRow(a.stmt(hot.lastRow).QueryRowContext(ctx)); err != nil {
		return nil, err
	}
	return a, nil
}

// sql is the transaction, with every appended row written: what reads the log through it
// sees them all. A failure to write them is kept in a.err and fails the transaction.
func (a *appender) sql() *sql.Tx {
	_ = a.flushLog() // a failure stays in a.err
	return a.txn
}

// flushLog writes the held-back log rows, logChunk to a statement and the rest one by one.
func (a *appender) flushLog() error {
	if a.err != nil {
		return a.err
	}
	if err := a.execChunked(a.hot.insertLog, a.hot.insertLogs, logCols, logChunk, a.pending); err != nil {
		a.err = fmt.Errorf("append events %v…: %w", a.pending[1], err)
		return a.err
	}
	a.pending = a.pending[:0]
	return nil
}

// execChunked runs rows (cols values each) through many, which takes chunk rows, while a
// full chunk is left, and the rest through one, which takes a single row.
func (a *appender) execChunked(one, many *sql.Stmt, cols, chunk int, rows []any) error {
	for len(rows) > 0 {
		n, st := 1, one
		if len(rows) >= chunk*cols {
			n, st = chunk, many
		}
		if _, err := a.stmt(st).ExecContext(a.ctx, rows[:n*cols]...); err != nil {
			return err
		}
		rows = rows[n*cols:]
	}
	return nil
}

// devSeq is a device's last applied sequence as of this transaction.
func (a *appender) devSeq(device string) (int64, error) {
	if n, ok := a.seqs[device]; ok {
		return n, nil
	}
	n, err := devSeq(a.ctx, a.stmt(a.hot.devSeq), device)
	if err != nil {
		return 0, err
	}
	a.seqs[device] = n
	return n, nil
}

func (a *appender) setDevSeq(device string, n int64) {
	a.seqs[device], a.dirtySeqs[device] = n, true
}

// caseOf is a case's projection as of this transaction.
func (a *appender) caseOf(id string) (domain.Case, error) {
	if c, ok := a.cases[id]; ok {
		return c, nil
	}
	c, err := loadCase(a.ctx, a.txn, id) // the cases table: held-back log rows do not matter
	if err != nil {
		return c, err
	}
	a.cases[id] = c
	return c, nil
}

// submittedCase is caseOf for a case that must exist: one never submitted is store.ErrNotFound.
func (a *appender) submittedCase(id string) (domain.Case, error) {
	c, err := a.caseOf(id)
	if err != nil {
		return c, err
	}
	if c.State == domain.StateNew {
		return c, fmt.Errorf("case %s: %w", id, store.ErrNotFound)
	}
	return c, nil
}

func (a *appender) putCase(c domain.Case, seq int64) {
	a.cases[c.ID], a.caseSeq[c.ID] = c, seq
	if c.Number != "" {
		a.numbers[c.Number] = c.ID
	}
}

// flush writes the cached sequences and projections; write calls it before committing.
func (a *appender) flush() error {
	if err := a.flushLog(); err != nil {
		return err
	}
	for d := range a.dirtySeqs {
		if err := setDevSeq(a.ctx, a.stmt(a.hot.setDevSeq), d, a.seqs[d]); err != nil {
			return err
		}
	}
	if err := a.storeCases(); err != nil {
		return err
	}
	if err := a.storeDesk(); err != nil {
		return err
	}
	clear(a.dirtySeqs)
	clear(a.caseSeq)
	return nil
}

// storeCases upserts the changed case projections, caseChunk to a statement and the rest
// one by one.
func (a *appender) storeCases() error {
	args := make([]any, 0, len(a.caseSeq)*caseCols)
	for id, seq := range a.caseSeq {
		var err error
		if args, err = appendCaseArgs(args, a.cases[id], seq); err != nil {
			return err
		}
	}
	if err := a.execChunked(a.hot.upsertCase, a.hot.upsertCases, caseCols, caseChunk, args); err != nil {
		return fmt.Errorf("store cases: %w", err)
	}
	return nil
}

func (a *appender) hashHex() string { return hex.EncodeToString(a.hash) }

// normalize puts an event in the form it is stored in, so the canonical bytes computed at
// append time equal those recomputed from the row.
func normalize(ev *domain.Event) error {
	ev.At = ev.At.UTC()
	if len(ev.Data) == 0 {
		ev.Data = json.RawMessage("null")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, ev.Data); err != nil {
		return fmt.Errorf("%w: event %s data: %v", ErrInvalidFact, ev.ID, err)
	}
	ev.Data = buf.Bytes()
	return nil
}

// canonical is the byte form hashed into the chain: the event's JSON with its HubSeq set.
func canonical(ev domain.Event) ([]byte, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode event %s: %w", ev.ID, err)
	}
	return b, nil
}

func chainHash(prev, canon []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(canon)
	return h.Sum(nil)
}

// canonicalHead is ev's canonical form (ev normalized) without the HubSeq it gets when
// appended: everything up to the number that ends it. hub_seq is the last field of
// domain.Event and has no omitempty, so the bytes are json.Marshal's for any HubSeq with the
// number spliced in.
func canonicalHead(ev domain.Event) ([]byte, error) {
	ev.HubSeq = 0
	b, err := canonical(ev)
	if err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(b, []byte(`"hub_seq":0}`)) {
		return nil, fmt.Errorf("encode event %s: hub_seq is not its last field", ev.ID)
	}
	return b[:len(b)-len(`0}`)], nil
}

// chainHashHead is chainHash of the canonical form that a canonicalHead completed with the
// event's HubSeq makes, without building it: the head, the number, the closing brace.
func chainHashHead(prev, head []byte, seq int64) []byte {
	var tail [21]byte
	h := sha256.New()
	h.Write(prev)
	h.Write(head)
	h.Write(append(strconv.AppendInt(tail[:0], seq, 10), '}'))
	return h.Sum(nil)
}

// prepareFacts normalizes a copy of uploaded facts and computes their canonical heads, work
// that needs no lock; the appender then only splices in each HubSeq. Heads are found by event
// id, so an id met twice in the upload gets none (the checks under the lock refuse the second
// one anyway), and neither does a fact that does not normalize.
func prepareFacts(facts []domain.Event) ([]domain.Event, map[string][]byte) {
	out := slices.Clone(facts)
	heads := make(map[string][]byte, len(out))
	seen := make(map[string]bool, len(out))
	for i := range out {
		id := out[i].ID
		if seen[id] {
			delete(heads, id)
			continue
		}
		seen[id] = true
		if normalize(&out[i]) != nil {
			continue
		}
		if h, err := canonicalHead(out[i]); err == nil {
			heads[id] = h
		}
	}
	return out, heads
}

// append stores ev with the next seq and returns it with HubSeq set. An event with a head in
// a.heads was normalized by prepareFacts.
func (a *appender) append(ev domain.Event) (domain.Event, error) {
	head, prepared := a.heads[ev.ID]
	if !prepared {
		if err := normalize(&ev); err != nil {
			return ev, err
		}
		var err error
		if head, err = canonicalHead(ev); err != nil {
			return ev, err
		}
	}
	ev.HubSeq = a.seq + 1
	h := chainHashHead(a.hash, head, ev.HubSeq)
	a.pending = append(a.pending, ev.HubSeq, ev.ID, ev.Device, ev.DevSeq, ev.Station, ev.Stream,
		string(ev.Kind), ev.At.Format(time.RFC3339Nano), string(ev.Actor.Role), ev.Actor.ID,
		ev.Actor.Name, string(ev.Data), h)
	if len(a.pending) == logChunk*logCols {
		if err := a.flushLog(); err != nil {
			return ev, err
		}
	}
	a.seq, a.hash = ev.HubSeq, h
	a.appended++
	if _, ok := a.inLog[ev.ID]; ok {
		a.inLog[ev.ID] = true
	}
	return ev, nil
}

// nextDevSeq bumps and returns a device's sequence; the hub numbers its own events this way.
func (a *appender) nextDevSeq(device string) (int64, error) {
	last, err := a.devSeq(device)
	if err != nil {
		return 0, err
	}
	a.setDevSeq(device, last+1)
	return last + 1, nil
}

// appendHub appends an event originated by the hub, numbering it in the hub's own sequence.
func (a *appender) appendHub(ev domain.Event) (domain.Event, error) {
	n, err := a.nextDevSeq(domain.HubDevice)
	if err != nil {
		return ev, err
	}
	ev.Device, ev.DevSeq = domain.HubDevice, n
	if ev.ID == "" {
		ev.ID = domain.NewEventID()
	}
	return a.append(ev)
}

func devSeq(ctx context.Context, st *sql.Stmt, device string) (int64, error) {
	var last int64
	err := st.QueryRowContext(ctx, device).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read sequence of %s: %w", device, err)
	}
	return last, nil
}

func setDevSeq(ctx context.Context, st *sql.Stmt, device string, last int64) error {
	_, err := st.ExecContext(ctx, device, last)
	if err != nil {
		return fmt.Errorf("store sequence of %s: %w", device, err)
	}
	return nil
}

const eventCols = `seq, id, device, dev_seq, station, stream, kind, at, actor_role, actor_id,
	actor_name, data`

type scanner interface{ Scan(dest ...any) error }

func scanEvent(r scanner, extra ...any) (domain.Event, error) {
	var ev domain.Event
	var kind, at, role, data string
	dest := append([]any{&ev.HubSeq, &ev.ID, &ev.Device, &ev.DevSeq, &ev.Station, &ev.Stream,
		&kind, &at, &role, &ev.Actor.ID, &ev.Actor.Name, &data}, extra...)
	if err := r.Scan(dest...); err != nil {
		return ev, fmt.Errorf("scan event: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return ev, fmt.Errorf("event %d time %q: %w", ev.HubSeq, at, err)
	}
	ev.At, ev.Kind, ev.Actor.Role, ev.Data = t, domain.Kind(kind), domain.Role(role), json.RawMessage(data)
	return ev, nil
}

func queryEvents(ctx context.Context, q queryer, query string, args ...any) ([]domain.Event, error) {
	return queryEventsUpTo(ctx, q, 0, query, args...)
}

// queryEventsUpTo is queryEvents that stops after the event whose protocol.EventSize brings
// the total to budget (0: no bound), so a page holds a bounded number of bytes whatever the
// events hold.
func queryEventsUpTo(ctx context.Context, q queryer, budget int, query string, args ...any) ([]domain.Event, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query events: %w", err)
	}
	defer rows.Close()
	var evs []domain.Event
	size := 0
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev)
		if size += protocol.EventSize(&ev); budget > 0 && size >= budget {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query events: %w", err)
	}
	return evs, nil
}

// EventsAfter implements the sync endpoint's Store: it also stops after the event that brings
// the page's protocol.EventSize total to protocol.MaxPageBytes.
func (s *Store) EventsAfter(ctx context.Context, station string, after int64, limit int) ([]domain.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	if station == "" {
		return queryEventsUpTo(ctx, s.db, protocol.MaxPageBytes, `SELECT `+eventCols+` FROM log WHERE station = '' AND seq > ?
			ORDER BY seq LIMIT ?`, after, limit)
	}
	// Two index ranges merged in seq order: written as "station IN (?, '')" SQLite would
	// sort every later event of the scope to return the first page of them.
	return queryEventsUpTo(ctx, s.db, protocol.MaxPageBytes, `SELECT `+eventCols+` FROM log WHERE station = ? AND seq > ?
		UNION ALL SELECT `+eventCols+` FROM log WHERE station = '' AND seq > ?
		ORDER BY seq LIMIT ?`, station, after, after, limit)
}

// StreamEvents returns a stream's events in log order.
func (s *Store) StreamEvents(ctx context.Context, stream string) ([]domain.Event, error) {
	return queryEvents(ctx, s.db, `SELECT `+eventCols+` FROM log WHERE stream = ? ORDER BY seq`, stream)
}

// VerifyChain recomputes the hash chain over the whole log and checks the sequence has no
// gaps. It reports the first bad row with store.ErrChainBroken.
func (s *Store) VerifyChain(ctx context.Context) error {
	// Not cancelled while it begins: see sqlitedb.Writer.Begin.
	tx, err := s.db.BeginTx(context.WithoutCancel(ctx), &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("verify chain: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+eventCols+`, hash FROM log ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify chain: %w", err)
	}
	defer rows.Close()
	var prev []byte
	var want int64 = 1
	for rows.Next() {
		var stored []byte
		ev, err := scanEvent(rows, &stored)
		if err != nil {
			return fmt.Errorf("verify chain: %w", err)
		}
		if ev.HubSeq != want {
			return fmt.Errorf("%w: expected seq %d, found %d", store.ErrChainBroken, want, ev.HubSeq)
		}
		canon, err := canonical(ev)
		if err != nil {
			return fmt.Errorf("verify chain: %w", err)
		}
		h := chainHash(prev, canon)
		if !bytes.Equal(h, stored) {
			return fmt.Errorf("%w: at seq %d (event %s)", store.ErrChainBroken, ev.HubSeq, ev.ID)
		}
		prev, want = h, want+1
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("verify chain: %w", err)
	}
	return nil
}
