package sqlitestore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// HighWaterFile records, next to the database, the newest {epoch, seq, hash} the hub has
// committed. See docs/hub.md ("Epoch and backups").
const HighWaterFile = "hub.hwm"

// highWater is the content of HighWaterFile.
type highWater struct {
	Epoch string `json:"epoch"`
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"` // hex hash of the row at Seq
}

// newEpoch makes a random database id.
func newEpoch() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate epoch: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

func readHighWater(path string) (highWater, bool, error) {
	var hw highWater
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return hw, false, nil
	}
	if err != nil {
		return hw, false, fmt.Errorf("read high-water mark %s: %w", path, err)
	}
	if err := json.Unmarshal(b, &hw); err != nil {
		// A damaged mark cannot prove the database is current: treat it like a mismatch.
		return highWater{Epoch: "unreadable", Seq: 1 << 62}, true, nil
	}
	return hw, true, nil
}

// writeHighWater is not fsynced on purpose: a mark that trails the database after a power
// loss is harmless (it can only miss a restore), while one ahead of it cannot happen.
func writeHighWater(dir string, hw highWater) error {
	b, err := json.Marshal(hw)
	if err != nil {
		return fmt.Errorf("encode high-water mark: %w", err)
	}
	// A temporary file per writer: the server and a command-line tool may both write.
	tmp, err := os.CreateTemp(dir, "."+HighWaterFile+".*")
	if err != nil {
		return fmt.Errorf("write high-water mark: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	_, werr := tmp.Write(b)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("write high-water mark: %w", werr)
	}
	if err := os.Rename(name, filepath.Join(dir, HighWaterFile)); err != nil {
		return fmt.Errorf("write high-water mark: %w", err)
	}
	return nil
}

// settleEpoch loads the epoch, creating one for a new database, and re-rolls it when the
// database is not the one the hub last wrote: its log is shorter than the high-water mark, or
// its row at the mark's seq has another hash (a different history), or the mark belongs to
// another epoch. Stations holding a cursor of the old epoch then resync from a snapshot
// instead of silently missing the events the restored copy lacks.
func (s *Store) settleEpoch(ctx context.Context) error {
	ctx, tx, err := s.wconn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin epoch check: %w", err)
	}
	defer tx.Rollback()
	var epoch string
	err = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'epoch'`).Scan(&epoch)
	fresh := errors.Is(err, sql.ErrNoRows)
	if err != nil && !fresh {
		return fmt.Errorf("read epoch: %w", err)
	}
	last, lastHash, err := lastRow(ctx, tx)
	if err != nil {
		return err
	}
	// PostgreSQL has no data directory, so no mark: a database restored with PostgreSQL's
	// tools keeps its epoch until `liaison-hub epoch new --db …` (NewEpochPostgres) gives it
	// another, which the restore procedure of docs/postgres.md does before any hub starts.
	var hw highWater
	var haveMark bool
	if s.dir != "" {
		if hw, haveMark, err = readHighWater(filepath.Join(s.dir, HighWaterFile)); err != nil {
			return err
		}
	}
	reroll := fresh
	if !fresh && haveMark {
		reroll, err = differs(ctx, tx, epoch, last, hw)
		if err != nil {
			return err
		}
	}
	if reroll {
		old := epoch
		if epoch, err = newEpoch(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('epoch', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, epoch); err != nil {
			return fmt.Errorf("store epoch: %w", err)
		}
		if !fresh {
			s.log.Warn("database differs from the last one this hub wrote; new epoch",
				"old_epoch", old, "epoch", epoch, "last_seq", last, "mark_seq", hw.Seq)
		}
	}
	if err := s.wconn.Commit(tx); err != nil {
		return fmt.Errorf("commit epoch: %w", err)
	}
	s.epoch = epoch
	if s.dir == "" {
		return nil
	}
	return writeHighWater(s.dir, highWater{Epoch: epoch, Seq: last, Hash: hex.EncodeToString(lastHash)})
}

func differs(ctx context.Context, tx *sql.Tx, epoch string, last int64, hw highWater) (bool, error) {
	if hw.Epoch != epoch || last < hw.Seq {
		return true, nil
	}
	if hw.Seq == 0 {
		return false, nil
	}
	var h []byte
	err := tx.QueryRowContext(ctx, `SELECT hash FROM log WHERE seq = ?`, hw.Seq).Scan(&h)
	if err != nil {
		return false, fmt.Errorf("read hash at %d: %w", hw.Seq, err)
	}
	return hex.EncodeToString(h) != hw.Hash, nil
}

// lastRow returns the newest log seq and its hash (0, nil for an empty log).
func lastRow(ctx context.Context, q queryer) (int64, []byte, error) {
	return scanLastRow(q.QueryRowContext(ctx, sqlLastRow))
}

// scanLastRow reads the result of sqlLastRow: the log's last seq and hash, zero when empty.
func scanLastRow(r *sql.Row) (int64, []byte, error) {
	var seq int64
	var h []byte
	err := r.Scan(&seq, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("read last log row: %w", err)
	}
	return seq, h, nil
}
