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
	"sync"
	"sync/atomic"
	"time"

	"liaison/internal/every"
	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/sqlitedb"
)

// DBFile is the database's file name inside the data directory.
const DBFile = "hub.db"

//go:embed migrations/*.sql
var migrationFiles embed.FS

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
	// busy timeout. They all write through wconn (see sqlitedb.Writer).
	wmu   sync.Mutex
	wconn *sqlitedb.Writer
	// group batches concurrent uploads into shared transactions (group.go).
	group group

	subMu sync.Mutex
	subs  map[int]chan int64
	subID int
	// notified is the last seq published to subscribers; guarded by subMu.
	notified int64
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Open opens the hub store in dir (which must exist and be writable), creating the database
// and keys on first use and settling the epoch (see docs/hub.md).
func Open(ctx context.Context, dir string, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Rules.IsZero() {
		opt.Rules = domain.DefaultRules()
	}
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
	hot, err := prepareHot(ctx, db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	wconn, err := sqlitedb.NewWriter(ctx, db, opt.Log)
	if err != nil {
		hot.close()
		db.Close()
		return nil, fmt.Errorf("open hub store: %w", err)
	}
	s := &Store{db: db, wconn: wconn, dir: dir, keys: keys, hot: hot, now: opt.Now, log: opt.Log,
		rules: opt.Rules, maxQuarantined: opt.MaxQuarantined, subs: map[int]chan int64{}}
	if s.maxQuarantined <= 0 {
		s.maxQuarantined = DefaultMaxQuarantined
	}
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

// Watch polls the log every interval until ctx ends and publishes appends made by other
// processes on the same data directory (the command-line tools), so the sync endpoint
// pushes them too.
func (s *Store) Watch(ctx context.Context, interval time.Duration) {
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
	if err := s.wconn.Commit(tx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if a.appended > 0 {
		if err := writeHighWater(s.dir, highWater{Epoch: s.epoch, Seq: a.seq, Hash: a.hashHex()}); err != nil {
			s.log.Warn("high-water mark not updated", "err", err)
		}
		s.publish(a.seq)
	}
	return nil
}
