// Package pgdb opens the PostgreSQL database of a hub that several hub processes share, the
// way the hub store wants it: through database/sql with the pgx driver, with the store's
// SQL written once (its `?` placeholders are numbered for PostgreSQL on the way to the
// server), numbered migrations applied under a lock so two replicas starting at once migrate
// once, and a writer whose transactions hold one advisory lock.
package pgdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"liaison/sync/sqlitedb"
)

// IsDSN reports whether s names a PostgreSQL database (postgres:// or postgresql:// URL)
// rather than a data directory.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at dsn and applies the migrations at the root of migrations
// (NNN_name.sql, the same naming and ordering rules as sqlitedb).
func Open(ctx context.Context, dsn string, migrations fs.FS, log *slog.Logger) (*sql.DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres address: %w", err)
	}
	db := sql.OpenDB(connector{stdlib.GetConnector(*cfg)})
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres %s@%s/%s: %w", cfg.User, cfg.Host, cfg.Database, err)
	}
	if migrations != nil {
		if err := Migrate(ctx, db, migrations, log); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// Lock keys of the advisory locks the hub takes (pg_advisory_xact_lock). They are constants
// of this program: every hub process sharing a database takes the same ones.
const (
	// WriteLock is held by every write transaction of the hub store, so writes from all
	// replicas follow one another as a single SQLite writer's do: the log's sequence stays
	// gapless and its hash chain unbroken.
	WriteLock int64 = 0x6c69_6169_736f_6e01
	// migrateLock is held while the schema is migrated.
	migrateLock int64 = 0x6c69_6169_736f_6e02
)

// Migrate applies the migrations of fsys newer than the database's version (the highest
// version in schema_version), each in one transaction, under an advisory lock.
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS, log *slog.Logger) error {
	ms, err := sqlitedb.LoadMigrations(fsys)
	if err != nil {
		return err
	}
	ctx = context.WithoutCancel(ctx)
	for {
		done, err := migrateOne(ctx, db, ms, log)
		if err != nil || done {
			return err
		}
	}
}

func migrateOne(ctx context.Context, db *sql.DB, ms []sqlitedb.Migration, log *slog.Logger) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, migrateLock); err != nil {
		return false, fmt.Errorf("migration lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    BIGINT PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return false, fmt.Errorf("create schema_version: %w", err)
	}
	var cur int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if cur > len(ms) {
		return false, fmt.Errorf("%w: database at version %d, program knows %d", sqlitedb.ErrSchemaTooNew, cur, len(ms))
	}
	if cur == len(ms) {
		return true, tx.Commit()
	}
	m := ms[cur]
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("apply migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return false, fmt.Errorf("record migration %s: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit migration %s: %w", m.Name, err)
	}
	log.Info("schema migrated", "version", m.Version, "file", m.Name)
	return false, nil
}

// Writer begins the hub store's write transactions: each holds WriteLock until it ends.
type Writer struct{ db *sql.DB }

// NewWriter returns the writer of db.
func NewWriter(db *sql.DB) *Writer { return &Writer{db: db} }

// Begin starts a write transaction and waits for the write lock. As with SQLite (see
// sqlitedb.Writer.Begin) the transaction runs to its end whoever stopped waiting for it: the
// returned context has no cancellation.
func (w *Writer) Begin(ctx context.Context) (context.Context, *sql.Tx, error) {
	ctx = context.WithoutCancel(ctx)
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return ctx, nil, err
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, WriteLock); err != nil {
		tx.Rollback()
		return ctx, nil, fmt.Errorf("write lock: %w", err)
	}
	return ctx, tx, nil
}

// Commit commits a transaction begun by Begin.
func (w *Writer) Commit(tx *sql.Tx) error { return tx.Commit() }

// Close does nothing: the writer holds no connection between transactions.
func (w *Writer) Close() error { return nil }

// Rebind numbers the `?` placeholders of q as PostgreSQL's $1, $2, …, leaving those inside
// quoted strings, quoted identifiers and comments alone.
func Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(q))
			b.WriteString(q[i:end])
			i = end - 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// connector hands out pgx connections that rebind the store's SQL.
type connector struct{ driver.Connector }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := dc.(*stdlib.Conn)
	if !ok {
		dc.Close()
		return nil, errors.New("pgdb: unexpected driver connection")
	}
	return &conn{sc}, nil
}

// conn is a pgx connection whose statements are rebound first; everything else (transactions,
// argument conversion, session reset) is pgx's own.
type conn struct{ *stdlib.Conn }

// CheckNamedValue sends a Go bool as 0 or 1: the store's flags are integer columns, as
// SQLite keeps them.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
		return nil
	}
	return c.Conn.CheckNamedValue(nv)
}

func (c *conn) Prepare(q string) (driver.Stmt, error) { return c.Conn.Prepare(Rebind(q)) }

func (c *conn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, Rebind(q))
}

func (c *conn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, Rebind(q), args)
}

func (c *conn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, Rebind(q), args)
}
