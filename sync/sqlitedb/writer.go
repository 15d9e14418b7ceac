package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Writer is the one connection a store writes through, with WAL checkpoints taken off its
// path.
//
// Holding one connection keeps its page cache valid from one write transaction to the next
// (a pooled connection finds its cache stale once another connection has written, and reads
// the pages again). With SQLite's automatic checkpoints every commit that grows the WAL past
// a thousand pages also copies them into the database file before it returns; here the
// writer's automatic checkpoints are off and a background goroutine checkpoints on another
// connection, which WAL mode allows while writes go on. Readers keep using the pool.
type Writer struct {
	*sql.Conn
	db     *sql.DB
	log    *slog.Logger
	kick   chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

// CheckpointEvery is how often the background checkpoint runs when no commit asked for one.
const CheckpointEvery = 5 * time.Second

// checkpointPause is the least time between two background checkpoints: under a steady
// stream of commits each checkpoint copies what gathered meanwhile.
const checkpointPause = 200 * time.Millisecond

// NewWriter takes a connection from db for writing and starts its checkpointer.
func NewWriter(ctx context.Context, db *sql.DB, log *slog.Logger) (*Writer, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("writer connection: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		conn.Close()
		return nil, fmt.Errorf("writer connection: %w", err)
	}
	bg, cancel := context.WithCancel(context.Background())
	w := &Writer{Conn: conn, db: db, log: log, kick: make(chan struct{}, 1), cancel: cancel}
	w.wg.Add(1)
	go w.checkpoints(bg)
	return w, nil
}

// Begin starts a write transaction on the writer connection. It returns the context that the
// transaction's statements must use: the caller's, without its cancellation. A cancel that
// races a statement makes the driver interrupt SQLite while the statement may still finish;
// when that statement is BEGIN, database/sql reports the cancel and forgets a transaction
// that SQLite holds open, and on this one long-lived connection every later write then fails
// with "cannot start a transaction within a transaction". Write transactions are short, so
// they run to their end whoever stopped waiting for them.
func (w *Writer) Begin(ctx context.Context) (context.Context, *sql.Tx, error) {
	ctx = context.WithoutCancel(ctx)
	tx, err := w.Conn.BeginTx(ctx, nil)
	return ctx, tx, err
}

// Commit commits a transaction begun on the writer and tells the checkpointer that the WAL
// grew.
func (w *Writer) Commit(tx *sql.Tx) error {
	if err := tx.Commit(); err != nil {
		return err
	}
	w.committed()
	return nil
}

// committed wakes the checkpointer; it never blocks.
func (w *Writer) committed() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

func (w *Writer) checkpoints(ctx context.Context) {
	defer w.wg.Done()
	t := time.NewTicker(CheckpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		case <-t.C:
		}
		if err := Checkpoint(ctx, w.db); err != nil && ctx.Err() == nil {
			w.log.Warn("background checkpoint", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(checkpointPause):
		}
	}
}

// Checkpoint copies what it can of the WAL into the database file without waiting for
// readers or writers (a passive checkpoint).
func Checkpoint(ctx context.Context, db *sql.DB) error {
	var busy, logFrames, done int
	if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// Close stops the checkpointer and returns the connection to the pool; closing the database
// afterwards checkpoints what is left. Closing again does nothing.
func (w *Writer) Close() error {
	w.once.Do(func() {
		w.cancel()
		w.wg.Wait()
		w.err = w.Conn.Close()
	})
	return w.err
}
