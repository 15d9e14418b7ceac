package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"modernc.org/sqlite"

	"liaison/sync/domain"
)

// Why the store refuses writes (Mode.Reason).
const (
	ReasonDiskFull  = "disk_full"  // SQLite could not grow the database, or the disk is nearly full
	ReasonDBCorrupt = "db_corrupt" // the database file failed its integrity check
)

// SQLite's primary result codes the store reacts to (the low byte of an extended code).
const (
	sqliteIOErr   = 10
	sqliteCorrupt = 11
	sqliteFull    = 13
	sqliteNotADB  = 26
)

// Mode is whether the store takes writes. A read-only store still answers every read: the
// station keeps showing cases, the board and activities, and refuses what would record a
// fact with store_read_only.
type Mode struct {
	ReadOnly bool
	Reason   string    // ReasonDiskFull or ReasonDBCorrupt when ReadOnly
	Since    time.Time // when the store became read-only
}

// probeBytes is how much Recheck writes to learn whether the database can grow again.
const probeBytes = 1 << 20

// modeState is the store's Mode behind a lock.
type modeState struct {
	mu sync.Mutex
	m  Mode
}

// Mode tells whether the store takes writes now.
func (s *Store) Mode() Mode {
	s.mode.mu.Lock()
	defer s.mode.mu.Unlock()
	return s.mode.m
}

// EnterReadOnly makes the store refuse writes for reason. A store already read-only for a
// corrupt database stays so: that is the graver reason and only a technician clears it.
func (s *Store) EnterReadOnly(reason string, cause error) {
	s.mode.mu.Lock()
	defer s.mode.mu.Unlock()
	if s.mode.m.ReadOnly && (s.mode.m.Reason == reason || s.mode.m.Reason == ReasonDBCorrupt) {
		return
	}
	s.mode.m = Mode{ReadOnly: true, Reason: reason, Since: s.now()}
	s.log.Error("STORE READ-ONLY: the station refuses new facts until this is cleared",
		"reason", reason, "err", cause)
}

// errReadOnly is what a write gets while the store is read-only.
func (s *Store) errReadOnly() error {
	m := s.Mode()
	if !m.ReadOnly {
		return nil
	}
	return domain.NewError(domain.CodeStoreReadOnly, "reason", m.Reason)
}

// QuickCheck runs SQLite's quick_check on the database; an error when it finds damage or
// cannot read the file.
func (s *Store) QuickCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("quick_check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("quick_check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("quick_check: %d problems, first: %s", len(problems), problems[0])
	}
	return nil
}

// checkFailure looks at an error a write got from SQLite: a full database or disk makes the
// store read-only for disk_full, damage for db_corrupt. An I/O error is told apart by
// quick_check: a database that still checks clean could not be written for want of space.
func (s *Store) checkFailure(err error) {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return
	}
	switch se.Code() & 0xff {
	case sqliteFull:
		s.EnterReadOnly(ReasonDiskFull, err)
	case sqliteCorrupt, sqliteNotADB:
		s.EnterReadOnly(ReasonDBCorrupt, err)
	case sqliteIOErr:
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if qerr := s.QuickCheck(ctx); qerr != nil {
			s.EnterReadOnly(ReasonDBCorrupt, errors.Join(err, qerr))
		} else {
			s.EnterReadOnly(ReasonDiskFull, err)
		}
	}
}

// Recheck decides whether a store read-only for disk_full may write again, and whether one
// that writes should stop: lowDisk says the file system has less free space than the
// station keeps in reserve. With space back it tries one real write, and leaves read-only
// mode only when that write commits. A corrupt database is never cleared here. It returns
// the mode after the check.
func (s *Store) Recheck(ctx context.Context, lowDisk bool) Mode {
	m := s.Mode()
	switch {
	case lowDisk:
		s.EnterReadOnly(ReasonDiskFull, errors.New("free disk space below the reserve"))
	case m.ReadOnly && m.Reason == ReasonDiskFull:
		err := s.writeTx(ctx, "write probe", func(tx *sql.Tx) error {
			// a probe that needs new pages: a small row would fit in a page's free space
			// and pass while nothing larger can be written
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, zeroblob(?))
				ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaWriteProbe, probeBytes); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaWriteProbe)
			return err
		})
		if err != nil {
			s.log.Warn("store still cannot write", "err", err)
			break
		}
		s.mode.mu.Lock()
		if s.mode.m.Reason == ReasonDiskFull {
			s.mode.m = Mode{}
		}
		s.mode.mu.Unlock()
		s.log.Warn("store writes again: disk space is back", "read_only_since", m.Since)
	}
	return s.Mode()
}

// failed passes on the error of a write after checkFailure: once the store has become
// read-only the caller gets store_read_only, with SQLite's error kept for the log.
func (s *Store) failed(err error) error {
	if err == nil {
		return nil
	}
	s.checkFailure(err)
	if ro := s.errReadOnly(); ro != nil {
		return fmt.Errorf("%w: %w", ro, err)
	}
	return err
}
