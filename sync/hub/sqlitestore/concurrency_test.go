package sqlitestore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

// Many devices upload at once, through two Store values on the same data: on SQLite the
// server and a command-line tool on one directory, on PostgreSQL two hub replicas on one
// database (each its own connection pool; only the database's advisory lock orders them).
// The log stays gapless, every fact lands once and the chain verifies.
func TestConcurrentWritersKeepLogGapless(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		clk := clocktest.New(t0)
		concurrentWriters(t, open(t, dir, clk), open(t, dir, clk))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dsn := newPostgresDB(t)
		clk := clocktest.New(t0)
		openPG := func() *Store {
			s, err := OpenPostgres(context.Background(), dsn, Options{Now: clk.Now})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			return s
		}
		concurrentWriters(t, openPG(), openPG())
	})
}

func concurrentWriters(t *testing.T, a, b *Store) {
	ctx := context.Background()
	defer a.Close()
	defer b.Close()
	if a.Epoch() != b.Epoch() {
		t.Fatal("two opens of one directory disagree on the epoch")
	}
	addStation(t, a, "HX01")
	const devices, batches, perBatch = 6, 8, 4
	makers := make([]*factMaker, devices)
	for i := range makers {
		makers[i] = &factMaker{Dev: pairDevice(t, a, "HX01", store.RoleKiosk), At: t0}
	}
	var wg sync.WaitGroup
	errs := make(chan error, devices+1)
	for i, f := range makers {
		st := a
		if i%2 == 1 {
			st = b
		}
		wg.Go(func() {
			for n := range batches {
				var evs []domain.Event
				for k := range perBatch {
					evs = append(evs, f.Submission(t, fmt.Sprintf("%s-%d-%d", f.Dev.Code, n, k), storetest.NthNumber(f.Dev, 1+n*perBatch+k)))
				}
				// Every batch is sent twice, as after a lost acknowledgement.
				for range 2 {
					if _, err := st.ApplyFacts(ctx, f.Dev.ID, evs); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range 10 {
			if _, err := b.UpsertStation(ctx, domain.Station{Code: "HX01", Name: "测试联络站HX01"},
				domain.Actor{Role: domain.RoleStaff}); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	last, err := a.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// One station event, then 10 more, plus every fact once.
	if want := int64(1 + 10 + devices*batches*perBatch); last != want {
		t.Fatalf("log at %d, want %d", last, want)
	}
	for _, f := range makers {
		if n, _ := b.LastDevSeq(ctx, f.Dev.ID); n != batches*perBatch {
			t.Errorf("device %s at %d", f.Dev.Code, n)
		}
	}
	if err := a.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
	// The other store learns of appends it did not make through Watch.
	ch, cancel := a.Subscribe()
	defer cancel()
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go a.Watch(wctx, 10*time.Millisecond)
	if _, err := b.UpsertStation(ctx, domain.Station{Code: "HX09", Name: "测试"}, domain.Actor{Role: domain.RoleStaff}); err != nil {
		t.Fatal(err)
	}
	// Watch may first publish appends b made earlier; it must get to b's newest.
	timeout := time.After(10 * time.Second)
	for seq := int64(0); seq != last+1; {
		select {
		case seq = <-ch:
			if seq > last+1 {
				t.Fatalf("watch published %d, beyond the log's %d", seq, last+1)
			}
		case <-timeout:
			t.Fatal("watch did not see the other writer's append")
		}
	}
}

func BenchmarkApplyFacts(b *testing.B) {
	for _, size := range []int{1, 50} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			s, clk := newStore(b)
			ctx := context.Background()
			addStation(b, s, "HX01")
			// every fact at the hub's time: a fact more than a day ahead of it is refused
			f := &factMaker{Dev: pairDevice(b, s, "HX01", store.RoleKiosk), Now: clk.Now}
			n := 0
			for b.Loop() {
				evs := make([]domain.Event, 0, size)
				for range size {
					n++
					evs = append(evs, f.Submission(b, fmt.Sprintf("c%d", n), storetest.NthNumber(f.Dev, n)))
				}
				if _, err := s.ApplyFacts(ctx, f.Dev.ID, evs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "µs/fact")
		})
	}
}

func BenchmarkEventsAfter(b *testing.B) {
	s, _ := newStore(b)
	ctx := context.Background()
	d := seedDemo(b, s)
	b.ResetTimer()
	for b.Loop() {
		evs, err := s.EventsAfter(ctx, "HX01", 0, 500)
		if err != nil || len(evs) != 500 {
			b.Fatal(len(evs), err)
		}
	}
	_ = d
}

func BenchmarkVerifyChain(b *testing.B) {
	s, _ := newStore(b)
	ctx := context.Background()
	seedDemo(b, s)
	for b.Loop() {
		if err := s.VerifyChain(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
