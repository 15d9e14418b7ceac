// Package sqlitestore is the hub's SQLite store: the hash-chained event log with its gapless
// sequence and epoch, exactly-once application of device facts, devices and pairing codes,
// heartbeats, the case and reference-data projections, staff actions and the hub's keys.
//
// It implements the sync endpoint's store (sync/hub/wsserver.Store); store_test.go checks.
package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"liaison/internal/every"
	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/pgdb"
	"liaison/sync/sqlitedb"
)

// DBFile is the database's file name inside the data directory.
const DBFile = "hub.db"

//go:embed migrations/*.sql
var migrationFiles embed.FS

// pgMigrationFiles are the PostgreSQL schema's migrations: the same tables, in PostgreSQL's
// types, numbered on their own.
//
//go:embed pgmigrations/*.sql
var pgMigrationFiles embed.FS

// ErrInvalidFact is the contract's sentinel under the name this package has always used.
var ErrInvalidFact = store.ErrInvalidFact

// Options configure Open. Zero values pick defaults.
type Options struct {
	Now   func() time.Time // clock for pairing expiry, staff actions and heartbeats
	Log   *slog.Logger
	Rules domain.Rules
	// MaxQuarantined is how many refused facts of one device are kept whole;
	// DefaultMaxQuarantined when zero.
	MaxQuarantined int
}

// Store is the hub's store. Safe for concurrent use. Several processes may open the same
// data directory (the server and the command-line tools): SQLite's WAL and BEGIN IMMEDIATE
// serialise writers, and sequences are assigned inside the write transaction.
type Store struct {
	db    *sql.DB
	dir   string
	epoch string
	keys  *Keys
	hot   *hotStmts
	now   func() time.Time
	log   *slog.Logger
	rules domain.Rules // the base rules; Rules adds the reference data's calendar and deadlines
	// rulesCache is the last computation of Rules (rules.go).
	rulesCache atomic.Pointer[cachedRules]
	// maxQuarantined: refused facts of one device kept whole (refused.go).
	maxQuarantined int

	// wmu serialises this process's writers so they queue here rather than on SQLite's
	// busy timeout. They all write through wconn (see sqlitedb.Writer and pgdb.Writer).
	wmu   sync.Mutex
	wconn writer
	// pg: the database is PostgreSQL (OpenPostgres); the few statements that differ between
	// the two engines look here (dialect.go).
	pg bool
	// dsn is the PostgreSQL database's address, for the listener of Watch.
	dsn string
	// group batches concurrent uploads into shared transactions (group.go).
	group group

	subMu sync.Mutex
	subs  map[int]chan int64
	subID int
	// notified is the last seq published to subscribers; guarded by subMu.
	notified int64
}

// writer begins and commits the store's write transactions: sqlitedb.Writer on SQLite,
// pgdb.Writer on PostgreSQL.
type writer interface {
	Begin(ctx context.Context) (context.Context, *sql.Tx, error)
	Commit(tx *sql.Tx) error
	Close() error
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Open opens the hub store in dir (which must exist and be writable), creating the database
// and keys on first use and settling the epoch (see docs/hub.md).
func Open(ctx context.Context, dir string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("open hub store: %w: data directory %s", sqlitedb.ErrNotWritable, dir)
	}
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	db, err := sqlitedb.Open(filepath.Join(dir, DBFile), sub, opt.Log)
	if err != nil {
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	keys, err := loadKeys(dir)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	wconn, err := sqlitedb.NewWriter(ctx, db, opt.Log)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	return start(ctx, &Store{db: db, wconn: wconn, dir: dir, keys: keys}, opt)
}

// OpenPostgres opens the hub store in the PostgreSQL database at dsn (postgres://…), which
// several hub processes may share, migrating it on first use. The hub's keys are kept in the
// database, so every process serving it signs and opens with the same ones. There is no data
// directory: no high-water mark file and no directory lock (the database is the one truth,
// and PostgreSQL's own backups and replication keep it).
func OpenPostgres(ctx context.Context, dsn string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	sub, err := fs.Sub(pgMigrationFiles, "pgmigrations")
	if err != nil {
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	db, err := pgdb.Open(ctx, dsn, sub, opt.Log)
	if err != nil {
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	keys, err := loadKeysFromDB(ctx, db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	return start(ctx, &Store{db: db, wconn: pgdb.NewWriter(db), keys: keys, pg: true, dsn: dsn}, opt)
}

func (opt Options) withDefaults() Options {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Rules.IsZero() {
		opt.Rules = domain.DefaultRules()
	}
	if opt.MaxQuarantined <= 0 {
		opt.MaxQuarantined = DefaultMaxQuarantined
	}
	return opt
}

// start finishes opening s on its database: statements, epoch, desk.
func start(ctx context.Context, s *Store, opt Options) (*Store, error) {
	s.now, s.log, s.rules, s.maxQuarantined = opt.Now, opt.Log, opt.Rules, opt.MaxQuarantined
	s.subs = map[int]chan int64{}
	hot, err := prepareHot(ctx, s.db, s.pg)
	if err != nil {
		s.wconn.Close()
		s.db.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	s.hot = hot
	if err := s.settleEpoch(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	if err := s.ensureDesk(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	// a database whose desk was dated with other rules (an upgrade, other Options.Rules)
	if err := s.write(ctx, func(a *appender) error { a.rulesChanged = true; return nil }); err != nil {
		s.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	if s.notified, err = s.LastSeq(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	return s, nil
}

// Close closes the database and every subscription.
func (s *Store) Close() error {
	s.subMu.Lock()
	for id, ch := range s.subs {
		close(ch)
		delete(s.subs, id)
	}
	s.subMu.Unlock()
	return errors.Join(s.wconn.Close(), s.hot.close(), s.db.Close())
}

// Epoch implements the sync endpoint's Store.
func (s *Store) Epoch() string { return s.epoch }

// Keys returns the hub's key pairs.
func (s *Store) Keys() *Keys { return s.keys }

// Dir is the data directory.
func (s *Store) Dir() string { return s.dir }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping hub store: %w", err)
	}
	return nil
}

// LastSeq implements the sync endpoint's Store.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	seq, _, err := lastRow(ctx, s.db)
	return seq, err
}

// Subscribe returns a channel that receives the log's last seq after appends. Values are
// coalesced: a slow reader sees only the newest. cancel ends the subscription and closes the
// channel.
func (s *Store) Subscribe() (ch <-chan int64, cancel func()) {
	c := make(chan int64, 1)
	s.subMu.Lock()
	s.subID++
	id := s.subID
	s.subs[id] = c
	s.subMu.Unlock()
	return c, func() {
		s.subMu.Lock()
		defer s.subMu.Unlock()
		if _, ok := s.subs[id]; ok {
			delete(s.subs, id)
			close(c)
		}
	}
}

// publish tells subscribers about a new last seq, replacing any value not yet read.
func (s *Store) publish(seq int64) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	if seq <= s.notified {
		return
	}
	s.notified = seq
	for _, c := range s.subs {
		select {
		case <-c:
		default:
		}
		c <- seq
	}
}

// Watch publishes appends made by other processes until ctx ends, so the sync endpoint
// pushes them too: on SQLite those of the command-line tools on the same data directory,
// read from the log every interval; on PostgreSQL those of every other hub replica and
// tool, as the database notifies them, and from the log every interval besides, which
// catches up whatever a notification missed (a lost listening connection, say).
func (s *Store) Watch(ctx context.Context, interval time.Duration) {
	if s.pg {
		go s.listen(ctx)
	}
	every.Period(ctx, interval, false, func() {
		seq, err := s.LastSeq(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("watch log", "err", err)
			}
			return
		}
		s.publish(seq)
	})
}

// write runs fn in one write transaction and, after the commit, records the high-water mark
// and notifies subscribers.
func (s *Store) write(ctx context.Context, fn func(*appender) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.writeLocked(ctx, fn)
}

// writeLocked is write with s.wmu already held.
func (s *Store) writeLocked(ctx context.Context, fn func(*appender) error) error {
	ctx, tx, err := s.wconn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	a, err := newAppender(ctx, tx, s.hot)
	if err != nil {
		return err
	}
	if err := fn(a); err != nil {
		return err
	}
	if err := a.flush(); err != nil {
		return err
	}
	if a.rulesChanged {
		if err := s.redateDesk(a); err != nil {
			return err
		}
	}
	if s.pg && a.appended > 0 {
		// delivered to every listening replica when, and only if, the transaction commits
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, LogChannel, strconv.FormatInt(a.seq, 10)); err != nil {
			return fmt.Errorf("notify appends: %w", err)
		}
	}
	if err := s.wconn.Commit(tx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if a.appended > 0 && s.dir != "" {
		if err := writeHighWater(s.dir, highWater{Epoch: s.epoch, Seq: a.seq, Hash: a.hashHex()}); err != nil {
			s.log.Warn("high-water mark not updated", "err", err)
		}
	}
	if a.appended > 0 {
		s.publish(a.seq)
	}
	return nil
}
