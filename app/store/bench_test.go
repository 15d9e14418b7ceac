package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"liaison/sync/domain"
)

// BenchmarkRecordSubmission measures one durable Record of a case submission (number
// allocation, validation, event + projection, fsync at commit).
func BenchmarkRecordSubmission(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	ev := submission(b, "res-1")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := s.Record(ctx, ev); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkRebuild100k rebuilds every projection from 100,000 events: 20,000 cases of five
// events each (submitted, accepted, assigned, progress, replied).
func BenchmarkRebuild100k(b *testing.B) {
	const casesN, perCase = 20000, 5
	s := openAt(b, filepath.Join(b.TempDir(), "station.db"))
	defer s.Close()
	ctx := context.Background()
	if err := seedEvents(ctx, b, s, casesN); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.RebuildProjections(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var n int
	s.db.QueryRow(`SELECT count(*) FROM cases WHERE state = 'replied'`).Scan(&n)
	if n != casesN {
		b.Fatalf("%d replied cases after rebuild, want %d", n, casesN)
	}
	b.ReportMetric(float64(casesN*perCase)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func seedEvents(ctx context.Context, b *testing.B, s *Store, casesN int) error {
	return s.write(ctx, "seed", func(tx *sql.Tx) error {
		var seq int64
		rep := domain.Actor{Role: domain.RoleRepresentative, ID: "rep-1"}
		staff := domain.Actor{Role: domain.RoleStaff, ID: "staff-1"}
		dept := domain.Actor{Role: domain.RoleDepartment, ID: "D01"}
		for i := 0; i < casesN; i++ {
			id := fmt.Sprintf("case-%06d", i)
			at := t0.Add(time.Duration(i) * time.Minute)
			p := domain.CaseSubmitted{Number: fmt.Sprintf("HX01-K1-20261123-%05d", i), Token: "tok",
				Category: "env", Text: "小区路灯不亮已经一周", ResidentID: "res-1", SurnameMask: "张*"}
			steps := []struct {
				k     domain.Kind
				actor domain.Actor
				data  any
			}{
				{domain.KindCaseSubmitted, resident, p},
				{domain.KindCaseAccepted, rep, domain.CaseAccepted{}},
				{domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: "D01", DeptName: "测试科"}},
				{domain.KindCaseProgress, dept, domain.CaseNote{Note: "已到现场查看"}},
				{domain.KindCaseReplied, dept, domain.CaseReplied{Reply: "已更换灯具"}},
			}
			for j, st := range steps {
				seq++
				ev := domain.Event{ID: fmt.Sprintf("%s-%d", id, j), Device: "dev-k2", DevSeq: seq, Station: "HX01",
					Stream: id, Kind: st.k, At: at.Add(time.Duration(j) * time.Hour), Actor: st.actor,
					Data: js(b, st.data), HubSeq: seq}
				if err := insertEvent(ctx, tx, ev, false); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// BenchmarkApplyRemote50k applies ≈50,000 hub events in pages of 1,000, as a new station's
// catch-up does: 9,000 cases whose five events each arrive spread over two pages, with
// reference data in between. One op is the whole catch-up.
func BenchmarkApplyRemote50k(b *testing.B) {
	const casesN, pageN = 9000, 1000
	pages := hubCatchUp(b, casesN, pageN)
	ctx := context.Background()
	var total, cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := newStore(b)
		if err := s.ResetRemote(ctx, "ep"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, startCPU := time.Now(), cpuTime()
		for _, p := range pages {
			if err := s.ApplyRemote(ctx, "ep", p, p[len(p)-1].HubSeq); err != nil {
				b.Fatal(err)
			}
		}
		total += time.Since(start)
		cpu += cpuTime() - startCPU
		b.StopTimer()
		var n int
		s.db.QueryRow(`SELECT count(*) FROM cases WHERE state = 'replied'`).Scan(&n)
		if n != casesN {
			b.Fatalf("%d replied cases after catch-up, want %d", n, casesN)
		}
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/catchup")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/catchup")
}

// cpuTime is the processor time this process has used; on a shared machine it varies less
// than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// hubCatchUp makes the hub's pages for casesN cases of five events each; a case's events are
// interleaved with the next cases', so many cases span two pages. Every tenth event is
// reference data.
func hubCatchUp(b testing.TB, casesN, pageN int) [][]domain.Event {
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "rep-1"}
	staff := domain.Actor{Role: domain.RoleStaff, ID: "staff-1"}
	dept := domain.Actor{Role: domain.RoleDepartment, ID: "D01"}
	var all []domain.Event
	var seq int64
	add := func(stream string, k domain.Kind, actor domain.Actor, v any) {
		seq++
		ev := domain.Event{ID: fmt.Sprintf("hub-%07d", seq), Device: "dev-other", DevSeq: seq, Station: "HX01",
			Stream: stream, Kind: k, At: t0.Add(time.Duration(seq) * time.Second), HubSeq: seq, Actor: actor}
		if v != nil {
			ev.Data = js(b, v)
		}
		all = append(all, ev)
	}
	const spread = 150 // cases in flight at once
	for i := 0; i < casesN+spread; i++ {
		if i < casesN {
			id := fmt.Sprintf("case-%06d", i)
			add(id, domain.KindCaseSubmitted, resident, domain.CaseSubmitted{Number: fmt.Sprintf("HX01-K2-20261123-%05d", i),
				Token: "tok", Category: "env", Text: "小区路灯不亮已经一周", Community: "测试社区", ResidentID: "res-1", SurnameMask: "张*"})
		}
		if j := i - spread/3; j >= 0 && j < casesN {
			add(fmt.Sprintf("case-%06d", j), domain.KindCaseAccepted, rep, domain.CaseAccepted{})
			add(fmt.Sprintf("case-%06d", j), domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: "D01", DeptName: "测试科"})
		}
		if j := i - spread; j >= 0 && j < casesN {
			add(fmt.Sprintf("case-%06d", j), domain.KindCaseProgress, dept, domain.CaseNote{Note: "已到现场查看"})
			add(fmt.Sprintf("case-%06d", j), domain.KindCaseReplied, dept, domain.CaseReplied{Reply: "已修复"})
		}
		if i%2 == 0 {
			add(fmt.Sprintf("category:%d", i%7), domain.KindCategoryUpserted, staff, domain.Category{Code: fmt.Sprint(i % 7), Name: "分类"})
		}
	}
	var pages [][]domain.Event
	for len(all) > 0 {
		n := min(pageN, len(all))
		pages = append(pages, all[:n])
		all = all[n:]
	}
	return pages
}
