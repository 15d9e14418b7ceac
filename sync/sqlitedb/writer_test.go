package sqlitedb

import (
	"context"
	"path/filepath"
	"testing"
)

// A caller that gives up while its write transaction begins must not leave the writer
// connection inside a transaction: every later write would fail to begin.
func TestWriterSurvivesCancelsRacingBegin(t *testing.T) {
	t.Parallel()
	db, err := Open(filepath.Join(t.TempDir(), "w.db"), twoSteps(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w, err := NewWriter(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	write := func(ctx context.Context) error {
		txCtx, tx, err := w.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(txCtx, `INSERT INTO a(v) VALUES ('x')`); err != nil {
			return err
		}
		return w.Commit(tx)
	}
	const rounds = 2000
	for i := 0; i < rounds; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		go cancel()
		if err := write(ctx); err != nil {
			t.Fatalf("write %d, its caller gone: %v", i, err)
		}
		if err := write(context.Background()); err != nil {
			t.Fatalf("write %d, after one whose caller went: %v", i, err)
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM a`).Scan(&n); err != nil || n != 2*rounds {
		t.Fatalf("rows = %d, %v; want %d", n, err, 2*rounds)
	}
}
