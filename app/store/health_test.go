package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"liaison/sync/domain"
)

// fillDatabase records submissions until SQLite answers that the database is full. The
// writer connection's max_page_count is pinned at the database's size, so the limit is met
// for real by SQLite (SQLITE_FULL), as on a full disk, without filling the test machine's.
func fillDatabase(t *testing.T, s *Store) (ids []string, err error) {
	t.Helper()
	ctx := context.Background()
	var pages int64
	if err := s.w.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `PRAGMA max_page_count = `+itoa(pages+2)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10000; i++ {
		stored, err := s.Record(ctx, submission(t, "res-1"))
		if err != nil {
			return ids, err
		}
		ids = append(ids, stored[0].Stream)
	}
	t.Fatal("the database never filled up")
	return nil, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestDiskFullMakesStoreReadOnly(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if m := s.Mode(); m.ReadOnly {
		t.Fatalf("a new store is read-only: %+v", m)
	}
	ids, err := fillDatabase(t, s)
	de, ok := domain.AsError(err)
	if !ok || de.Code != domain.CodeStoreReadOnly || de.Params["reason"] != ReasonDiskFull {
		t.Fatalf("write into a full database: %v, want store_read_only (disk_full)", err)
	}
	if m := s.Mode(); !m.ReadOnly || m.Reason != ReasonDiskFull {
		t.Fatalf("mode after SQLITE_FULL: %+v", m)
	}
	if len(ids) == 0 {
		t.Fatal("nothing was recorded before the database filled")
	}
	// reads go on
	for _, id := range ids {
		if _, err := s.Case(ctx, id); err != nil {
			t.Fatalf("read case %s while read-only: %v", id, err)
		}
	}
	// writes are refused before they reach SQLite, meta too
	if _, err := s.Record(ctx, submission(t, "res-2")); !isReadOnly(err) {
		t.Fatalf("record while read-only: %v", err)
	}
	if err := s.SetMeta(ctx, "x", "y"); !isReadOnly(err) {
		t.Fatalf("set meta while read-only: %v", err)
	}
	// still no room: the trial write fails and the store stays read-only
	if m := s.Recheck(ctx, false); !m.ReadOnly {
		t.Fatal("left read-only mode while the database is still full")
	}
	// room again: the next check finds a write commits
	if _, err := s.w.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if m := s.Recheck(ctx, false); m.ReadOnly {
		t.Fatalf("still read-only once space is back: %+v", m)
	}
	if _, err := s.Record(ctx, submission(t, "res-2")); err != nil {
		t.Fatalf("record after space came back: %v", err)
	}
}

func TestLowDiskMakesStoreReadOnly(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if m := s.Recheck(ctx, true); !m.ReadOnly || m.Reason != ReasonDiskFull {
		t.Fatalf("low disk: %+v", m)
	}
	if _, err := s.Record(ctx, submission(t, "res-1")); !isReadOnly(err) {
		t.Fatalf("record on a low disk: %v", err)
	}
	if m := s.Recheck(ctx, false); m.ReadOnly {
		t.Fatalf("still read-only with space back: %+v", m)
	}
}

func TestCorruptDatabaseOpensReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.db")
	s := openAt(t, path)
	provision(t, s)
	ctx := context.Background()
	for i := 0; i < 300; i++ {
		if _, err := s.Record(ctx, submission(t, "res-1")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// overwrite pages in the middle of the closed file, as a failing disk would
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	if info.Size() < 10*page {
		t.Fatalf("database too small to damage: %d bytes", info.Size())
	}
	junk := make([]byte, 4*page)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	if _, err := f.WriteAt(junk, info.Size()/2/page*page); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s, err = Open(path, nil)
	if err != nil {
		t.Fatalf("open a database with damaged data pages: %v", err)
	}
	defer s.Close()
	if err := s.QuickCheck(ctx); err == nil {
		t.Fatal("quick_check passed a damaged database")
	}
	if m := s.Mode(); !m.ReadOnly || m.Reason != ReasonDBCorrupt {
		t.Fatalf("mode of a damaged database: %+v", m)
	}
	// what can still be read is served
	if st, err := s.Meta(ctx, MetaStation); err != nil || st != "HX01" {
		t.Fatalf("meta of a damaged database: %q, %v", st, err)
	}
	if _, err := s.Record(ctx, submission(t, "res-1")); !isReadOnly(err) {
		t.Fatalf("record into a damaged database: %v", err)
	}
	// space coming back does not clear a damaged database
	if m := s.Recheck(ctx, false); !m.ReadOnly || m.Reason != ReasonDBCorrupt {
		t.Fatalf("recheck cleared a damaged database: %+v", m)
	}
}

func isReadOnly(err error) bool {
	de, ok := domain.AsError(err)
	return ok && de.Code == domain.CodeStoreReadOnly
}
