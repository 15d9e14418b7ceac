// Package sqlitedb opens SQLite databases (modernc.org/sqlite, no cgo) the way every store of
// the product wants them: WAL, a busy timeout, foreign keys and full synchronous commits set
// per connection in the DSN, and numbered SQL migrations applied in order.
//
// Both the station store (app/store) and the hub store (sync/hub/sqlitestore) sit on top of it.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// BusyTimeout is how long a connection waits for another writer before giving up with
// SQLITE_BUSY.
const BusyTimeout = 10 * time.Second

// Sentinel errors.
var (
	// ErrNotWritable means the database file or its directory cannot be written; the
	// message names the path so an operator can fix permissions or the data directory.
	ErrNotWritable = errors.New("database location not writable")
	// ErrBadMigration means a migration file name or content is unusable.
	ErrBadMigration = errors.New("bad migration")
	// ErrSchemaTooNew means the database was migrated by a newer build than this one.
	ErrSchemaTooNew = errors.New("database schema newer than this program")
)

// Open opens (creating if needed) the SQLite database at path and applies the migrations
// found at the root of migrations (files named NNN_name.sql, e.g. 001_init.sql), each in its
// own transaction together with its schema_version row and PRAGMA user_version. A nil
// migrations leaves the schema alone.
//
// Every pooled connection gets: journal_mode=WAL, busy_timeout, foreign_keys=ON,
// synchronous=FULL (a commit is on disk when it returns, also across power loss),
// temp_store=MEMORY (statement journals of multi-row upserts stay off the disk), a page cache
// of up to 16 MiB (the default 2 MiB spills while a page of a thousand events is applied) and
// BEGIN IMMEDIATE for read-write transactions, so two writers queue on the busy timeout
// instead of failing on a lock upgrade. Read-only transactions (sql.TxOptions{ReadOnly:
// true}) begin deferred and do not block writers.
func Open(path string, migrations fs.FS, log *slog.Logger) (*sql.DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	ctx := context.Background()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if migrations != nil {
		if err := Migrate(ctx, db, migrations, log); err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate database %s: %w", path, err)
		}
	}
	return db, nil
}

// DSN is the data source name Open uses for path; exposed so a tool can open the same file
// with identical settings.
func DSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(BusyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", "cache_size(-16384)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// checkWritable fails early, with a message an operator can act on, instead of letting
// SQLite report "unable to open database file" at the first write.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%w: directory %s: %v", ErrNotWritable, dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrNotWritable, dir)
	}
	probe, err := os.CreateTemp(dir, ".writable-*")
	if err != nil {
		return fmt.Errorf("%w: directory %s: %v", ErrNotWritable, dir, err)
	}
	name := probe.Name()
	probe.Close()
	os.Remove(name)
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: file %s: %v", ErrNotWritable, path, err)
	} else if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		// A new database holds personal data (sealed, masked, hashed): only its owner may read
		// it. SQLite gives the -wal and -shm files the database file's permissions.
		f.Close()
	}
	return nil
}

// Migration is one numbered schema step.
type Migration struct {
	Version int
	Name    string // file name
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d+)_[A-Za-z0-9_.-]+\.sql$`)

// LoadMigrations reads the *.sql files at the root of fsys, sorted by version. Versions must
// start at 1 and have no gaps or duplicates, so a missing file is caught at build time by
// the store's tests rather than on a kiosk.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("%w: file name %q is not NNN_name.sql", ErrBadMigration, e.Name())
		}
		v, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("%w: %q: %v", ErrBadMigration, e.Name(), err)
		}
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("%w: expected version %d, found %s", ErrBadMigration, i+1, m.Name)
		}
	}
	return ms, nil
}

// Version returns the schema version recorded in the database (PRAGMA user_version).
func Version(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// Migrate applies the migrations of fsys that are newer than the database's user_version.
// Each runs in one transaction with its schema_version row and the user_version bump, so a
// crash leaves the database at a whole version.
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ms, err := LoadMigrations(fsys)
	if err != nil {
		return err
	}
	cur, err := Version(ctx, db)
	if err != nil {
		return err
	}
	if cur > len(ms) {
		return fmt.Errorf("%w: database at version %d, program knows %d", ErrSchemaTooNew, cur, len(ms))
	}
	for _, m := range ms[cur:] {
		if err := applyMigration(ctx, db, m); err != nil {
			return err
		}
		log.Info("schema migrated", "version", m.Version, "file", m.Name)
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m Migration) error {
	ctx = context.WithoutCancel(ctx) // a migration runs to its end (see Writer.Begin)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("apply migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return fmt.Errorf("record migration %s: %w", m.Name, err)
	}
	// user_version lives in the database header and is covered by the transaction.
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.Version)); err != nil {
		return fmt.Errorf("set user_version %d: %w", m.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration %s: %w", m.Name, err)
	}
	return nil
}
