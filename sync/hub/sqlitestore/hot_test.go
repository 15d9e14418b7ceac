package sqlitestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

// casesJSON is every case projection, encoded, for comparing two states of the table.
func casesJSON(t testing.TB, s *Store) string {
	t.Helper()
	cs, err := s.Cases(context.Background(), store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(cs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestApplyFactsWithinOneBatch covers what the batch look-ups must keep exact: an id
// repeated inside one upload, a case created and changed inside one upload, and a batch that
// touches cases stored by an earlier upload. After each, the projections equal a rebuild
// from the log and the chain verifies.
func TestApplyFactsWithinOneBatch(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		batch       func(t *testing.T, f *factMaker) []domain.Event
		wantApplied int
		wantErr     error
		check       func(t *testing.T, s *Store)
	}{
		{
			name: "id repeated in the batch",
			batch: func(t *testing.T, f *factMaker) []domain.Event {
				a := f.Submission(t, cid("case-r1"), "N-r1")
				b := f.Submission(t, cid("case-r2"), "N-r2")
				b.ID = a.ID
				return []domain.Event{a, b}
			},
			wantApplied: 1,
			wantErr:     ErrInvalidFact,
			check: func(t *testing.T, s *Store) {
				if _, err := s.Case(context.Background(), cid("case-r2")); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("case of the refused fact: %v, want store.ErrNotFound", err)
				}
			},
		},
		{
			name: "case created and claimed twice in the batch",
			batch: func(t *testing.T, f *factMaker) []domain.Event {
				return []domain.Event{f.Submission(t, cid("case-c"), "N-c"),
					f.Claim(t, cid("case-c"), "rep-a", "张三"), f.Claim(t, cid("case-c"), "rep-b", "李四")}
			},
			wantApplied: 3,
			check: func(t *testing.T, s *Store) {
				c, err := s.Case(context.Background(), cid("case-c"))
				if err != nil {
					t.Fatal(err)
				}
				if c.State != domain.StateAccepted || c.RepID != "rep-a" || len(c.CoHandlers) != 1 ||
					c.CoHandlers[0].RepID != "rep-b" {
					t.Errorf("case: state %s rep %s co-handlers %+v", c.State, c.RepID, c.CoHandlers)
				}
			},
		},
		{
			name: "cases stored by an earlier upload",
			batch: func(t *testing.T, f *factMaker) []domain.Event {
				return []domain.Event{f.Claim(t, cid("case-old"), "rep-a", "张三"),
					f.Submission(t, cid("case-new"), "N-new")}
			},
			wantApplied: 2,
			check: func(t *testing.T, s *Store) {
				c, err := s.Case(context.Background(), cid("case-old"))
				if err != nil {
					t.Fatal(err)
				}
				if c.State != domain.StateAccepted || !strings.HasPrefix(c.Number, "HX01-K1-") {
					t.Errorf("earlier case: state %s number %s", c.State, c.Number)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newStore(t)
			ctx := context.Background()
			addStation(t, s, "HX01")
			f := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
			if _, err := s.ApplyFacts(ctx, f.Dev.ID, []domain.Event{f.Submission(t, cid("case-old"), "N-old")}); err != nil {
				t.Fatal(err)
			}
			before, err := s.LastSeq(ctx)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.ApplyFacts(ctx, f.Dev.ID, tc.batch(t, f))
			if !errors.Is(err, tc.wantErr) || res.Applied != tc.wantApplied {
				t.Fatalf("apply: %+v, %v; want %d applied, %v", res, err, tc.wantApplied, tc.wantErr)
			}
			if res.LastDevSeq != int64(1+tc.wantApplied) {
				t.Errorf("last dev seq %d, want %d", res.LastDevSeq, 1+tc.wantApplied)
			}
			if stored, _ := s.LastDevSeq(ctx, f.Dev.ID); stored != res.LastDevSeq {
				t.Errorf("stored dev seq %d, reported %d", stored, res.LastDevSeq)
			}
			if res.LastSeq < before+int64(tc.wantApplied) {
				t.Errorf("log at %d after %d facts on %d", res.LastSeq, tc.wantApplied, before)
			}
			tc.check(t, s)
			applied := casesJSON(t, s)
			if _, err := s.RebuildProjections(ctx); err != nil {
				t.Fatal(err)
			}
			if rebuilt := casesJSON(t, s); rebuilt != applied {
				t.Errorf("projections differ from a rebuild:\n applied %s\n rebuilt %s", applied, rebuilt)
			}
			if err := s.VerifyChain(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestReopenedStoreAppliesFacts: the statements prepared at Open serve a store opened again
// on the same directory, and the chain continues across the reopen.
func TestReopenedStoreAppliesFacts(t *testing.T) {
	t.Parallel()
	clk := clocktest.New(t0)
	dir := t.TempDir()
	ctx := context.Background()
	s := open(t, dir, clk)
	addStation(t, s, "HX01")
	f := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	if _, err := s.ApplyFacts(ctx, f.Dev.ID, []domain.Event{f.Submission(t, cid("case-1"), "N1")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	s = open(t, dir, clk)
	defer s.Close()
	res, err := s.ApplyFacts(ctx, f.Dev.ID, []domain.Event{f.Submission(t, cid("case-2"), "N2"),
		f.Claim(t, cid("case-1"), "rep-a", "张三")})
	if err != nil || res.Applied != 2 || res.LastDevSeq != 3 {
		t.Fatalf("apply after reopen: %+v, %v", res, err)
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkApplyFullBatches is the store's share of ingest: one device uploads full batches of
// new cases, as a station back from a long time offline does.
func BenchmarkApplyFullBatches(b *testing.B) {
	const batch = 256
	s, clk := newStore(b)
	ctx := context.Background()
	addStation(b, s, "HX01")
	// every fact at the hub's time: a fact more than a day ahead of it is refused
	f := &factMaker{Dev: pairDevice(b, s, "HX01", store.RoleKiosk), Now: clk.Now}
	facts := make([]domain.Event, b.N)
	for i := range facts {
		facts[i] = f.Submission(b, fmt.Sprintf("case-%d", i), storetest.NthNumber(f.Dev, i+1))
	}
	b.ResetTimer()
	for len(facts) > 0 {
		n := min(len(facts), batch)
		res, err := s.ApplyFacts(ctx, f.Dev.ID, facts[:n])
		if err != nil || res.Applied != n {
			b.Fatalf("apply: %+v, %v", res, err)
		}
		facts = facts[n:]
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "facts/s")
}

// TestHeldBackLogRows: appended rows are held back and written logChunk to a statement; a
// read through the transaction sees every one of them, and a held-back row the log refuses
// fails the whole transaction, whose other rows are not kept either.
func TestHeldBackLogRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	count := func(q queryer) int {
		t.Helper()
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count(s.db)
	hubEvent := func(i int) domain.Event {
		return domain.Event{ID: domain.NewEventID(), Stream: fmt.Sprintf("test:%d", i), Kind: domain.KindCategoryUpserted,
			At: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC), Actor: hubActor,
			Data: json.RawMessage(fmt.Sprintf(`{"code":"c%d","name":"类别%d"}`, i, i))}
	}
	const n = logChunk + 5
	var first domain.Event
	err := s.write(ctx, func(a *appender) error {
		for i := range n {
			ev, err := a.appendHub(hubEvent(i))
			if err != nil {
				return err
			}
			if i == 0 {
				first = ev
			}
		}
		if len(a.pending) != 5*logCols {
			t.Errorf("%d values held back, want the 5 rows past a full chunk", len(a.pending))
		}
		if got := count(a.sql()); got != before+n {
			t.Errorf("read inside the transaction: %d rows, want %d", got, before+n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := count(s.db); got != before+n {
		t.Errorf("after commit: %d rows, want %d", got, before+n)
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}

	err = s.write(ctx, func(a *appender) error {
		for i := range 3 {
			if _, err := a.appendHub(hubEvent(100 + i)); err != nil {
				return err
			}
		}
		again := hubEvent(200)
		again.ID = first.ID // the log's id is unique
		_, err := a.appendHub(again)
		return err
	})
	if err == nil {
		t.Fatal("a transaction with a refused log row committed")
	}
	if got := count(s.db); got != before+n {
		t.Errorf("after the refused transaction: %d rows, want %d", got, before+n)
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}
