// Package store is the station's event store: every fact a person creates at the kiosk is
// committed here, with the projections it changes, in one durable transaction. It also keeps what the hub sends (other devices' facts, reference data) and
// implements the sync client's LocalStore.
//
// Durability: the database is opened by sync/sqlitedb with journal_mode=WAL and
// synchronous=FULL on every connection, so the WAL is fsynced at each commit and Record
// returns only after its transaction is on disk, surviving both a killed process and a
// power cut. Read-modify-write transactions begin IMMEDIATE, so concurrent Record calls
// queue instead of failing on a lock upgrade.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"liaison/sync/domain"
	"liaison/sync/sqlitedb"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Meta keys with a meaning to the store. Other components may keep their own keys
// (keys, tokens) through Meta/SetMeta.
const (
	MetaDeviceID    = "device_id"    // this device's id; facts carry it
	MetaDeviceCode  = "device_code"  // short code used in case numbers, e.g. K1
	MetaStation     = "station"      // station code, e.g. HX01; facts carry it
	MetaStationName = "station_name" // display name
	MetaRole        = "role"         // kiosk | wall

	metaCursorEpoch = "cursor_epoch"
	metaCursorSeq   = "cursor_seq"
	metaUploaded    = "uploaded_seq"
	metaCounter     = "case_counter:" // + YYYYMMDD
	metaWriteProbe  = "write_probe"   // written by Recheck to learn whether writes work again
)

// Sentinel errors.
var (
	// ErrNotProvisioned: Record needs the device id and station code in meta first.
	ErrNotProvisioned = errors.New("device not provisioned")
	// ErrInvalidEvent: an event handed to Record is malformed (no kind, bad JSON, a
	// reference-data kind that only the hub may originate).
	ErrInvalidEvent = errors.New("invalid event")
	// ErrEpochMismatch: ApplyRemote was given events of another hub epoch than the cursor's;
	// call ResetRemote first.
	ErrEpochMismatch = errors.New("hub epoch does not match the cursor")
)

// Store is the station's SQLite store. Its methods are safe for concurrent use.
type Store struct {
	db    *sql.DB
	log   *slog.Logger
	rules domain.Rules // the base rules; Rules adds the reference data's calendar and deadlines
	now   func() time.Time
	// rulesGen counts changes to the reference items the rules depend on; rulesCache holds
	// the rules computed at one generation (rules.go).
	rulesGen   atomic.Int64
	rulesCache atomic.Pointer[cachedRules]
	// wmu queues this process's write transactions. SQLite allows one writer; without the
	// lock a resident's submission would wait on the busy handler's sleeps while the sync
	// client applies a page, instead of right behind it. The transactions all run on w, one
	// held connection (see sqlitedb.Writer).
	wmu sync.Mutex
	w   *sqlitedb.Writer
	// mode is whether writes are taken (health.go)
	mode modeState
}

// Option adjusts a Store at Open.
type Option func(*Store)

// WithClock sets the clock used for events recorded without a time and for case-number
// days (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithRules sets the lifecycle rules used to validate and fold cases (default
// domain.DefaultRules()). Station and hub must use the same rules to agree.
func WithRules(r domain.Rules) Option { return func(s *Store) { s.rules = r } }

// Open opens or creates the store at path, migrating its schema, and makes sure the device
// has an id (a new UUIDv7 on first open; provisioning may replace it before the first fact).
func Open(path string, log *slog.Logger, opts ...Option) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	migrations, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	db, err := sqlitedb.Open(path, migrations, log)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	ctx := context.Background()
	w, err := sqlitedb.NewWriter(ctx, db, log)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	s := &Store{db: db, w: w, log: log, rules: domain.DefaultRules(), now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if err := s.QuickCheck(ctx); err != nil {
		// the data that can still be read is served; nothing new is written into a damaged file
		s.EnterReadOnly(ReasonDBCorrupt, err)
	}
	if id, err := s.Meta(ctx, MetaDeviceID); err != nil {
		s.Close()
		return nil, err
	} else if id == "" && !s.Mode().ReadOnly {
		if err := s.SetMeta(ctx, MetaDeviceID, domain.NewEventID()); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if err := errors.Join(s.w.Close(), s.db.Close()); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Meta returns the value of a meta key, "" when unset.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	return getMeta(ctx, s.db, key)
}

// SetMeta sets a meta key; refused while the store is read-only.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	if err := s.errReadOnly(); err != nil {
		return err
	}
	return s.failed(setMeta(ctx, s.db, key, value))
}

func getMeta(ctx context.Context, q queryer, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read meta %s: %w", key, err)
	}
	return v, nil
}

func setMeta(ctx context.Context, q queryer, key, value string) error {
	_, err := q.ExecContext(ctx,
		`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		key, value)
	if err != nil {
		return fmt.Errorf("write meta %s: %w", key, err)
	}
	return nil
}

func getMetaInt(ctx context.Context, q queryer, key string) (int64, error) {
	v, err := getMeta(ctx, q, key)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("meta %s is not a number: %w", key, err)
	}
	return n, nil
}

// timeFormat is fixed-width so stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// write runs fn in a write transaction, one at a time within this process. A read-only
// store refuses it with store_read_only; a write that fails for a full disk or a damaged
// database makes the store read-only (health.go).
func (s *Store) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	if err := s.errReadOnly(); err != nil {
		return err
	}
	return s.failed(s.writeTx(ctx, what, fn))
}

// writeTx runs fn in a write transaction whatever the mode.
func (s *Store) writeTx(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	gen := s.rulesGen.Load()
	defer func() {
		// rules read while the transaction was open saw the reference data before it: once
		// it has committed or rolled back, they are read again
		if s.rulesGen.Load() != gen {
			s.rulesGen.Add(1)
		}
	}()
	ctx, tx, err := s.w.Begin(ctx)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := s.w.Commit(tx); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}

func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return b, nil
}
