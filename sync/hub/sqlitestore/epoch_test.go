package sqlitestore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/hubtest"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/store"
)

// backup copies the closed database (the WAL is checkpointed on close).
func backup(t *testing.T, dir, to string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, DBFile+"-wal")); err == nil {
		t.Fatal("WAL still present after close; the copy would be incomplete")
	}
	hubtest.CopyFile(t, filepath.Join(dir, DBFile), to)
}

func TestRestoredBackupGetsNewEpoch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, spare := t.TempDir(), t.TempDir()
	clk := clocktest.New(t0)
	s := open(t, dir, clk)
	addStation(t, s, "HX01")
	e1 := s.Epoch()
	s.Close()
	backup(t, dir, filepath.Join(spare, "old.db"))

	s = open(t, dir, clk)
	addStation(t, s, "HX02")
	if s.Epoch() != e1 {
		t.Fatal("epoch changed without a restore")
	}
	s.Close()
	backup(t, dir, filepath.Join(spare, "current.db"))

	// Put the older copy back: the log is shorter than the high-water mark.
	hubtest.CopyFile(t, filepath.Join(spare, "old.db"), filepath.Join(dir, DBFile))
	s = open(t, dir, clk)
	e2 := s.Epoch()
	if e2 == e1 {
		t.Fatal("restored older copy kept its epoch")
	}
	if n, _ := s.LastSeq(ctx); n != 1 {
		t.Fatalf("restored log has %d events, want 1", n)
	}
	// Same length, different history: the restored copy grows to the old length with other events.
	addStation(t, s, "HX03")
	s.Close()
	s = open(t, dir, clk)
	if s.Epoch() != e2 {
		t.Fatal("epoch changed on a plain reopen after the restore")
	}
	s.Close()
	hubtest.CopyFile(t, filepath.Join(spare, "current.db"), filepath.Join(dir, DBFile))
	s = open(t, dir, clk)
	defer s.Close()
	if s.Epoch() == e2 || s.Epoch() == e1 {
		t.Fatalf("a copy with the same length but another history kept an old epoch %s", s.Epoch())
	}
}

func TestDamagedMarkRerollsEpoch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clk := clocktest.New(t0)
	s := open(t, dir, clk)
	e1 := s.Epoch()
	s.Close()
	if err := os.WriteFile(filepath.Join(dir, HighWaterFile), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir, clk)
	defer s.Close()
	if s.Epoch() == e1 {
		t.Fatal("damaged high-water mark did not re-roll the epoch")
	}
}

func TestVerifyChainDetectsTampering(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name string
		sql  string
	}{
		{"edited text", `UPDATE log SET data = replace(data, '社区', '小区') WHERE seq =
			(SELECT min(seq) FROM log WHERE kind = 'case.submitted' AND data LIKE '%社区%')`},
		{"edited actor", `UPDATE log SET actor_name = '王五' WHERE seq = 120`},
		{"deleted row", `DELETE FROM log WHERE seq = 70`},
		{"edited kind", `UPDATE log SET kind = 'case.closed' WHERE seq = 300`},
		{"reordered", `UPDATE log SET seq = -1 WHERE seq = 400; UPDATE log SET seq = 400 WHERE seq = 401;
			UPDATE log SET seq = 401 WHERE seq = -1`},
	}
	// The seeded database of TestMain, copied for each kind of tampering.
	base := seededDir
	s := open(t, copyOf(t, base), clocktest.New(t0))
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatalf("fresh chain: %v", err)
	}
	s.Close()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := open(t, copyOf(t, base), clocktest.New(t0))
			defer s.Close()
			if _, err := s.db.ExecContext(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			if err := s.VerifyChain(ctx); !errors.Is(err, store.ErrChainBroken) {
				t.Fatalf("tampered chain: %v, want store.ErrChainBroken", err)
			}
		})
	}
}

func TestSeedImportIsIdempotentAndFolds(t *testing.T) {
	t.Parallel()
	// TestMain loaded the demo into seededDir; load it again into a copy.
	s := open(t, copyOf(t, seededDir), clocktest.New(t0))
	defer s.Close()
	ctx := context.Background()
	n1, _ := s.LastSeq(ctx)
	ok, err := seed.Load(ctx, s, seed.DefaultSeed, t0.Add(48*time.Hour))
	if err != nil || ok {
		t.Fatalf("second seed: %v, %v", ok, err)
	}
	if n2, _ := s.LastSeq(ctx); n2 != n1 {
		t.Fatalf("second seed appended %d events", n2-n1)
	}
	st, err := s.Station(ctx, seed.StationCode)
	if err != nil || st.Name == "" {
		t.Fatalf("station %+v, %v", st, err)
	}
	cats, err := s.RefData(ctx, domain.KindCategoryUpserted, seed.StationCode)
	if err != nil || len(cats) < 6 {
		t.Fatalf("%d categories, %v", len(cats), err)
	}
	all, err := s.Cases(ctx, store.CaseFilter{})
	if err != nil || len(all) != seed.CaseCount {
		t.Fatalf("%d cases, %v", len(all), err)
	}
	for _, c := range all[:20] {
		evs, err := s.StreamEvents(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		folded, _ := domain.Fold(evs, domain.DefaultRules())
		if folded.State != c.State || folded.Version != c.Version || !folded.UpdatedAt.Equal(c.UpdatedAt) {
			t.Fatalf("case %s: projection %s v%d, fold %s v%d", c.Number, c.State, c.Version, folded.State, folded.Version)
		}
	}
	replied, err := s.Cases(ctx, store.CaseFilter{State: domain.StateReplied, Station: seed.StationCode})
	if err != nil || len(replied) == 0 {
		t.Fatalf("%d replied cases, %v", len(replied), err)
	}
	for _, c := range replied {
		if c.State != domain.StateReplied {
			t.Fatalf("filter returned a %s case", c.State)
		}
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkSeedImport(b *testing.B) {
	ctx := context.Background()
	d, err := seed.Generate(seed.DefaultSeed, t0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		s := open(b, b.TempDir(), clocktest.New(t0))
		b.StartTimer()
		if _, err := s.Import(ctx, seed.ImportName, d.Events); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(d.Events)), "events/op")
}

func seedDemo(tb testing.TB, s *Store) int {
	tb.Helper()
	d, err := seed.Generate(seed.DefaultSeed, t0)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Import(context.Background(), seed.ImportName, d.Events); err != nil {
		tb.Fatal(err)
	}
	return len(d.Events)
}

// seededDir holds the database file of a closed store with the demo street, made once by
// TestMain: seeding takes seconds under the race detector.
var seededDir string

func TestMain(m *testing.M) {
	hubtest.Main(m, &seededDir, "hubstore-seeded-", func(ctx context.Context, dir string, now func() time.Time) (hubtest.SeedStore, error) {
		return Open(ctx, dir, Options{Now: now})
	}, 3, t0)
}

// copyOf copies the seeded database into a new directory (the store makes new keys there).
func copyOf(t *testing.T, from string) string {
	t.Helper()
	return hubtest.CopyOf(t, from, DBFile)
}

func TestRebuildProjections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, copyOf(t, seededDir), clocktest.New(t0))
	defer s.Close()
	before, err := s.Cases(ctx, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	cats, _ := s.RefData(ctx, domain.KindCategoryUpserted, "")
	// Damage the projections: a case moved by hand, a category lost.
	if _, err := s.db.ExecContext(ctx, `UPDATE cases SET state = 'closed',
		data = json_set(data, '$.state', 'closed') WHERE id = ?`, before[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM refdata WHERE kind = 'ref.category'`); err != nil {
		t.Fatal(err)
	}
	lastBefore, _ := s.LastSeq(ctx)
	n, err := s.RebuildProjections(ctx)
	if err != nil || int64(n) != lastBefore {
		t.Fatalf("rebuild: %d events, %v (log has %d)", n, err, lastBefore)
	}
	after, err := s.Cases(ctx, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatal("rebuilt cases differ from the incremental projection")
	}
	if got, _ := s.RefData(ctx, domain.KindCategoryUpserted, ""); len(got) != len(cats) {
		t.Fatalf("%d categories after rebuild, want %d", len(got), len(cats))
	}
	if last, _ := s.LastSeq(ctx); last != lastBefore {
		t.Fatal("rebuild appended to the log")
	}
}
