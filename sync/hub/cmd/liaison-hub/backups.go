package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"liaison/sync/hub/backup"
	"liaison/sync/hub/sqlitestore"
)

// backup writes an archive of the hub into DIR while it may be serving, then keeps the
// --keep newest archives there.
func (e *env) backup(ctx context.Context, args []string) error {
	fs := e.flags("backup")
	keep := fs.Int("keep", 0, "keep only the N newest archives in DIR (0 keeps all)")
	pos, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(pos) != 1 || *keep < 0 {
		return fmt.Errorf("%w: backup DIR [--keep N]", errUsage)
	}
	start := time.Now()
	c, err := backup.Create(ctx, st, pos[0], backup.Options{HubVersion: version})
	if err != nil {
		return err
	}
	took := time.Since(start)
	removed, err := backup.Prune(pos[0], *keep)
	if err != nil {
		return err
	}
	e.log.Info("backup written", "path", c.Path, "bytes", c.Size, "epoch", c.Manifest.Epoch,
		"last_seq", c.Manifest.LastSeq, "took", took.Round(time.Millisecond), "pruned", len(removed))
	fmt.Fprintf(e.out, "backup %s: %d events, epoch %s, %d bytes, %s; hash chain intact\n",
		c.Path, c.Manifest.LastSeq, c.Manifest.Epoch, c.Size, took.Round(time.Millisecond))
	for _, p := range removed {
		fmt.Fprintf(e.out, "removed old backup %s\n", p)
	}
	return nil
}

// restore puts an archive back into --data, refusing while a hub serves it.
func (e *env) restore(ctx context.Context, args []string) error {
	fs := e.flags("restore")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: restore FILE --data DIR", errUsage)
	}
	if e.db != "" {
		return sqlitestore.ErrNotFile
	}
	if err := e.openLog(slog.LevelWarn); err != nil {
		return err
	}
	r, err := backup.Restore(ctx, pos[0], e.data, time.Now)
	if errors.Is(err, sqlitestore.ErrLocked) {
		return fmt.Errorf("a hub is running on %s: stop it first (systemctl stop liaison-hub)", e.data)
	}
	if err != nil {
		return err
	}
	e.log.Warn("restored from backup", "file", pos[0], "backup_epoch", r.Manifest.Epoch,
		"last_seq", r.Manifest.LastSeq, "epoch", r.Epoch, "replaced", r.Replaced)
	fmt.Fprintf(e.out, "restored %s into %s: %d events from %s; new epoch %s, stations resync when the hub starts\n",
		pos[0], e.data, r.Manifest.LastSeq, r.Manifest.Created.Format(time.RFC3339), r.Epoch)
	if r.Replaced != "" {
		fmt.Fprintf(e.out, "the previous files are in %s\n", r.Replaced)
	}
	return nil
}

// lockData takes the data directory's lock for the serving hub.
func (e *env) lockData() (func(), error) {
	if err := os.MkdirAll(e.data, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s is not usable: %w", e.data, err)
	}
	release, err := sqlitestore.Lock(e.data)
	if errors.Is(err, sqlitestore.ErrLocked) {
		return nil, fmt.Errorf("another hub is already serving %s", e.data)
	}
	return release, err
}

// epoch runs `liaison-hub epoch new --db …`: after a PostgreSQL hub store was restored with
// PostgreSQL's tools, a new epoch makes every station resync (as `restore` does for SQLite).
func (e *env) epoch(ctx context.Context, args []string) error {
	fs := e.flags("epoch")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "new" {
		return fmt.Errorf("%w: epoch new --db postgres://…", errUsage)
	}
	if e.db == "" {
		return fmt.Errorf("%w: epoch new is for a PostgreSQL hub store (--db); restore gives a SQLite hub its new epoch", errUsage)
	}
	if err := e.openLog(slog.LevelWarn); err != nil {
		return err
	}
	epoch, err := sqlitestore.NewEpochPostgres(ctx, e.db)
	if err != nil {
		return fmt.Errorf("database %s: %w", redactDSN(e.db), err)
	}
	e.log.Info("new epoch", "epoch", epoch, "db", redactDSN(e.db))
	fmt.Fprintf(e.out, "new epoch %s: every station resyncs when the hubs start\n", epoch)
	return nil
}
