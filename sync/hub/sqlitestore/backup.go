package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"liaison/sync/pgdb"
)

// ErrNotFile means the store is not a database file that the hub can copy or put back: a
// PostgreSQL hub store is backed up and restored with PostgreSQL's own tools.
var ErrNotFile = errors.New("backup and restore archive a data directory's SQLite database: a hub store in PostgreSQL (--db) is backed up and restored with PostgreSQL's own tools (pg_dump and pg_restore, or streaming replication)")

// CopyInfo describes a database copy: the epoch and last log seq it holds.
type CopyInfo struct {
	Epoch   string
	LastSeq int64
}

// CopyTo writes a consistent copy of the database to path (which must not exist) with
// VACUUM INTO. It reads inside one transaction, so the hub keeps serving and writing while it
// runs and the copy holds exactly the log as of one commit. The copy is a single file in
// rollback-journal mode, so it can be archived as it is.
func (s *Store) CopyTo(ctx context.Context, path string) error {
	if s.pg {
		return fmt.Errorf("copy database to %s: %w", path, ErrNotFile)
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("copy database to %s: %w", path, err)
	}
	db, err := openPlain(path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode=DELETE`); err != nil {
		return fmt.Errorf("copy database to %s: %w", path, err)
	}
	return db.Close()
}

// VerifyCopy checks a database copy made by CopyTo (or a closed hub's database file): its
// hash chain is intact and it names an epoch. It does not migrate or otherwise change it.
func VerifyCopy(ctx context.Context, path string) (CopyInfo, error) {
	var info CopyInfo
	if _, err := os.Stat(path); err != nil {
		return info, fmt.Errorf("verify copy: %w", err)
	}
	db, err := openPlain(path)
	if err != nil {
		return info, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'epoch'`).Scan(&info.Epoch); err != nil {
		return info, fmt.Errorf("verify copy %s: read epoch: %w", path, err)
	}
	if err := (&Store{db: db}).VerifyChain(ctx); err != nil {
		return info, fmt.Errorf("verify copy %s: %w", path, err)
	}
	if info.LastSeq, _, err = lastRow(ctx, db); err != nil {
		return info, fmt.Errorf("verify copy %s: %w", path, err)
	}
	return info, nil
}

// NewEpoch gives the database of the data directory dir a new epoch and removes its
// high-water mark. The hub must not be running on dir. A restore calls it, so every station
// notices the hub's log is another history and resyncs (docs/sync-protocol.md §6), even when
// the restored copy is the newest the hub ever had.
func NewEpoch(ctx context.Context, dir string) (string, error) {
	path := filepath.Join(dir, DBFile)
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("new epoch: %w", err)
	}
	db, err := openPlain(path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	epoch, err := setNewEpoch(ctx, db)
	if err != nil {
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", fmt.Errorf("new epoch: %w", err)
	}
	if err := os.Remove(filepath.Join(dir, HighWaterFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("new epoch: %w", err)
	}
	return epoch, nil
}

// NewEpochPostgres gives the PostgreSQL database at dsn a new epoch, for the same reason a
// restore does (NewEpoch): after the database was restored with PostgreSQL's tools. No hub may
// be serving it meanwhile; they read the epoch when they start.
func NewEpochPostgres(ctx context.Context, dsn string) (string, error) {
	db, err := pgdb.Open(ctx, dsn, nil, nil)
	if err != nil {
		return "", fmt.Errorf("new epoch: %w", err)
	}
	defer db.Close()
	return setNewEpoch(ctx, db)
}

func setNewEpoch(ctx context.Context, db *sql.DB) (string, error) {
	epoch, err := newEpoch()
	if err != nil {
		return "", err
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('epoch', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, epoch); err != nil {
		return "", fmt.Errorf("new epoch: %w", err)
	}
	return epoch, nil
}

// openPlain opens one database file without the serving pragmas (no WAL switch, no
// migrations): for copies that are checked or adjusted before they are used.
func openPlain(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}
